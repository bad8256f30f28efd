import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/store/dates.js';
import { generateCity, type GeneratedCity } from '../../src/synth/index.js';
import type { PlantedEvent } from '../../src/synth/truth.js';
import { tempDir } from '../helpers.js';
import { duck, files } from './helpers.js';

// Seven months at a quarter of the full volume: every kind of event is placed inside, with enough orders to see it.
describe('synth: planted events', () => {
  const tmp = tempDir('weisu-synth-ev-');
  let city: GeneratedCity;
  let db: Awaited<ReturnType<typeof duck>>;
  const n = async (sql: string) => Number((await db.all<{ n: number }>(sql))[0].n);
  const scopeSql = (e: PlantedEvent) =>
    e.scope.level === 'street'
      ? `street = '${e.scope.name}'`
      : e.scope.level === 'district'
        ? `district = '${e.scope.name}'`
        : 'TRUE';
  // a level-3 event's orders all carry its leaf; the others any leaf of their level-2 category
  const catSql = (e: PlantedEvent) => (e.leaf ? `category = '${e.leaf}'` : `cat2 = '${e.category}'`);

  beforeAll(async () => {
    city = await generateCity({ outDir: tmp.dir, seed: 12345, scale: 0.25, start: '2026-05-01', end: '2026-12-01' });
    db = await duck();
    await db.conn
      .run(`CREATE TABLE o AS SELECT o.*, t.is_planted_event_id AS ev, t.repeat_of, split_part(category, '/', 1) || '/' || split_part(category, '/', 2) AS cat2, CAST(created_at AS DATE) AS day
                       FROM read_parquet(${files(city.ordersFiles)}) o JOIN read_parquet('${city.ordersTruthFile}') t USING (order_id)`);
  }, 300_000);
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  it('plants every kind, in the last 15 months, no two events on the same category', () => {
    const kinds = city.truth.events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'abrupt').length).toBeGreaterThanOrEqual(3);
    expect(kinds.filter((k) => k === 'creeping').length).toBeGreaterThanOrEqual(2);
    expect(kinds.filter((k) => k === 'citywide').length).toBe(1);
    expect(kinds.filter((k) => k === 'hotspot').length).toBeGreaterThanOrEqual(3);
    expect(kinds.filter((k) => k === 'new_topic').length).toBe(1);
    const cats = city.truth.events.map((e) => e.category);
    expect(new Set(cats).size).toBe(cats.length);
    for (const e of city.truth.events) {
      expect(e.start >= city.truth.start && e.end <= city.truth.end && e.start < e.end, e.id).toBe(true);
      expect(city.truth.seasonalCategories).not.toContain(e.category);
    }
    // the city-wide rise covers the whole last full month (November) and starts before it
    // rises that live in one level-3 category: abrupt and creeping in a district, a hotspot in a cell
    const l3 = city.truth.events.filter((e) => e.leaf);
    expect(l3.map((e) => e.kind).sort()).toEqual(['abrupt', 'creeping', 'hotspot']);
    for (const e of l3)
      expect(e.leaf!.startsWith(e.category + '/') && e.leaf!.split('/').length === 3, e.id).toBe(true);
    const cw = city.truth.events.find((e) => e.kind === 'citywide')!;
    expect(cw.start < '2026-11-01' && cw.end >= '2026-12-01').toBe(true);
  });

  it('event orders carry the event category, scope and window', async () => {
    for (const e of city.truth.events) {
      const total = await n(`SELECT count(*) AS n FROM o WHERE ev = '${e.id}'`);
      expect(total, e.id).toBeGreaterThan(0);
      // (orders whose street name is garbled on purpose — a street that does not exist — cannot be checked by name)
      const outside = await n(
        `SELECT count(*) AS n FROM o WHERE ev = '${e.id}' AND street IN (SELECT DISTINCT street FROM o WHERE lon IS NOT NULL) AND (NOT (${catSql(e)}) OR NOT (${scopeSql(e)})
           OR day < '${e.start}' OR day >= (CASE WHEN repeat_of IS NULL THEN DATE '${e.end}' ELSE DATE '${addDays(e.end, 8)}' END))`,
      );
      expect(outside, e.id).toBe(0);
    }
  });

  it('every event visibly raises its own series in its window and scope', async () => {
    for (const e of city.truth.events) {
      const len = daysBetween(e.start, e.end);
      // baseline: everything before the event (at least 4 weeks), so small series are not judged on noise
      const pre = addDays(e.start, -Math.max(28, daysBetween(city.truth.start, e.start)));
      const during = await n(
        `SELECT count(*) AS n FROM o WHERE ${catSql(e)} AND ${scopeSql(e)} AND day >= '${e.start}' AND day < '${e.end}'`,
      );
      const before = await n(
        `SELECT count(*) AS n FROM o WHERE ${catSql(e)} AND ${scopeSql(e)} AND day >= '${pre}' AND day < '${e.start}'`,
      );
      const rate = during / len / (before / daysBetween(pre, e.start));
      if (e.kind === 'abrupt' || e.kind === 'citywide') expect(rate, e.id).toBeGreaterThan(1 + (e.magnitude - 1) * 0.5);
      else if (e.kind === 'creeping') {
        const last = addDays(e.end, -21);
        const late = await n(
          `SELECT count(*) AS n FROM o WHERE ${catSql(e)} AND ${scopeSql(e)} AND day >= '${last}' AND day < '${e.end}'`,
        );
        const expected = Math.pow(1 + e.magnitude, (len - 10) / 7);
        const r0 = before / daysBetween(pre, e.start);
        if (e.leaf) {
          // one leaf in one district is a few orders a week at this scale (the detection tests use fuller series):
          // an excess in the last 3 weeks, z > 1
          expect((late - 21 * r0) / Math.sqrt(21 * r0), e.id).toBeGreaterThan(1);
        } else expect(late / 21 / r0, e.id).toBeGreaterThan(1 + (expected - 1) * 0.6);
      } else if (e.kind === 'hotspot') {
        const rows = await db.all<{ lon: number; lat: number; day: string }>(
          `SELECT lon, lat, CAST(day AS VARCHAR) AS day FROM o WHERE lon IS NOT NULL AND day >= '${pre}' AND ${scopeSql(e)}`,
        );
        const inCell = rows.filter((r) => latLngToCell(r.lat, r.lon, 8) === e.cells![0]);
        const inWin = inCell.filter((r) => r.day >= e.start).length;
        const preWin = inCell.filter((r) => r.day < e.start).length;
        const preRate = preWin / daysBetween(pre, e.start);
        // the cell gains at least half the planted orders per day (5% of orders carry no coordinates), and at least doubles
        expect(inWin / len - preRate, e.id).toBeGreaterThan((e.magnitude / 7) * 0.5);
        expect(inWin / len, e.id).toBeGreaterThan(preRate * 2);
      } else if (e.kind === 'new_topic') {
        const termBefore = await n(
          `SELECT count(*) AS n FROM o WHERE content LIKE '%${e.term}%' AND day < '${e.start}'`,
        );
        const termAfter = await n(
          `SELECT count(*) AS n FROM o WHERE content LIKE '%${e.term}%' AND day >= '${e.start}'`,
        );
        expect(termBefore, e.id).toBe(0);
        expect(termAfter, e.id).toBeGreaterThan(e.magnitude * 3);
      }
    }
  });

  it('nothing else rises: the same categories elsewhere, and every other quiet category, stay flat', async () => {
    const seasonal = new Set(city.truth.seasonalCategories);
    const evCats = new Set(city.truth.events.map((e) => e.category));
    // Event categories outside their scope (other streets / districts) over the event window.
    for (const e of city.truth.events.filter((x) => x.scope.level !== 'city')) {
      const len = daysBetween(e.start, e.end);
      const pre = addDays(e.start, -Math.max(len, 28));
      const during = await n(
        `SELECT count(*) AS n FROM o WHERE ${catSql(e)} AND NOT (${scopeSql(e)}) AND ev IS NULL AND day >= '${e.start}' AND day < '${e.end}'`,
      );
      const before = await n(
        `SELECT count(*) AS n FROM o WHERE ${catSql(e)} AND NOT (${scopeSql(e)}) AND ev IS NULL AND day >= '${pre}' AND day < '${e.start}'`,
      );
      const rate = during / len / (before / daysBetween(pre, e.start));
      expect(rate, `${e.id} outside scope`).toBeLessThan(1.3);
    }
    // Every quiet category city-wide: last 8 weeks vs the 8 before.
    const rows = await db.all<{ cat2: string; a: number; b: number }>(
      `SELECT cat2, count(*) FILTER (day >= '2026-08-11' AND day < '2026-10-06') AS a, count(*) FILTER (day >= '2026-10-06' AND day < '2026-12-01') AS b FROM o GROUP BY ALL`,
    );
    let checked = 0;
    for (const r of rows) {
      if (seasonal.has(r.cat2) || evCats.has(r.cat2) || Number(r.a) < 200) continue;
      checked++;
      // Poisson z-score, growth over eight weeks (≈+1.2%) allowed for
      const a = Number(r.a) * 1.012,
        b = Number(r.b);
      expect(Math.abs(b - a) / Math.sqrt(a + b), `${r.cat2}: ${r.a} → ${r.b}`).toBeLessThan(4);
    }
    expect(checked).toBeGreaterThan(15);
  });
});
