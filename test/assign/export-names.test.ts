import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportLists } from '../../src/assign/export.js';
import { tempDir } from '../helpers.js';

/**
 * `weisu assign export` writes one list per recipient, named for the recipient's id. Recipients made from place
 * names carry those names: on Boston 311 the street recipient `auto-street-Allston / Brighton-Ward 21` made the
 * command fail with ENOENT (the '/' read as a folder) and no list was written. A file name is the id with path
 * separators and other unsafe characters replaced; two ids that would meet get the id's hash. Invented ids.
 */
describe('assign export file names', () => {
  it('writes every recipient a file of its own, whatever its id holds', () => {
    const t = tempDir();
    try {
      const ids = [
        'auto-street-Allston / Brighton-Ward 21',
        'auto-street-Allston _ Brighton-Ward 21',
        '../escape',
        'PWDx',
      ];
      const files = exportLists(
        t.dir,
        '2016-01-01',
        ids.map((id) => ({ id, name: id, kind: 'street', items: [] })),
      );
      const names = readdirSync(t.dir).sort();
      expect(names).toHaveLength(ids.length * 3);
      for (const f of files) expect(f.startsWith(t.dir + '/')).toBe(true);
      for (const n of names) expect(n).not.toMatch(/[/\\]|^\./);
      // each JSON still names its recipient exactly
      const recipients = names
        .filter((n) => n.endsWith('.json'))
        .map((n) => (JSON.parse(readFileSync(join(t.dir, n), 'utf8')) as { recipient: { id: string } }).recipient.id);
      expect(recipients.sort()).toEqual([...ids].sort());
    } finally {
      t.cleanup();
    }
  });
});
