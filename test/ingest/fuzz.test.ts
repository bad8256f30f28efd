import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { arithmetic, ingest } from './util.js';
import { buildXlsx } from './xlsx-maker.js';
import { mulberry32 } from '../../src/stats/random.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

// seeded (src/stats/random.ts), so a failing mutant can be made again
const rng = mulberry32;

const NASTY = [0x22, 0x2c, 0x0a, 0x0d, 0x00, 0xff, 0xe5, 0x7b, 0x7d, 0x5c, 0x3b];

/** Flip, insert, delete bytes, or cut the file short: a few edits each. */
function mutate(base: Buffer, r: () => number): Buffer {
  let b = Buffer.from(base);
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * b.length);
    const op = r();
    const byte = r() < 0.6 ? NASTY[Math.floor(r() * NASTY.length)] : Math.floor(r() * 256);
    if (op < 0.4) b[at] = byte;
    else if (op < 0.7) b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
    else if (op < 0.9) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else b = b.subarray(0, Math.max(1, at));
  }
  return b;
}

const ROWS = [
  ['order_id', 'created_at', 'category', 'content', 'closed_at'],
  ['F1', '2024-01-01 08:00:00', '城乡建设/供暖', '暖气不热，电话13912345678', '2024-01-02 09:00:00'],
  ['F2', '2024-01-02 08:00:00', '交通管理', '"路口"拥堵,早晚高峰', ''],
  ['F3', '2024-01-03 08:00:00', '市场监管', '多行\n内容', '2024-01-04 10:00:00'],
  ['F4', '2024-01-04 08:00:00', '生态环境', '噪声扰民', ''],
];
const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const CSV = Buffer.from(ROWS.map((r) => r.map(csvField).join(',')).join('\n') + '\n');
const JSONL = Buffer.from(
  ROWS.slice(1)
    .map((r) => JSON.stringify(Object.fromEntries(ROWS[0].map((h, i) => [h, r[i]]))))
    .join('\n') + '\n',
);
const XLSX = buildXlsx(ROWS);

describe('fuzzed files', () => {
  it.each([
    ['csv', CSV],
    ['jsonl', JSONL],
    ['xlsx', XLSX],
  ] as const)(
    '%s mutants: each loads, quarantines or is set aside; nothing throws, nothing is lost',
    async (ext, base) => {
      const t = await tempStore();
      cleanup = t.cleanup;
      const r = rng(ext.length * 7919);
      const files: string[] = [];
      for (let i = 0; i < 15; i++) {
        const p = join(t.dir, `m${String(i).padStart(2, '0')}.${ext}`);
        writeFileSync(p, mutate(base, r));
        files.push(p);
      }
      // the drop folder's way: a file whose header a mutation broke is set aside too
      const s = await ingest(t.store, files, { setAsideBadHeaders: true });
      expect(s.files).toHaveLength(files.length);
      for (const f of s.files) {
        expect(arithmetic(f), f.path).toBe(true);
        if (f.set_aside) expect(f.read).toBe(0);
      }
      expect(Object.keys(Object.prototype)).toEqual([]);
      const stored = await t.store.value<number>('SELECT count(*) FROM orders');
      expect(stored).toBe(s.loaded);
      // a quarantined row keeps its raw text (a set-aside file has none: it is refused whole)
      expect(
        await t.store.value("SELECT count(*) FROM quarantine WHERE line IS NOT NULL AND coalesce(raw, '') = ''"),
      ).toBe(0);
    },
    120_000,
  );
});
