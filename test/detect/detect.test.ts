import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { detectAlerts } from '../../src/detect/compute.js';
import type { Alert } from '../../src/detect/alert.js';
import type { Store } from '../../src/store/db.js';
import { generateCounts, loadCounts, type FixtureOptions } from './gen.js';
import { baselines, momTest } from '../../src/detect/kinds.js';
import { detectConfig } from '../../src/detect/config.js';
import { MAX_WEEKS, type Frame, type Series } from '../../src/detect/series.js';
import { configFrom } from '../../src/store/config.js';
import { dataEnd } from '../../src/store/data-end.js';

const CAT = '大类1/小类2';

async function alertsFor(
  store: Store,
  opts: FixtureOptions,
  asOf: string,
): Promise<{ alerts: Alert[]; units: number }> {
  await loadCounts(store, generateCounts(opts));
  const r = await detectAlerts(store, asOf, testContext(store, asOf).config);
  return { alerts: r.alerts, units: r.tested.length };
}

describe('detect on planted rises', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  it.each([11, 12, 13])(
    'finds an abrupt street rise at the street, and the district notes where it comes from (seed %i)',
    async (seed) => {
      const { alerts } = await alertsFor(
        t.store,
        {
          seed,
          start: '2023-01-02',
          end: '2025-12-01',
          perStreetDaily: 3,
          events: [
            {
              kind: 'abrupt',
              category: CAT,
              scope: { level: 'street', name: '街道1-2' },
              start: '2025-10-20',
              end: '2025-12-01',
              magnitude: 2,
            },
          ],
        },
        '2025-11-17',
      );
      const street = alerts.filter((a) => a.category === CAT && a.scope.level === 'street');
      expect(street.map((a) => a.scope.name)).toContain('街道1-2');
      expect(street.every((a) => a.scope.name === '街道1-2')).toBe(true);
      for (const a of street) {
        expect(a.observed).toBeGreaterThan(a.expected * 1.4);
        // significant either across the run (BH q ≤ 5%) or on its own p-value (detect.alpha, spike 0.001 at most)
        expect(a.q_value! <= 0.05 || a.p_value! <= 0.001).toBe(true);
        expect(a.details.significance).toBe(a.q_value! <= 0.05 ? 'fdr' : 'alpha');
        expect(a.reason).toMatch(/街道1-2/);
      }
      // any alert above it (same category, district or city) is annotated as coming from that street
      const parents = alerts.filter((a) => a.category === CAT && a.scope.level !== 'street' && a.kind !== 'new_topic');
      for (const p of parents) {
        expect(p.details.primary).toBe(false);
        expect((p.details.explained_by as { name: string }).name).toBe('街道1-2');
        expect(p.reason).toMatch(/主要来自街道1-2/);
      }
      // the event ranks above anything else (FDR 5% allows the odd unrelated alert; the quiet test bounds the rate)
      const best = Math.max(...street.map((a) => a.score));
      for (const a of alerts.filter((x) => !x.category.startsWith('大类1'))) expect(a.score).toBeLessThan(best);
    },
  );

  it('finds a creeping district rise (+5%/week) as a trend at the district', async () => {
    const { alerts } = await alertsFor(
      t.store,
      {
        seed: 21,
        start: '2023-01-02',
        end: '2025-12-01',
        perStreetDaily: 4,
        districts: 3,
        events: [
          {
            kind: 'creeping',
            category: CAT,
            scope: { level: 'district', name: '第2区' },
            start: '2025-09-22',
            end: '2025-12-01',
            magnitude: 0.05,
          },
        ],
      },
      '2025-11-17',
    );
    const trend = alerts.filter((a) => a.kind === 'trend' && a.category === CAT);
    expect(trend.some((a) => a.scope.level === 'district' && a.scope.name === '第2区')).toBe(true);
    const district = trend.find((a) => a.scope.level === 'district')!;
    // spread over its streets: the district is the place to report, not one street
    expect(district.details.primary).toBe(true);
    expect(
      alerts
        .filter((a) => a.category === CAT && a.scope.level !== 'city')
        .every((a) => a.scope.name === '第2区' || (a.scope as { district?: string }).district === '第2区'),
    ).toBe(true);
  });

  it('a rise in a whole district is reported at the district, not explained by one street', async () => {
    const { alerts } = await alertsFor(
      t.store,
      {
        seed: 31,
        start: '2023-01-02',
        end: '2025-12-01',
        perStreetDaily: 3,
        streetsPerDistrict: 4,
        events: [
          {
            kind: 'abrupt',
            category: CAT,
            scope: { level: 'district', name: '第1区' },
            start: '2025-10-20',
            end: '2025-12-01',
            magnitude: 1.8,
          },
        ],
      },
      '2025-11-17',
    );
    const d = alerts.filter((a) => a.category === CAT && a.scope.level === 'district');
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((a) => a.scope.name === '第1区' && a.details.primary === true)).toBe(true);
  });
});

