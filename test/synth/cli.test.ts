import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

describe('weisu synth (CLI)', () => {
  const tmp = tempDir('weisu-synth-cli-');
  afterAll(() => tmp.cleanup());

  it('--json prints exactly one JSON document with the files it wrote', () => {
    const out = join(tmp.dir, 'city');
    const res = runCli(
      ['synth', '--out', out, '--scale', '0.01', '--start', '2026-10-01', '--end', '2026-12-01', '--json'],
      { timeoutMs: 240_000 },
    );
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout) as {
      orders: number;
      ordersFiles: string[];
      gbkCsv: string;
      truthFile: string;
      configFile: string;
    };
    expect(doc.orders).toBeGreaterThan(500);
    for (const f of [...doc.ordersFiles, doc.gbkCsv, doc.truthFile, doc.configFile])
      expect(existsSync(f), f).toBe(true);
  }, 300_000);

  it('bad options fail with one Chinese line on stderr naming the option, and exit code 2', () => {
    for (const [args, line] of [
      [['--scale', 'abc'], "weisu: synth：--scale 应为数，收到的是 'abc'"],
      [['--scale', '25'], 'weisu: synth：--scale 应大于 0 且不超过 20，收到的是 25'],
      [['--start', '2026-13-01'], "weisu: synth：--start 应为日期 YYYY-MM-DD，收到的是 '2026-13-01'"],
      [['--start', '2026-11-20', '--end', '2026-12-01'], 'weisu: synth：时段 2026-11-20…2026-12-01 至少要有 28 天'],
      [['--seed', '-1'], 'weisu: synth：--seed 应为 0…4294967295 的整数，收到的是 -1'],
    ] as const) {
      const res = runCli(['synth', '--out', join(tmp.dir, 'bad'), ...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toBe(line + '\n');
    }
  }, 300_000);
});
