import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

/**
 * `weisu tag explain --text` on a complaint as a user pastes it (a 车质网 title with the owner's phone and ID number
 * added): nothing leaves unmasked, in text or JSON, and the text explained is the masked one ingest would store.
 */
describe('weisu tag explain --text with personal numbers', () => {
  it('prints the text masked and never the numbers', () => {
    const t = tempDir();
    try {
      const text = '发动机异响4S店多次维修未解决，车主电话13912345678，身份证110101199003071234';
      const r = runCli(['--db', join(t.dir, 'x.duckdb'), '--json', 'tag', 'explain', '--text', text]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('13912345678');
      expect(r.stdout).not.toContain('199003071234');
      expect(r.stdout).toContain('139****5678');
      const plain = runCli(['--db', join(t.dir, 'x.duckdb'), 'tag', 'explain', '--text', text]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).not.toContain('13912345678');
      expect(plain.stdout).not.toContain('199003071234');
    } finally {
      t.cleanup();
    }
  }, 180_000);
});
