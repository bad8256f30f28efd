import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCity } from '../../src/synth/index.js';
import { tempStore } from '../helpers.js';
import { ingest } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the demo city through ingest', () => {
  it('loads the Parquet years and the GBK slice with Chinese headers; the slice repeats known orders', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const city = await generateCity({
      outDir: join(t.dir, 'city'),
      scale: 0.02,
      start: '2024-01-01',
      end: '2024-04-01',
      seed: 7,
    });
    const s = await ingest(t.store, city.ordersFiles);
    expect(s.quarantined).toBe(0);
    expect(s.loaded).toBe(city.orders);
    const gbk = await ingest(t.store, [city.gbkCsv]);
    expect(gbk.files[0]).toMatchObject({
      encoding: 'gb18030',
      mapping: '12345-zh',
      quarantined: 0,
      loaded: 0,
      updated: 0,
    });
    expect(gbk.unchanged).toBe(gbk.read);
    expect(gbk.read).toBeGreaterThan(0);
    expect(await t.store.value('SELECT count(*) FROM orders')).toBe(city.orders);
    // raw phones never land in the store
    expect(await t.store.value("SELECT count(*) FROM orders WHERE regexp_matches(content, '1[3-9][0-9]{9}')")).toBe(0);
  }, 300_000);
});
