import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastStage } from '../../src/forecast/stage.js';
import { surgeStage } from '../../src/forecast/surge-stage.js';
import { readForecastMonths, readForecasts } from '../../src/forecast/read.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testContext } from '../helpers.js';
import { fixtureDays, insertDays, type DailyRow } from './fixture.js';

type Temp = Awaited<ReturnType<typeof tempStore>>;

async function snapshot(store: Store, asOf: string): Promise<string> {
  const rows = await store.all(
    `SELECT category, level, scope_level, scope_name, week_start::VARCHAR AS w, yhat, lo, hi, model
     FROM forecasts WHERE as_of = $a ORDER BY ALL`,
    { a: asOf },
  );
  return JSON.stringify(rows);
}

describe('forecast stage on a city with a heating wave', () => {
  let t: Temp;
  const days = fixtureDays({ start: '2021-01-04', end: '2025-03-01', seed: 11 });
  beforeAll(async () => {
    t = await tempStore();
    await insertDays(
      t.store,
      days.filter((d) => d.day < '2024-09-30'),
    );
  });
  afterAll(() => t.cleanup());

  it('forecasts every level-1 and level-2 category city-wide, and the seasonal ones per district', async () => {
    const counts = await forecastStage.run(testContext(t.store, '2024-09-30'));
    expect(counts.first_week).toBe('2024-09-30');
    const series = await readForecasts(t.store, '2024-09-30', 13);
    const city = series
      .filter((s) => s.scope.level === 'city')
      .map((s) => `${s.level}:${s.category}`)
      .sort();
    expect(city).toEqual(['1:城乡建设', '2:城乡建设/供暖', '2:城乡建设/道路']);
    // The heating category is seasonal, the road one is not: districts only for the former (and its 大类).
    const districts = series.filter((s) => s.scope.level === 'district');
    expect(new Set(districts.map((s) => s.category))).toEqual(new Set(['城乡建设/供暖', '城乡建设']));
    expect(new Set(districts.map((s) => s.scope.name))).toEqual(new Set(['东城区', '西城区']));
    for (const s of series) {
      expect(s.points).toHaveLength(13);
      expect(s.points[0].week_start).toBe('2024-09-30');
      for (const p of s.points) expect(p.lo <= p.yhat && p.yhat <= p.hi).toBe(true);
    }
  });

  it('re-running for the same as-of changes nothing', async () => {
    const before = await snapshot(t.store, '2024-09-30');
    await forecastStage.run(testContext(t.store, '2024-09-30'));
    expect(await snapshot(t.store, '2024-09-30')).toBe(before);
    const n = await t.store.value<number>(`SELECT count(*) FROM forecasts WHERE as_of = '2024-09-30'`);
    expect(n).toBe(JSON.parse(before).length);
  });

  it('respects --as-of: orders on or after the as-of change nothing; a mid-week as-of counts its days already seen', async () => {
    await forecastStage.run(testContext(t.store, '2024-09-18'));
    const before = await snapshot(t.store, '2024-09-18');
    expect(JSON.parse(before)[0].w).toBe('2024-09-16');
    // Days on or after the as-of arrive: the forecast as of the 18th must not move.
    await insertDays(
      t.store,
      days.filter((d) => d.day >= '2024-09-30' && d.day < '2024-11-01'),
    );
    await t.store.exec(
      `INSERT INTO daily_counts VALUES ('2024-09-18', '城乡建设', '城乡建设/供暖', '东城区', 'x', 5000, 0, 0, 0, 0)`,
    );
    await forecastStage.run(testContext(t.store, '2024-09-18'));
    expect(await snapshot(t.store, '2024-09-18')).toBe(before);
    // 5000 more on the 17th, a day of the first week already seen: that week of the series holding them rises by
    // exactly 5000 (the model forecasts only the 2 days still to come), and every other week stays
    await t.store.exec(`DELETE FROM daily_counts WHERE n = 5000`);
    await t.store.exec(
      `INSERT INTO daily_counts VALUES ('2024-09-17', '城乡建设', '城乡建设/供暖', '东城区', 'x', 5000, 0, 0, 0, 0)`,
    );
    await forecastStage.run(testContext(t.store, '2024-09-18'));
    type Row = { category: string; scope_name: string; w: string; yhat: number; lo: number; hi: number };
    const old = JSON.parse(before) as Row[];
    const now = JSON.parse(await snapshot(t.store, '2024-09-18')) as Row[];
    expect(now).toHaveLength(old.length);
    const holds = (r: Row) =>
      r.category.startsWith('城乡建设') && r.category !== '城乡建设/道路' && r.scope_name !== '西城区';
    for (const [i, r] of now.entries()) {
      const moved = r.w === '2024-09-16' && holds(r) ? 5000 : 0;
      expect(r.yhat - old[i].yhat, `${r.category} ${r.scope_name} ${r.w}`).toBeCloseTo(moved, 1);
      expect(r.lo - old[i].lo).toBeCloseTo(moved, 1);
    }
    await t.store.exec(`DELETE FROM daily_counts WHERE n = 5000`);
  });

  it('counts the seen days of the first week and forecasts only the rest: a Sunday as-of keeps 6 days', async () => {
    await forecastStage.run(testContext(t.store, '2024-09-22'));
    const seen = (await t.store.value<number>(
      `SELECT coalesce(sum(n), 0)::INTEGER FROM daily_counts WHERE cat2 = '城乡建设/供暖' AND day >= '2024-09-16' AND day < '2024-09-22'`,
    ))!;
    const heat = (await readForecasts(t.store, '2024-09-22', 13)).find(
      (s) => s.category === '城乡建设/供暖' && s.scope.level === 'city',
    )!;
    const week1 = heat.points[0];
    expect(week1.week_start).toBe('2024-09-16');
    // one day of seven is left to the model: the week is the seen orders plus a seventh of an unseen week's band
    expect(seen).toBeGreaterThan(0);
    expect(week1.yhat).toBeGreaterThanOrEqual(seen);
    expect(week1.lo).toBeGreaterThanOrEqual(seen);
    expect(week1.hi - week1.lo).toBeLessThan((heat.points[1].hi - heat.points[1].lo) / 3);
  });

  it('forecasts the heating wave peak week within ±1 week from 6 weeks ahead', async () => {
    await insertDays(
      t.store,
      days.filter((d) => d.day >= '2024-11-01'),
    );
    const weekly = await t.store.all<{ w: string; n: number }>(
      `SELECT date_trunc('week', day)::DATE::VARCHAR AS w, sum(n)::INTEGER AS n FROM daily_counts
       WHERE cat2 = '城乡建设/供暖' AND day >= '2024-10-07' AND day < '2025-01-06' GROUP BY 1 ORDER BY n DESC`,
    );
    const peak = weekly[0].w;
    const asOf = new Date(Date.parse(peak) - 42 * 86_400_000).toISOString().slice(0, 10);
    await forecastStage.run(testContext(t.store, asOf));
    const heat = (await readForecasts(t.store, asOf, 13)).find(
      (s) => s.category === '城乡建设/供暖' && s.scope.level === 'city',
    )!;
    const predicted = heat.points.reduce((a, b) => (b.yhat > a.yhat ? b : a)).week_start;
    expect(Math.abs(Date.parse(predicted) - Date.parse(peak)) / 86_400_000).toBeLessThanOrEqual(7);
    // … and the wave is forecast as a wave: the peak well above the weeks before it.
    expect(heat.points.find((p) => p.week_start === predicted)!.yhat).toBeGreaterThan(4 * heat.points[0].yhat);
  });

  it('warns of the heating wave 2–8 weeks ahead and stays quiet in the flat series and after the wave', async () => {
    const asOf = '2024-10-21';
    // the data reaches the as-of whatever ran before (the surge stage warns of nothing from data that stopped)
    await t.store.exec(`DELETE FROM daily_counts WHERE day >= '2024-09-30'`);
    await insertDays(
      t.store,
      days.filter((d) => d.day >= '2024-09-30'),
    );
    await forecastStage.run(testContext(t.store, asOf));
    const counts = await surgeStage.run(testContext(t.store, asOf));
    expect(counts.surges).toBeGreaterThan(0);
    const alerts = await t.store.all<{
      category: string;
      scope_name: string;
      reason: string;
      details: string;
      window_start: string;
    }>(
      `SELECT category, scope_name, reason, details::VARCHAR AS details, window_start::VARCHAR AS window_start FROM alerts WHERE as_of = $a AND kind = 'surge_forecast'`,
      { a: asOf },
    );
    const heat = alerts.find((a) => a.category === '城乡建设/供暖' && a.scope_name === '全市')!;
    expect(heat).toBeDefined();
    const d = JSON.parse(heat.details) as { lead_weeks: number; peak_week: string; peak_yhat: number };
    expect(d.lead_weeks).toBeGreaterThanOrEqual(1);
    expect(d.lead_weeks).toBeLessThanOrEqual(7);
    expect(['2024-11-11', '2024-11-18', '2024-11-25']).toContain(d.peak_week);
    expect(heat.reason).toMatch(/^预计\d周后供暖类诉求进入高峰，峰值周（2024-11-\d\d起）约[\d,]+件/);
    expect(alerts.some((a) => a.category === '城乡建设/道路')).toBe(false);
    // Idempotent, and only its own kind: a foreign alert of another kind survives a re-run.
    await t.store.exec(
      `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed, expected, score) VALUES ('${asOf}', 'x', 2, 'city', '全市', 'yoy', '${asOf}', '${asOf}', 1, 1, 1)`,
    );
    await surgeStage.run(testContext(t.store, asOf));
    expect(
      await t.store.value<number>(`SELECT count(*) FROM alerts WHERE as_of = '${asOf}' AND kind = 'surge_forecast'`),
    ).toBe(alerts.length);
    expect(await t.store.value<number>(`SELECT count(*) FROM alerts WHERE as_of = '${asOf}' AND kind = 'yoy'`)).toBe(1);
    // In the middle of winter the wave is behind us: nothing to warn of.
    await forecastStage.run(testContext(t.store, '2024-12-23'));
    expect((await surgeStage.run(testContext(t.store, '2024-12-23'))).surges).toBe(0);
  });
});