describe('detect stays quiet', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  it('quiet over-dispersed series raise at most 1 alert per 100 category-scope-weeks (6 seeds × 3 weeks)', async () => {
    let units = 0;
    let alarms = 0;
    for (let seed = 100; seed < 106; seed++) {
      await loadCounts(
        t.store,
        generateCounts({ seed, start: '2023-01-02', end: '2025-12-01', shape: 8, categories: 6, seasonal: 2 }),
      );
      for (const asOf of ['2025-03-03', '2025-07-14', '2025-11-24']) {
        const r = await detectAlerts(t.store, asOf, testContext(t.store, asOf).config);
        units += r.tested.length;
        alarms += new Set(
          r.alerts.filter((a) => a.kind !== 'new_topic').map((a) => `${a.category}|${a.scope.level}|${a.scope.name}`),
        ).size;
      }
    }
    expect(units).toBeGreaterThan(1000);
    expect((100 * alarms) / units).toBeLessThanOrEqual(1);
  });

  it('a seasonal peak that comes every year is neither a yoy nor a mom alert', async () => {
    // category 小类1 has a winter wave every year; December is its steep climb
    for (const seed of [41, 42]) {
      const { alerts } = await alertsFor(
        t.store,
        { seed, start: '2022-06-06', end: '2025-12-29', seasonal: 1, perStreetDaily: 3 },
        '2025-12-22',
      );
      expect(
        alerts.filter((a) => a.category.startsWith('大类1/小类1') && (a.kind === 'yoy' || a.kind === 'mom')),
      ).toEqual([]);
    }
  });

  it('a category new to the taxonomy, flat since it first appeared, raises no alert against the zeros before it', async () => {
    // 14 months of data; 小类5 starts on 2025-04-07 (a new code, say): before, its weeks are unknown, not zeros
    const rows = generateCounts({ seed: 61, start: '2024-09-30', end: '2025-12-01', perStreetDaily: 3 }).filter(
      (r) => !(r.cat2 === '大类2/小类5' && r.day < '2025-04-07'),
    );
    await loadCounts(t.store, rows);
    const r = await detectAlerts(t.store, '2025-11-24', testContext(t.store, '2025-11-24').config);
    expect(r.tested.some((x) => x.category === '大类2/小类5')).toBe(true);
    expect(r.alerts.filter((a) => a.category === '大类2/小类5' && a.kind !== 'new_topic')).toEqual([]);
  });

  it('环比 just over a year into the data: both windows adjusted alike, not one by last year and one by the wave just past', () => {
    // 45 a week, a flood season of 400 a week 8–22 weeks back, 150 in each of the last 8 weeks; data for 60 weeks:
    // the newer window has its weeks a year back, the older one does not
    const y = new Float64Array(MAX_WEEKS + 1).fill(45);
    for (let w = 8; w <= 22; w++) y[w] = 400;
    for (let w = 0; w < 8; w++) y[w] = 150;
    const total = new Float64Array(MAX_WEEKS + 1).fill(10_000);
    const s: Series = {
      key: 'k',
      category: '城乡水务/排水防涝',
      level: 2,
      cat1: '城乡水务',
      scopeLevel: 'city',
      scopeName: '全市',
      district: null,
      y,
    };
    const frame: Frame = {
      asOf: '2025-11-24',
      week0: '2025-11-17',
      total,
      maxW: 60,
      yearLags: [52, 104, 156],
      series: [s],
      missing: new Uint8Array(MAX_WEEKS + 1),
      exposure: new Map(),
    };
    const b = baselines(s, frame);
    expect(b[0]!.seasonal).toBe(true);
    expect(b[7]!.seasonal).toBe(false);
    const r = momTest(s, frame, b, detectConfig(configFrom({})))!;
    // the hotline's volume is flat, so 600 before means about 600 expected now (it was 88: "环比 +582%")
    expect(r.expected).toBeGreaterThan(590);
    expect(r.expected).toBeLessThan(610);
    expect(r.seasonal).toBe(false);
  });

  it('overall growth of the hotline alone raises no yoy alert', async () => {
    const { alerts, units } = await alertsFor(
      t.store,
      { seed: 51, start: '2023-01-02', end: '2025-12-01', yearlyGrowth: 0.35, perStreetDaily: 3 },
      '2025-11-17',
    );
    expect(units).toBeGreaterThan(20);
    expect(alerts.filter((a) => a.kind === 'yoy')).toEqual([]);
  });
});

