import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { detectAlerts } from '../../src/detect/compute.js';
import { generateCounts, loadCounts, type CountRow, type PlantedRise } from './gen.js';

// A level name may hold '/' (NYC 311's HEAT/HOT WATER; CONTRACT §1 keeps every name whole). The 小类 `电梯/扶梯故障`
// of 大类2 › 小类5 joins to a path with three slashes; detection must cut the level-3 prefixes at the stored level
// names (leaf_paths), not at the slashes, so the rise in one street is tested and alerted at level 3 under the whole
// name, and no level 4 (nor a made-up level-3 `大类2/小类5/电梯`) exists. Invented counts.
const LEAF = '大类2/小类5/电梯/扶梯故障';
const NAMES = ['大类2', '小类5', '电梯/扶梯故障'];
const GENERATED = '大类2/小类5/细类5-3';
const RISE: PlantedRise = {
  kind: 'abrupt',
  category: GENERATED,
  scope: { level: 'street', name: '街道1-2' },
  start: '2025-09-01',
  end: '2025-10-20',
  magnitude: 3,
};
const AS_OF = '2025-10-20';

describe('a level-3 name holding a slash', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
    const rows: CountRow[] = generateCounts({
      seed: 11,
      start: '2023-01-02',
      end: AS_OF,
      categories: 6,
      leaves: 3,
      perStreetDaily: 3.5,
      events: [RISE],
    }).map((r) => (r.category === GENERATED ? { ...r, category: LEAF } : r));
    await loadCounts(t.store, rows);
    // what the aggregate stage records for the path from its orders' category_levels
    await t.store.exec(`INSERT INTO leaf_paths (category, category_levels) VALUES ($c, from_json($n, '["VARCHAR"]'))`, {
      c: LEAF,
      n: JSON.stringify(NAMES),
    });
  }, 120_000);
  afterAll(() => t.cleanup());

  it('is tested and alerted at level 3 under its whole name, with no level 4', async () => {
    const r = await detectAlerts(t.store, AS_OF, testContext(t.store, AS_OF, { city: { name: '测试市' } }).config);
    expect(r.tested.filter((s) => s.level > 3)).toEqual([]);
    expect(r.tested.filter((s) => s.category === '大类2/小类5/电梯')).toEqual([]);
    const leafSeries = r.tested.filter((s) => s.category === LEAF);
    expect(leafSeries.length).toBeGreaterThan(0);
    expect(new Set(leafSeries.map((s) => s.level))).toEqual(new Set([3]));
    const counted = r.alerts.filter((a) => a.kind !== 'new_topic');
    const hits = counted.filter((a) => a.category === LEAF && a.scope.name === '街道1-2');
    expect(hits.length, JSON.stringify(counted.map((a) => [a.category, a.level, a.scope.name]))).toBeGreaterThan(0);
    expect(hits.every((a) => a.level === 3)).toBe(true);
    expect(counted.filter((a) => a.level > 3)).toEqual([]);
    // its 中类 in that street is explained by it, named whole (its parent comes from the names, not the slashes)
    const parents = counted.filter((a) => a.category === '大类2/小类5' && a.scope.name === '街道1-2');
    expect(parents.length).toBeGreaterThan(0);
    for (const p of parents) {
      expect((p.details.explained_by as { name: string } | undefined)?.name, p.reason).toBe(LEAF);
      expect(p.reason).toContain('主要来自「电梯/扶梯故障」');
    }
  }, 120_000);
});