describe('an as-of past the end of the data', () => {
  it('stores no surge warning, and removes one stored before, when the data stopped two or more days before it', async () => {
    const t = await tempStore();
    try {
      const days = fixtureDays({ start: '2021-01-04', end: '2024-10-21', seed: 11 });
      const asOf = '2024-10-21';
      // the same city, its data current: the heating wave is warned of
      await insertDays(t.store, days);
      await forecastStage.run(testContext(t.store, asOf));
      expect((await surgeStage.run(testContext(t.store, asOf))).surges).toBeGreaterThan(0);
      // the export stopped eleven days before the as-of (the forecasts stored for the as-of stay)
      await t.store.exec(`DELETE FROM daily_counts WHERE day >= '2024-10-10'`);
      const counts = await surgeStage.run(testContext(t.store, asOf));
      expect(counts).toMatchObject({ surges: 0, data_stale: 1, data_end: '2024-10-09' });
      const stored = await t.store.value<number>(
        `SELECT count(*) FROM alerts WHERE as_of = '${asOf}' AND kind = 'surge_forecast'`,
      );
      expect(stored).toBe(0);
      // one missing day (an export a day late) is not stale
      await insertDays(
        t.store,
        days.filter((d) => d.day >= '2024-10-10' && d.day < '2024-10-20'),
      );
      expect((await surgeStage.run(testContext(t.store, asOf))).surges).toBeGreaterThan(0);
    } finally {
      t.cleanup();
    }
  });
});

