import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eachChunk, entries, hashFile, textFacts } from '../../src/ingest/files.js';
import { UserError } from '../../src/store/errors.js';
import { tempDir } from '../helpers.js';

describe('reading a file in chunks', () => {
  it('hands over every byte once, in order, across chunk edges; hash and line count agree with reading it whole', async () => {
    const { dir, cleanup } = tempDir();
    try {
      // 3 chunks of 4 MB and a bit, lines of varying length so newlines fall on and around the edges
      const lines: string[] = [];
      for (let i = 0, size = 0; size < 3 * (1 << 22) + 12345; i++) {
        const l = `第${i}行,${'x'.repeat(i % 97)}`;
        lines.push(l);
        size += Buffer.byteLength(l) + 1;
      }
      const text = lines.join('\n'); // no newline at the end: the last line still counts
      const path = join(dir, 'big.csv');
      writeFileSync(path, text);
      const whole = Buffer.from(text);
      const parts: Buffer[] = [];
      const n = await eachChunk(path, (c) => parts.push(Buffer.from(c))); // copied: the chunk is reused after the call
      expect(parts.length).toBe(4);
      expect(n).toBe(whole.length);
      expect(Buffer.concat(parts).equals(whole)).toBe(true);
      expect((await hashFile(path)).sha256).toBe(createHash('sha256').update(whole).digest('hex'));
      expect(await textFacts(path)).toEqual({ encoding: 'utf-8', lines: lines.length });
      writeFileSync(path, '');
      expect(await hashFile(path)).toEqual({ sha256: createHash('sha256').digest('hex'), bytes: 0 });
    } finally {
      cleanup();
    }
  });
});

describe('walking a folder', () => {
  it('skips a subfolder that vanished after its parent was read, and names a folder it cannot read', () => {
    const tmp = tempDir('weisu-walk-');
    try {
      expect(entries(join(tmp.dir, 'gone'))).toEqual([]);
      const file = join(tmp.dir, 'a.csv');
      writeFileSync(file, 'x\n');
      // a file where a folder was expected cannot be read as one: one line naming it, not a stack
      expect(() => entries(file)).toThrow(UserError);
      expect(() => entries(file)).toThrow(/无法读取文件夹 .*a\.csv（ENOTDIR）/);
    } finally {
      tmp.cleanup();
    }
  });
});
