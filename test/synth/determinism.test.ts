import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCity } from '../../src/synth/index.js';
import { tempDir } from '../helpers.js';

describe('synth determinism', () => {
  const a = tempDir('weisu-synth-a-');
  const b = tempDir('weisu-synth-b-');
  const c = tempDir('weisu-synth-c-');
  afterAll(() => {
    a.cleanup();
    b.cleanup();
    c.cleanup();
  });

  it('same seed and options give byte-identical files; another seed does not', async () => {
    const opts = { seed: 7, scale: 0.03, start: '2026-07-01', end: '2026-09-01' };
    const ra = await generateCity({ outDir: a.dir, ...opts });
    const rb = await generateCity({ outDir: b.dir, ...opts });
    expect(ra.orders).toBeGreaterThan(1000);
    expect(rb.orders).toBe(ra.orders);
    const names = readdirSync(a.dir).sort();
    expect(readdirSync(b.dir).sort()).toEqual(names);
    expect(names).toEqual(
      expect.arrayContaining([
        'orders-2026.parquet',
        'orders-last-month.gbk.csv',
        'orders_truth.parquet',
        'truth.json',
        'weather.csv',
        'weisu.config.json',
        'streets.geojson',
        'grids.geojson',
      ]),
    );
    for (const f of names) expect(readFileSync(join(b.dir, f)).equals(readFileSync(join(a.dir, f))), f).toBe(true);

    const rc = await generateCity({ outDir: c.dir, ...opts, seed: 8 });
    expect(
      readFileSync(join(c.dir, 'orders-2026.parquet')).equals(readFileSync(join(a.dir, 'orders-2026.parquet'))),
    ).toBe(false);
    expect(rc.truth.seed).toBe(8);
  }, 120_000);
});