describe('flat series', () => {
  it('raises no surge alert at any as-of date', async () => {
    const t = await tempStore();
    try {
      const rows: DailyRow[] = fixtureDays({ start: '2022-01-03', end: '2024-12-30', seed: 5 }).filter(
        (d) => d.cat2 === '城乡建设/道路',
      );
      await insertDays(t.store, rows);
      for (const asOf of ['2023-06-05', '2023-10-16', '2024-01-15', '2024-02-26', '2024-05-06', '2024-10-21']) {
        await forecastStage.run(testContext(t.store, asOf));
        expect((await surgeStage.run(testContext(t.store, asOf))).surges, asOf).toBe(0);
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('degenerate series', () => {
  it('gives finite, non-negative forecasts for zeros, 3 weeks of history and a category born last month', async () => {
    const t = await tempStore();
    try {
      const rows: DailyRow[] = [];
      for (let d = Date.parse('2022-01-03'); d < Date.parse('2024-06-03'); d += 86_400_000) {
        const day = new Date(d).toISOString().slice(0, 10);
        rows.push({ day, cat1: '交通运输', cat2: '交通运输/出租车', district: '甲区', street: 's', n: 3 + (d % 3) });
        // A category that has only zero-count days on record (a row with n = 0 is a real, if odd, input).
        rows.push({ day, cat1: '农业农村', cat2: '农业农村/农机', district: '甲区', street: 's', n: 0 });
        if (day >= '2024-05-06')
          rows.push({ day, cat1: '卫生健康', cat2: '卫生健康/新冠疫苗', district: '甲区', street: 's', n: 7 });
      }
      await insertDays(
        t.store,
        rows.filter((r) => r.n > 0),
      );
      await t.store.exec(
        `INSERT INTO daily_counts VALUES ('2024-05-01', '农业农村', '农业农村/农机', '甲区', 's', 0, 0, 0, 0, 0)`,
      );
      await forecastStage.run(testContext(t.store, '2024-06-03'));
      const series = await readForecasts(t.store, '2024-06-03', 13);
      const born = series.find((s) => s.category === '卫生健康/新冠疫苗' && s.scope.level === 'city')!;
      expect(born.history_weeks).toBe(4);
      expect(born.model).toBe('mean');
      expect(born.points[0].yhat).toBeCloseTo(49, 0);
      const zero = series.find((s) => s.category === '农业农村/农机');
      if (zero) for (const p of zero.points) expect([p.lo, p.yhat, p.hi]).toEqual([0, 0, 0]);
      for (const s of series)
        for (const p of s.points)
          for (const v of [p.yhat, p.lo, p.hi]) {
            expect(Number.isFinite(v)).toBe(true);
            expect(v).toBeGreaterThanOrEqual(0);
          }

      // Three weeks of history in the whole store.
      const t2 = await tempStore();
      try {
        await insertDays(
          t2.store,
          rows.filter((r) => r.day >= '2024-05-13' && r.day < '2024-06-03' && r.n > 0),
        );
        await forecastStage.run(testContext(t2.store, '2024-06-03'));
        const s2 = await readForecasts(t2.store, '2024-06-03', 13);
        expect(s2.length).toBeGreaterThan(0);
        for (const s of s2) {
          expect(s.history_weeks).toBe(3);
          for (const p of s.points)
            expect(Number.isFinite(p.yhat) && p.yhat >= 0 && p.lo <= p.yhat && p.yhat <= p.hi).toBe(true);
        }
        // An empty store: no series, no error.
        const t3 = await tempStore();
        try {
          expect((await forecastStage.run(testContext(t3.store, '2024-06-03'))).series).toBe(0);
        } finally {
          t3.cleanup();
        }
      } finally {
        t2.cleanup();
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('stray rows and monthly ranges', () => {
  it('ignores orders years before a series really starts, counts them, and stores monthly ranges from the model', async () => {
    const t = await tempStore();
    try {
      const rows: DailyRow[] = [];
      for (let d = Date.parse('2022-01-03'), i = 0; d < Date.parse('2024-06-03'); d += 86_400_000, i++) {
        const day = new Date(d).toISOString().slice(0, 10);
        rows.push({ day, cat1: '交通运输', cat2: '交通运输/出租车', district: '甲区', street: 's', n: 10 + (i % 5) });
      }
      // an export's stray rows: a default date in 2000 and a mistyped year
      rows.push({ day: '2000-01-03', cat1: '交通运输', cat2: '交通运输/出租车', district: '甲区', street: 's', n: 6 });
      rows.push({ day: '2010-05-04', cat1: '交通运输', cat2: '交通运输/出租车', district: '甲区', street: 's', n: 2 });
      await insertDays(t.store, rows);
      const counts = await forecastStage.run(testContext(t.store, '2024-06-03'));
      // 8 orders, each counted once; cut from the 大类 and 小类 series, city-wide and in the district
      expect(counts.ignored_before_start).toBe(8);
      expect(counts.series_with_ignored_rows).toBe(4);
      const series = await readForecasts(t.store, '2024-06-03', 13);
      const taxi = series.find((s) => s.category === '交通运输/出租车' && s.scope.level === 'city')!;
      expect(taxi.history_weeks).toBe(126); // 2022-01-03 … 2024-05-27: the 2000 and 2010 weeks are no part of it
      const months = await readForecastMonths(t.store, '2024-06-03');
      const june = months.find(
        (m) => m.category === '交通运输/出租车' && m.scope.level === 'city' && m.month === '2024-06',
      )!;
      expect(june.covered_days).toBe(28);
      // 12 a day on average
      expect(june.yhat).toBeGreaterThan(28 * 11);
      expect(june.yhat).toBeLessThan(28 * 13);
      expect(june.lo).toBeLessThan(june.yhat);
      expect(june.hi).toBeGreaterThan(june.yhat);
    } finally {
      await t.cleanup();
    }
  });
});