describe('a wave on the same dates every year', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  // school opening: ×12 from 1 September for three weeks, every year
  const waves = [{ category: 2, from: '09-01', days: 21, factor: 12 }];

  it.each(['2025-09-15', '2025-09-22'])('is no 环比 rise in the weeks it begins (as of %s)', async (asOf) => {
    const { alerts } = await alertsFor(
      t.store,
      { seed: 21, start: '2022-01-03', end: '2025-10-06', perStreetDaily: 2, seasonal: 0, categories: 30, waves },
      asOf,
    );
    const mom = alerts.filter((a) => a.category.startsWith('大类1/小类3') && a.kind === 'mom');
    expect(mom).toEqual([]);
  });

  it('leaves 环比 its power away from the wave: a spring rise in the same category is found', async () => {
    const { alerts } = await alertsFor(
      t.store,
      {
        seed: 22,
        start: '2022-01-03',
        end: '2025-10-06',
        perStreetDaily: 2,
        seasonal: 0,
        categories: 30,
        waves,
        events: [
          {
            kind: 'abrupt',
            category: '大类1/小类3',
            scope: { level: 'city', name: '' },
            start: '2025-04-07',
            end: '2025-05-05',
            magnitude: 1.6,
          },
        ],
      },
      '2025-05-05',
    );
    expect(alerts.some((a) => a.category === '大类1/小类3' && a.scope.level === 'city' && a.kind === 'mom')).toBe(true);
  });
});

describe('a city-wide rise', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  it('is one primary alert at the city; districts and streets rising with it follow it', async () => {
    const { alerts } = await alertsFor(
      t.store,
      {
        seed: 31,
        start: '2023-01-02',
        end: '2025-12-01',
        perStreetDaily: 3,
        districts: 3,
        streetsPerDistrict: 4,
        events: [
          {
            kind: 'abrupt',
            category: CAT,
            scope: { level: 'city', name: '' },
            start: '2025-10-13',
            end: '2025-12-01',
            magnitude: 1.8,
          },
        ],
      },
      '2025-11-17',
    );
    const rise = alerts.filter((a) => a.category === CAT && a.kind !== 'new_topic');
    const city = rise.filter((a) => a.scope.level === 'city');
    const below = rise.filter((a) => a.scope.level !== 'city');
    expect(city.length).toBeGreaterThan(0);
    expect(city.every((a) => a.details.primary === true)).toBe(true);
    expect(below.length).toBeGreaterThan(3);
    // every scope below the city either follows its alerted parent or is clearly above it
    const following = below.filter((a) => a.details.follows);
    expect(following.length / below.length).toBeGreaterThan(0.8);
    for (const a of following) {
      expect(a.details.primary).toBe(false);
      expect(a.reason).toMatch(/与(全市|第\d区)同步上升（(全市|第\d区)\+\d+%）$/);
    }
  });
});

