import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/sql.js';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

/** Blanks around values (ASCII, full-width and no-break spaces) are not part of them. */
describe('blank padding', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  it('a padded export and a clean one load the same fields and hash the same', async () => {
    const clean = 'order_id,created_at,category,content,street\nT1,2024-01-01 08:00,城乡建设/供暖,暖气不热,新华街道\n';
    const padded =
      'order_id,created_at,category,content,street\n T1 ,　2024-01-01 08:00 ,城乡建设/供暖, 暖气不热　,\u00a0新华街道 \n';
    const a = await ingest(t.store, [writeText(t.dir, 'clean.csv', clean)]);
    expect(a.loaded).toBe(1);
    const b = await ingest(t.store, [writeText(t.dir, 'padded.csv', padded)]);
    expect(b).toMatchObject({ loaded: 0, updated: 0, unchanged: 1, quarantined: 0 });
    const row = await t.store.one<{ order_id: string; content: string; street: string }>(
      'SELECT order_id, content, street FROM orders',
    );
    expect(row).toEqual({ order_id: 'T1', content: '暖气不热', street: '新华街道' });
  });

  it('reads yes/no words (resolved, reopened) in either case and with blanks, and leaves the rest empty', async () => {
    await t.store.exec(sql('ingest/macros.sql'));
    const rows = await t.store.all<{ v: string; b: boolean | null }>(
      `SELECT v, ingest_bool(v) AS b FROM (VALUES ('是'), (' YES '), ('已解决'), (chr(12288) || '√'), ('否'), ('False'), ('×'), ('未解决 '), ('maybe'), (''), (NULL)) t(v)`,
    );
    expect(rows.map((r) => r.b)).toEqual([true, true, true, true, false, false, false, false, null, null, null]);
  });
});
