import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { gb18030ToUtf8 } from '../../src/ingest/transcode.js';
import { tempDir } from '../helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('GB18030 → UTF-8', () => {
  it('block-parallel decoding in worker threads gives what iconv-lite gives, broken bytes included', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    let x = 42;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = [
      '市民来电反映',
      '暖气不热',
      '楼道积水',
      'ＡＢＣ１２３',
      '€',
      '〇',
      '𠀀𪚥',
      '䶮',
      'café',
      'order,"quoted"',
      '\r',
    ];
    const parts: Buffer[] = [];
    for (let i = 0; i < 40000; i++) {
      parts.push(iconv.encode(words[Math.floor(rnd() * words.length)], 'gb18030'));
      if (rnd() < 0.01) parts.push(Buffer.from([0x81])); // a lead byte whose pair never comes
      if (rnd() < 0.002) parts.push(Buffer.from([0xff]));
      if (rnd() < 0.2) parts.push(Buffer.from('\n'));
    }
    // every two-byte code, and four-byte codes across the BMP and beyond, each on a line of its own
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) parts.push(Buffer.from([lead, trail, 0x0a]));
    for (let b1 = 0x81; b1 <= 0x84; b1++)
      for (let b2 = 0x30; b2 <= 0x39; b2++)
        for (let b3 = 0x81; b3 <= 0xfe; b3 += 3) parts.push(Buffer.from([b1, b2, b3, 0x30 + (b3 % 10), 0x0a]));
    for (let b1 = 0x90; b1 <= 0xe3; b1 += 7)
      for (let b3 = 0x81; b3 <= 0xfe; b3 += 5) parts.push(Buffer.from([b1, 0x30, b3, 0x31, 0x0a]));
    const src = join(t.dir, 'gbk.csv');
    writeFileSync(src, Buffer.concat(parts));
    const want = iconv.decode(readFileSync(src), 'gb18030');
    for (const opts of [
      {},
      { workers: 2, blockBytes: 4096 },
      { workers: 1, blockBytes: 1000 },
      { workers: 2, blockBytes: 1 << 20 },
    ]) {
      const dst = join(t.dir, 'utf8.csv');
      const stats = await gb18030ToUtf8(src, dst, opts);
      expect(readFileSync(dst, 'utf8')).toBe(want);
      if (opts.blockBytes === 4096) {
        // both ways were taken: the table for blocks of the all-pairs lines, the careful path for the rest
        expect(stats.tableBlocks).toBeGreaterThan(5);
        expect(stats.tableBlocks).toBeLessThan(stats.blocks - 5);
      }
    }
  });

  it('a clean export (ASCII and two-byte codes) goes by the table after the first block, byte for byte as iconv-lite', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    let x = 7;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    // characters whose UTF-8 is two bytes (°, ×, é) or three, full-width forms, a GBK-only symbol (€ = A2E3 in GB18030)
    const words = [
      '工单编号,受理时间',
      '供暖温度不达标',
      '室温18°C',
      '3×4米',
      'café',
      'ＡＢＣ',
      '€',
      '"引号,逗号"',
      '\r\n',
      '\n',
    ];
    const parts: Buffer[] = [Buffer.from([0x84, 0x31, 0x95, 0x33])]; // a GB18030 byte-order mark
    for (let i = 0; i < 60000; i++) parts.push(iconv.encode(words[Math.floor(rnd() * words.length)], 'gb18030'));
    const src = join(t.dir, 'clean.csv');
    writeFileSync(src, Buffer.concat(parts));
    // iconv-lite keeps a GB18030 byte-order mark; the transcoder drops it, or the first header would start with it
    const want = iconv.decode(readFileSync(src), 'gb18030').replace(/^\ufeff/, '');
    const dst = join(t.dir, 'utf8.csv');
    const stats = await gb18030ToUtf8(src, dst, { workers: 2, blockBytes: 8192 });
    expect(readFileSync(dst, 'utf8')).toBe(want);
    expect(readFileSync(dst).subarray(0, 3).toString('hex')).not.toBe('efbbbf');
    expect(stats.blocks).toBeGreaterThan(20);
    expect(stats.tableBlocks).toBe(stats.blocks - 1);
  });
});