describe('环比 around the Spring Festival', () => {
  it('takes earlier years at the festival\u2019s distance when the weeks tested are near it, else whole years', async () => {
    const { festivalLags } = await import('../../src/detect/series.js');
    const sf = new Map([
      [2022, '2022-02-01'],
      [2023, '2023-01-22'],
      [2024, '2024-02-10'],
      [2025, '2025-01-29'],
    ]);
    // 8 weeks ending the week of 2025-03-17: their middle (2025-02-20) is three weeks after the 2025 festival
    expect(festivalLags('2025-03-17', sf)).toEqual([Math.round(354 / 7), Math.round(738 / 7), Math.round(1093 / 7)]);
    // in September no festival is near
    expect(festivalLags('2025-09-15', sf)).toEqual([52, 104, 156]);
  });

  it('a wage-arrears wave before the festival is no 环比 rise in a year the festival came late', async () => {
    const t = await tempStore();
    try {
      // ×6 for the five weeks before each festival (dates from the fixture's own calendar)
      const SF: Record<number, string> = {
        2022: '2022-02-01',
        2023: '2023-01-22',
        2024: '2024-02-10',
        2025: '2025-01-29',
        2026: '2026-02-17',
      };
      const rows = generateCounts({
        seed: 41,
        start: '2022-01-03',
        end: '2026-03-30',
        perStreetDaily: 2,
        seasonal: 0,
        categories: 30,
      });
      for (const r of rows) {
        if (r.cat2 !== '大类1/小类3') continue;
        const sf = SF[Number(r.day.slice(0, 4))];
        const d = (Date.parse(sf) - Date.parse(r.day)) / 86_400_000;
        if (d > 0 && d <= 35) r.n *= 6;
      }
      await loadCounts(t.store, rows);
      // 2026's festival is on 17 February, 19 days later than 2025's: calendar weeks would put last years' wave
      // three weeks early and call this year's 环比 a rise
      const r = await detectAlerts(t.store, '2026-02-16', testContext(t.store, '2026-02-16').config);
      expect(r.alerts.filter((a) => a.category.startsWith('大类1/小类3') && a.kind === 'mom')).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });

  it('nor is a term that starts on a fixed date near the festival', async () => {
    const t = await tempStore();
    try {
      const waves = [{ category: 2, from: '02-25', days: 21, factor: 6 }];
      // 2024's festival came 19 days later in the year than 2023's: its distance puts last year three weeks off
      await loadCounts(
        t.store,
        generateCounts({
          seed: 42,
          start: '2021-01-04',
          end: '2024-04-08',
          perStreetDaily: 2,
          seasonal: 0,
          categories: 30,
          waves,
        }),
      );
      for (const asOf of ['2024-03-11', '2024-03-18', '2024-03-25']) {
        const r = await detectAlerts(t.store, asOf, testContext(t.store, asOf).config);
        expect(r.alerts.filter((a) => a.category.startsWith('大类1/小类3') && a.kind === 'mom')).toEqual([]);
      }
    } finally {
      await t.cleanup();
    }
  });
});

describe('data that stopped before the as-of', () => {
  it('is tested up to where it ends: the same alerts as on the day after the last order, not its missing days as zeros', async () => {
    const t = await tempStore();
    try {
      // the export stopped on Wednesday 2025-11-19; the run is a week later
      await loadCounts(
        t.store,
        generateCounts({
          seed: 31,
          start: '2023-01-02',
          end: '2025-11-20',
          perStreetDaily: 3,
          events: [
            {
              kind: 'abrupt',
              category: CAT,
              scope: { level: 'street', name: '街道1-2' },
              start: '2025-10-20',
              end: '2025-12-01',
              magnitude: 2,
            },
          ],
        }),
      );
      const key = (a: Alert) => `${a.kind}|${a.category}|${a.scope.level}|${a.scope.name}|${a.observed}`;
      const late = await detectAlerts(t.store, '2025-11-26', testContext(t.store, '2025-11-26').config);
      const atEnd = await detectAlerts(t.store, '2025-11-20', testContext(t.store, '2025-11-20').config);
      expect(late.alerts.some((a) => a.category === CAT && a.scope.name === '街道1-2')).toBe(true);
      expect(late.alerts.map(key).sort()).toEqual(atEnd.alerts.map(key).sort());
      expect(late.asOf).toBe('2025-11-26');
      // one missing day (an export a day late) is no stop: the as-of stands
      expect((await dataEnd(t.store, '2025-11-21')).asOf).toBe('2025-11-21');
      expect((await dataEnd(t.store, '2025-11-22')).asOf).toBe('2025-11-20');
    } finally {
      t.cleanup();
    }
  });
});
