import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/store/dates.js';
import { generateCity, type GeneratedCity } from '../../src/synth/index.js';
import { tempDir } from '../helpers.js';
import { duck, files } from './helpers.js';

// Two years of a small city: enough to see the weekly cycle, growth, the Spring Festival dip and the seasons.
describe('synth: counts follow the calendar', () => {
  const tmp = tempDir('weisu-synth-cal-');
  let city: GeneratedCity;
  let db: Awaited<ReturnType<typeof duck>>;
  const daily = new Map<string, number>();
  const count = async (where: string) =>
    Number((await db.all<{ n: number }>(`SELECT count(*) AS n FROM o WHERE ${where}`))[0].n);

  beforeAll(async () => {
    city = await generateCity({ outDir: tmp.dir, seed: 12345, scale: 0.05, start: '2024-01-01', end: '2026-01-01' });
    db = await duck();
    await db.conn
      .run(`CREATE TABLE o AS SELECT o.*, t.is_planted_event_id AS ev, split_part(category, '/', 1) || '/' || split_part(category, '/', 2) AS cat2, CAST(created_at AS DATE) AS day
                       FROM read_parquet(${files(city.ordersFiles)}) o JOIN read_parquet('${city.ordersTruthFile}') t USING (order_id)`);
    for (const r of await db.all<{ day: string; n: number }>(
      `SELECT CAST(day AS VARCHAR) AS day, count(*) AS n FROM o WHERE ev IS NULL GROUP BY ALL`,
    ))
      daily.set(r.day, Number(r.n));
  }, 300_000);
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  it('first-year level is baseDaily × scale', () => {
    const days = [...daily].filter(([d]) => d < '2025-01-01');
    const mean = days.reduce((a, [, n]) => a + n, 0) / 366;
    expect(mean).toBeGreaterThan(95);
    expect(mean).toBeLessThan(110);
  });

  it('weekdays are busier than weekends by the intended ratio (≈1.36)', () => {
    let wk = 0,
      nwk = 0,
      we = 0,
      nwe = 0;
    for (const [d, n] of daily) {
      const dow = new Date(d + 'T00:00:00Z').getUTCDay();
      if (dow === 0 || dow === 6) {
        we += n;
        nwe++;
      } else {
        wk += n;
        nwk++;
      }
    }
    const ratio = wk / nwk / (we / nwe);
    expect(ratio).toBeGreaterThan(1.25);
    expect(ratio).toBeLessThan(1.48);
  });

  it('grows about 8% a year (baseline orders, planted events excluded)', () => {
    let y1 = 0,
      y2 = 0;
    for (const [d, n] of daily) {
      if (d < '2025-01-01') y1 += n;
      else y2 += n;
    }
    // 2024 has 366 days
    const ratio = y2 / 365 / (y1 / 366);
    expect(ratio).toBeGreaterThan(1.05);
    expect(ratio).toBeLessThan(1.11);
  });

  it('dips at Spring Festival on the lunar dates', () => {
    for (const sf of ['2024-02-10', '2025-01-29']) {
      expect(city.truth.seasons.springFestival).toContain(sf);
      let around = 0,
        before = 0;
      for (let k = -1; k <= 2; k++) around += daily.get(addDays(sf, k)) ?? 0;
      for (let k = -24; k <= -11; k++) before += daily.get(addDays(sf, k)) ?? 0;
      expect(around / 4 / (before / 14)).toBeLessThan(0.6);
    }
  });

  it('heating complaints surge from Nov 15 and peak in the first weeks', async () => {
    const oct = await count(`cat2 = '城乡建设/供暖' AND day >= '2024-10-01' AND day < '2024-11-01'`);
    const wave = await count(`cat2 = '城乡建设/供暖' AND day >= '2024-11-15' AND day < '2024-12-16'`);
    expect(wave / oct).toBeGreaterThan(5);
    const weeks = await db.all<{ wk: string; n: number }>(
      `SELECT CAST(date_trunc('week', day) AS VARCHAR) AS wk, count(*) AS n FROM o WHERE cat2 = '城乡建设/供暖' AND day >= '2024-10-01' AND day < '2025-03-31' GROUP BY ALL ORDER BY n DESC LIMIT 1`,
    );
    expect(weeks[0].wk >= '2024-11-11' && weeks[0].wk <= '2024-11-25').toBe(true);
  });

  it('drainage spikes on storm days and the day after; the weather file shows the storms', async () => {
    const storms = city.truth.seasons.stormDays.filter((d) => d >= '2024-01-01' && d < '2025-12-30');
    expect(storms.length).toBeGreaterThanOrEqual(8);
    const stormSet = new Set(storms.flatMap((d) => [d, addDays(d, 1)]));
    const rows = await db.all<{ day: string; n: number }>(
      `SELECT CAST(day AS VARCHAR) AS day, count(*) AS n FROM o WHERE cat2 = '城市管理/排水防涝' AND month(day) BETWEEN 6 AND 9 GROUP BY ALL`,
    );
    let s = 0,
      ns = 0,
      o = 0,
      no = 0;
    const seen = new Set(rows.map((r) => r.day));
    for (const r of rows) {
      if (stormSet.has(r.day)) {
        s += Number(r.n);
        ns++;
      } else {
        o += Number(r.n);
        no++;
      }
    }
    // days with no drainage order at all count as zeros
    for (const d of stormSet) if (!seen.has(d) && d.slice(5, 7) >= '06' && d.slice(5, 7) <= '09') ns++;
    expect(s / ns / (o / no)).toBeGreaterThan(2.5);
    const weather = readFileSync(city.weatherFile, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(weather.length).toBe(731);
    const rain = new Map(weather.map(([d, , r]) => [d, Number(r)]));
    for (const d of storms) expect(rain.get(d)).toBeGreaterThanOrEqual(60);
  });

  it('cold snaps are colder than the week before', () => {
    const weather = new Map(
      readFileSync(city.weatherFile, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .map(([d, t]) => [d, Number(t)]),
    );
    const snaps = city.truth.seasons.coldSnaps.filter((d) => weather.has(addDays(d, -8)));
    expect(snaps.length).toBeGreaterThan(4);
    let diff = 0;
    for (const d of snaps) {
      let before = 0;
      for (let k = 3; k <= 9; k++) before += weather.get(addDays(d, -k))!;
      diff += weather.get(d)! - before / 7;
    }
    expect(diff / snaps.length).toBeLessThan(-4);
  });

  it('school surroundings surge after the September opening, quiet in the summer break', async () => {
    const open = await count(`cat2 = '教育/学校周边' AND day >= '2024-09-01' AND day < '2024-09-15'`);
    const summer = await count(`cat2 = '教育/学校周边' AND day >= '2024-07-15' AND day < '2024-08-29'`);
    expect(open / 14 / (summer / 45)).toBeGreaterThan(3);
    expect(city.truth.seasons.schoolOpenings).toContain('2024-09-01');
    expect(city.truth.seasons.schoolOpenings.some((d) => d >= '2025-02-17' && d <= '2025-03-10')).toBe(true);
  });

  it('quiet categories stay flat: no non-seasonal category moves beyond noise between halves of a year', async () => {
    const seasonal = new Set(city.truth.seasonalCategories);
    const evCats = new Set(city.truth.events.map((e) => e.category));
    const rows = await db.all<{ cat2: string; a: number; b: number }>(
      `SELECT cat2, count(*) FILTER (day >= '2024-03-01' AND day < '2024-07-01') AS a, count(*) FILTER (day >= '2024-07-01' AND day < '2024-11-01') AS b FROM o WHERE ev IS NULL GROUP BY ALL`,
    );
    let checked = 0;
    for (const r of rows) {
      if (seasonal.has(r.cat2) || evCats.has(r.cat2) || Number(r.a) < 150) continue;
      checked++;
      // Poisson z-score of the second half against the first, growth (≈+2.6% over four months) allowed for;
      // |z| < 4 over ~50 categories fails by chance with p ≈ 0.3%
      const a = Number(r.a) * 1.026,
        b = Number(r.b);
      expect(Math.abs(b - a) / Math.sqrt(a + b), `${r.cat2}: ${r.a} → ${r.b}`).toBeLessThan(4);
    }
    expect(checked).toBeGreaterThan(10);
  });
});
