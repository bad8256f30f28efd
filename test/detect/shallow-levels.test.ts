import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { detectAlerts } from '../../src/detect/compute.js';
import { generateCounts, loadCounts, type CountRow, type FixtureOptions, type PlantedRise } from './gen.js';

// A city that records fewer levels than the store can hold: the aggregate stage stores cat2 = cat1 for a path of one
// level. A test exists at level k only for the categories whose path names a level k, so each real category is
// tested (and alerted) once: in a one-level city every 大类 once at level 1 and nothing at level 2; in a mixed city
// (大类1 without 小类, 大类2 with them) 大类1 at level 1 only and 大类2's 小类 at level 2 as before.
const RISES: PlantedRise[] = [
  {
    kind: 'abrupt',
    category: '大类1/小类1',
    scope: { level: 'city', name: '测试市' },
    start: '2025-09-01',
    end: '2025-10-20',
    magnitude: 3,
  },
  {
    kind: 'abrupt',
    category: '大类2/小类4',
    scope: { level: 'district', name: '第1区' },
    start: '2025-09-01',
    end: '2025-10-20',
    magnitude: 3,
  },
];

const OPTS: FixtureOptions = {
  seed: 7,
  start: '2023-01-02',
  end: '2025-10-20',
  categories: 6,
  perStreetDaily: 3,
  events: RISES,
};
const AS_OF = '2025-10-20';

/** The fixture with the level 2 of the given 大类 dropped, as a city that records no 小类 for them is stored. */
function withoutLevel2(rows: readonly CountRow[], shallow: (cat1: string) => boolean): CountRow[] {
  return rows.map((r) => (shallow(r.cat1) ? { ...r, cat2: r.cat1 } : r));
}

/** Alert keys that occur more than once: the same category, scope and kind raised at two levels. */
function duplicates(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
}

describe('detect on a city with fewer category levels than the store holds', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  const base = generateCounts(OPTS);
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  async function run(rows: CountRow[]) {
    await loadCounts(t.store, rows);
    return detectAlerts(t.store, AS_OF, testContext(t.store, AS_OF, { city: { name: '测试市' } }).config);
  }

  it('one level: every 大类 tested once at level 1, no level-2 series, no alert twice', async () => {
    const r = await run(withoutLevel2(base, () => true));
    expect(r.tested.filter((s) => s.level !== 1)).toEqual([]);
    expect(duplicates(r.tested.map((s) => `${s.category}|${s.scopeLevel}|${s.scopeName}`))).toEqual([]);
    const counted = r.alerts.filter((a) => a.kind !== 'new_topic');
    // the planted rises are found, at their 大类 (so the check for doubles below has alerts to look at)
    expect(counted.some((a) => a.category === '大类1')).toBe(true);
    expect(counted.some((a) => a.category === '大类2')).toBe(true);
    expect(counted.filter((a) => a.level !== 1)).toEqual([]);
    expect(duplicates(counted.map((a) => `${a.category}|${a.scope.level}|${a.scope.name}|${a.kind}`))).toEqual([]);
  }, 120_000);

  it('mixed depth: a 大类 without 小类 once at level 1, the 小类 of the other at level 2', async () => {
    const r = await run(withoutLevel2(base, (c) => c === '大类1'));
    const level2 = new Set(r.tested.filter((s) => s.level === 2).map((s) => s.category));
    expect([...level2].sort()).toEqual(['大类2/小类4', '大类2/小类5', '大类2/小类6']);
    expect(duplicates(r.tested.map((s) => `${s.category}|${s.scopeLevel}|${s.scopeName}`))).toEqual([]);
    const counted = r.alerts.filter((a) => a.kind !== 'new_topic');
    expect(counted.some((a) => a.category === '大类1' && a.level === 1)).toBe(true);
    expect(counted.some((a) => a.category === '大类2/小类4' && a.level === 2)).toBe(true);
    expect(duplicates(counted.map((a) => `${a.category}|${a.scope.level}|${a.scope.name}|${a.kind}`))).toEqual([]);
  }, 120_000);
});
