import type { TestResult } from './kinds.js';
import { quasiPoissonUpper } from './stats.js';
import { seriesKey, type Series } from './series.js';

/** Where a parent's excess comes from: the child scope or sub-category holding most of it. */
export interface Explanation {
  by: 'scope' | 'category';
  level: string;
  name: string;
  share: number;
  /** Whether the child has an alert of the same kind itself. */
  alerted: boolean;
  /** Series key of the child. */
  key: string;
}

export function scopeParentKey(s: Series, cityName: string): string | null {
  if (s.scopeLevel === 'street') return seriesKey(s.level, s.category, 'district', s.district ?? '', null);
  if (s.scopeLevel === 'district') return seriesKey(s.level, s.category, 'city', cityName, null);
  return null;
}

/**
 * The series one category level up, same scope: a 中类's 大类, a 小类's 中类. The parent comes from the stored level
 * names (Series.parent), since a name may hold '/'; only a series built without it reads its path's slashes.
 */
export function categoryParentKey(s: Series): string | null {
  if (s.level < 2) return null;
  const parent = s.parent ?? (s.level === 2 ? s.cat1 : s.category.slice(0, s.category.lastIndexOf('/')));
  return seriesKey(s.level - 1, parent, s.scopeLevel, s.scopeName, s.district);
}

/** A sub-category's own name under its parent category (「电梯/扶梯故障」 under 住房/物业), kept whole even with '/'. */
export function childName(child: string, parent: string): string {
  return child.startsWith(parent + '/') ? child.slice(parent.length + 1) : child;
}

/**
 * For each tested parent, the child (one level down in scope, or the level-2 categories of a level-1 one) with
 * the largest excess, when that child alone holds at least `share` of the parent's excess. Children are looked
 * at whether or not they alerted: a district rise that sits in one street is reported as coming from it.
 */
export function explainParents(
  results: readonly TestResult[],
  alerted: ReadonlySet<string>,
  cityName: string,
  share: number,
): Map<string, Explanation> {
  const byKey = new Map(results.map((r) => [r.series.key, r]));
  const best = new Map<string, { r: TestResult; by: 'scope' | 'category' }[]>();
  for (const r of results) {
    for (const [parent, by] of [
      [scopeParentKey(r.series, cityName), 'scope'],
      [categoryParentKey(r.series), 'category'],
    ] as const) {
      if (!parent || !byKey.has(parent)) continue;
      const list = best.get(parent) ?? [];
      list.push({ r, by });
      best.set(parent, list);
    }
  }
  const out = new Map<string, Explanation>();
  for (const [parentKey, children] of best) {
    const parent = byKey.get(parentKey)!;
    const excess = parent.observed - parent.expected;
    if (excess <= 0) continue;
    // prefer the place over the sub-category when both explain it: the place is what a leader can dispatch to
    for (const by of ['scope', 'category'] as const) {
      let top: TestResult | null = null;
      for (const c of children)
        if (c.by === by && (!top || c.r.observed - c.r.expected > top.observed - top.expected)) top = c.r;
      if (!top) continue;
      const s = (top.observed - top.expected) / excess;
      if (s >= share) {
        out.set(parentKey, {
          by,
          level: by === 'scope' ? top.series.scopeLevel : 'category',
          name: by === 'scope' ? top.series.scopeName : top.series.category,
          share: Math.min(1, s),
          alerted: alerted.has(top.series.key),
          key: top.series.key,
        });
        break;
      }
    }
  }
  // city ← district ← street, and 大类 ← 中类 ← 小类: name the narrowest place (or category), with its share of the
  // top-level excess
  for (const [parentKey, e] of out) {
    let cur = e;
    for (let next = out.get(cur.key); next && next.by === e.by; next = out.get(next.key)) cur = next;
    if (cur === e) continue;
    const parent = byKey.get(parentKey)!;
    const leaf = byKey.get(cur.key)!;
    out.set(parentKey, {
      ...cur,
      share: Math.min(1, (leaf.observed - leaf.expected) / (parent.observed - parent.expected)),
    });
  }
  return out;
}

/** The alerted parent (scope, or category one level up) a child's rise is no larger than. */
export interface Follow {
  /** The parent's scope level, or 'category' when it is the category one level up in the same scope. */
  level: string;
  name: string;
  key: string;
  /** What the reason calls it: 全市, the district's name, or the parent category in 「」. */
  label: string;
  /** The parent's rise, percent. */
  pct: number;
}

/** Whether a child's count is no more than its parent's rise carried over (p > 0.01, the child's own dispersion). */
function withinParentLift(r: TestResult, parent: TestResult): boolean {
  // the same window and test for every kind (a trend's 8 weeks too): the child's count against its own
  // expectation times the parent's ratio
  const lift = parent.observed / parent.expected;
  return lift > 1 && quasiPoissonUpper(r.observed, r.expected * lift, r.phi) > 0.01;
}

function followOf(parent: TestResult, by: 'scope' | 'category'): Follow {
  const p = parent.series;
  const lift = parent.observed / parent.expected;
  return {
    level: by === 'category' ? 'category' : p.scopeLevel,
    name: by === 'category' ? p.category : p.scopeName,
    key: p.key,
    label: by === 'category' ? `「${p.category}」` : p.scopeLevel === 'city' ? '全市' : p.scopeName,
    // the figure the parent's own reason quotes (a trend's is its last 4 weeks)
    pct: Math.round(((parent.kind === 'trend' ? parent.extra.recent_ratio : lift) - 1) * 100),
  };
}

/**
 * Children of an alerted parent — a district or street under its city or district, or a finer category under the
 * category one level up in the same place — whose own count is not significantly above their expectation lifted by
 * the parent's ratio: a city-wide rise is one rise, not 28 primary alerts from city to street, and a 中类 rising
 * evenly is one rise, not one per 小类. A child clearly above its parent's lift stays primary: that is where it is
 * worst. The place is looked at first (what a leader dispatches to).
 */
export function followParents(
  rs: readonly TestResult[],
  alerted: ReadonlySet<string>,
  cityName: string,
  why: ReadonlyMap<string, Explanation>,
): Map<string, Follow> {
  const byKey = new Map(rs.map((r) => [r.series.key, r]));
  const out = new Map<string, Follow>();
  for (const r of rs) {
    if (!alerted.has(r.series.key)) continue;
    for (const [parentKey, by] of [
      [scopeParentKey(r.series, cityName), 'scope'],
      [categoryParentKey(r.series), 'category'],
    ] as const) {
      const parent = parentKey ? byKey.get(parentKey) : undefined;
      if (!parent || !alerted.has(parent.series.key) || parent.expected <= 0) continue;
      // a parent whose rise is explained by a child is that child's rise: the child leads, never follows
      if (why.has(parent.series.key)) continue;
      if (withinParentLift(r, parent)) {
        out.set(r.series.key, followOf(parent, by));
        break;
      }
    }
  }
  return out;
}
