import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { detectAlerts } from '../../src/detect/compute.js';
import { addDays, daysBetween } from '../../src/store/dates.js';
import { generateCounts, loadCounts, poisson, rng, type CountRow } from './gen.js';

/** A new 小类 code under 大类1 from `since` on: orders that the 大类 never had before. */
function newCode(rows: CountRow[], since: string, end: string, perStreetDaily: number, seed: number): CountRow[] {
  const r = rng(seed);
  const streets = [...new Map(rows.map((x) => [x.street, x.district])).entries()];
  const out = [...rows];
  for (let d = 0; d < daysBetween(since, end); d++) {
    const day = addDays(since, d);
    for (const [street, district] of streets) {
      const n = poisson(r, perStreetDaily);
      if (n > 0) out.push({ day, cat1: '大类1', cat2: '大类1/新小类', district, street, n });
    }
  }
  return out;
}

describe('a 大类 whose rise sits in a new 小类', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  // a Wednesday in the weeks the tests never load (between this year's recent weeks and last year's same weeks)
  it('says so in the 大类 alert, with the month the code first appears and its share of the excess', async () => {
    const base = generateCounts({
      seed: 5,
      start: '2023-01-02',
      end: '2025-12-01',
      perStreetDaily: 3,
      seasonal: 0,
      categories: 12,
    });
    await loadCounts(t.store, newCode(base, '2025-03-05', '2025-12-01', 4, 7));
    const asOf = '2025-11-17';
    const { alerts } = await detectAlerts(t.store, asOf, testContext(t.store, asOf).config);
    const parent = alerts.filter((a) => a.category === '大类1' && a.scope.level === 'city' && a.kind === 'yoy');
    expect(parent).toHaveLength(1);
    const a = parent[0];
    expect(a.reason).toMatch(/「新小类」是2025年3月起才有工单的新小类，约占增量\d+%，上升可能部分来自分类调整/);
    const part = a.details.new_subcategory as { category: string; since: string; count: number; share: number };
    expect(part.category).toBe('大类1/新小类');
    expect(part.since).toBe('2025-03-05');
    // its orders in the 4 weeks tested, against the 大类's excess over last year
    expect(part.count).toBeGreaterThan(200);
    expect(part.share).toBeGreaterThan(0.8);
    // the other 大类 has no new code, and says nothing of one
    for (const o of alerts.filter((x) => x.category.startsWith('大类2'))) {
      expect(o.reason).not.toMatch(/新小类/);
      expect(o.details.new_subcategory).toBeUndefined();
    }
  });

  it('stays silent when the 大类 rose in its old 小类 and the new code is small', async () => {
    const base = generateCounts({
      seed: 6,
      start: '2023-01-02',
      end: '2025-12-01',
      perStreetDaily: 3,
      seasonal: 0,
      categories: 12,
      events: [
        {
          kind: 'abrupt',
          category: '大类1/小类1',
          scope: { level: 'city', name: '' },
          start: '2025-10-20',
          end: '2025-12-01',
          magnitude: 2,
        },
      ],
    });
    await loadCounts(t.store, newCode(base, '2025-08-04', '2025-12-01', 0.05, 8));
    const asOf = '2025-11-17';
    const { alerts } = await detectAlerts(t.store, asOf, testContext(t.store, asOf).config);
    const parents = alerts.filter((a) => a.category === '大类1' && a.scope.level === 'city');
    expect(parents.length).toBeGreaterThan(0);
    for (const a of parents) {
      expect(a.reason).not.toMatch(/新小类/);
      expect(a.details.new_subcategory).toBeUndefined();
    }
  });
});
