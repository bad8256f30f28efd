import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testConfig } from '../helpers.js';
import { detectAlerts } from '../../src/detect/compute.js';
import type { Store } from '../../src/store/db.js';
import { addDays } from '../../src/store/dates.js';
import { generateCounts, loadCounts, type CountRow, type FixtureOptions } from './gen.js';

const CAT = '大类1/小类2';
const AS_OF = '2025-11-17';
/** The week the burst falls in: the current week of AS_OF. */
const WEEK0 = '2025-11-10';

/** A city of small series: 12 categories × 6 streets, each ~0.35 orders a week (~25 a week city-wide). */
const small = (seed: number, shape = 20): FixtureOptions => ({
  seed,
  start: '2023-01-02',
  end: AS_OF,
  categories: 12,
  perStreetDaily: 0.05,
  seasonal: 0,
  shape,
});

/** The same city where CAT is called from 街道1-2 only: a category near zero at every scope (~0.35 a week). */
const rare = (seed: number): CountRow[] =>
  generateCounts(small(seed)).filter((r) => r.cat2 !== CAT || r.street === '街道1-2');

/** `n` more orders of CAT in 街道1-2 over the 7 days from `from` (a burst from near zero). */
function burst(n: number, from: string): CountRow[] {
  return Array.from({ length: 7 }, (_, d) => ({
    day: addDays(from, d),
    cat1: '大类1',
    cat2: CAT,
    district: '第1区',
    street: '街道1-2',
    n: Math.floor(n / 7) + (d < n % 7 ? 1 : 0),
  })).filter((r) => r.n > 0);
}

async function run(store: Store, rows: CountRow[], asOf: string, detect: Record<string, unknown> = {}) {
  await loadCounts(store, rows);
  const config = testConfig({ detect: { ...detect, newTopic: { enabled: false } } });
  return detectAlerts(store, asOf, config);
}

describe('a burst under the volume gate', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  it.each([71, 72, 73])(
    'a category near zero that gets 17 orders in one street is alerted in that week (seed %i)',
    async (seed) => {
      const rows = [...rare(seed), ...burst(17, WEEK0)];
      const r = await run(t.store, rows, AS_OF);
      const street = r.alerts.find((a) => a.category === CAT && a.scope.name === '街道1-2' && a.kind === 'spike');
      // the street expected well under 2 a week (the spike volume gate): only the burst rule tests it
      expect(street, r.alerts.map((a) => `${a.kind} ${a.category} ${a.scope.name}`).join('; ')).toBeDefined();
      expect(street!.expected).toBeLessThan(2);
      expect(street!.observed).toBeGreaterThanOrEqual(17);
      expect(street!.details.significance).toBe('burst');
      expect(street!.q_value!).toBeLessThanOrEqual(0.05);
      // Bonferroni over the series under the gate, never looser than spike's alpha (0.003 = 0.05 / 16.7)
      expect(street!.q_value!).toBeGreaterThanOrEqual((street!.p_value! * 0.05) / 0.003 - 1e-12);
      expect(street!.reason).toContain('上周');
      // nothing else in the city is alerted as a burst (its 大类 holds the same orders)
      const others = r.alerts.filter(
        (a) => a.details.significance === 'burst' && a.category !== CAT && !CAT.startsWith(a.category + '/'),
      );
      expect(others).toEqual([]);
      // switched off, the week raises no alert on the category at all (the behaviour before the rule)
      const off = await run(t.store, rows, AS_OF, { burst: { familyAlpha: 0 } });
      expect(off.alerts.filter((a) => a.category === CAT)).toEqual([]);
    },
  );

  it('a count of 9 is under the burst rule (minCount 10), however far above its expectation', async () => {
    const r = await run(t.store, [...rare(71), ...burst(9, WEEK0)], AS_OF);
    expect(r.alerts.filter((a) => a.category === CAT)).toEqual([]);
  });

  it('over-dispersed small quiet series raise no burst alarm in 8 weekly runs (3 seeds)', async () => {
    let burstAlarms = 0;
    let tested = 0;
    for (const seed of [81, 82, 83]) {
      // day-level gamma shape 0.5: orders come in clusters, the usual reason a small count jumps
      const rows = generateCounts({ ...small(seed, 0.5), perStreetDaily: 0.06 });
      await loadCounts(t.store, rows);
      const config = testConfig({ detect: { newTopic: { enabled: false } } });
      for (let w = 0; w < 8; w++) {
        const r = await detectAlerts(t.store, addDays(AS_OF, -7 * w), config);
        burstAlarms += r.alerts.filter((a) => a.details.significance === 'burst').length;
        tested += r.tests.spike;
      }
    }
    expect(tested).toBeGreaterThan(0);
    expect(burstAlarms).toBe(0);
  });
});
