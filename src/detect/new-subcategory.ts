import { addDays, daysBetween, monthLabel } from '../store/dates.js';
import { sum, type TestResult } from './kinds.js';
import { categoryParentKey, childName } from './hierarchy.js';
import { historyOf, type Frame, type Series } from './series.js';

/**
 * A level-2 category (小类) that first appeared inside the weeks a level-1 (大类) test compares against. Its
 * orders count in the tested window and not, or hardly, in the baseline, so part of the 大类's rise may be a
 * change of taxonomy (a new code taking orders from another 大类) rather than more complaints. The test stays as
 * it is — a genuinely new kind of complaint is a real rise — but the reason says so.
 */
export interface NewSubcategory {
  category: string;
  /** The sub-category's first day with orders. */
  since: string;
  /** Its orders in the tested window, less those in the window it was compared with (mom). */
  count: number;
  /** count over the parent's excess, capped at 1. */
  share: number;
}

/** The part of the excess that must sit in one new sub-category before the reason mentions it. */
export const NEW_SUBCATEGORY_SHARE = 0.25;

/** Weeks back the test of this result reads its expectation from; a child born within them is "new" to it. */
function reach(r: TestResult): number {
  if (r.kind === 'mom') return 8;
  // same weeks of earlier years (the nearest a year back, ±3 weeks), or the weeks just before (baseline.ts)
  return r.seasonal || r.kind === 'yoy' ? 56 : 20;
}

/**
 * For each result, the new sub-category one level down (if any) holding at least `minShare` of its excess.
 * A child is new when its first week falls inside the test's reach and the parent is older than it.
 */
export function newSubcategories(
  results: readonly TestResult[],
  frame: Frame,
  minShare = NEW_SUBCATEGORY_SHARE,
): Map<TestResult, NewSubcategory> {
  const children = new Map<string, Series[]>();
  for (const s of frame.series) {
    const parent = categoryParentKey(s);
    if (!parent || s.maxW === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(s);
    children.set(parent, list);
  }
  const out = new Map<TestResult, NewSubcategory>();
  for (const r of results) {
    const kids = children.get(r.series.key);
    const excess = r.observed - r.expected;
    if (!kids || excess <= 0) continue;
    const weeks = daysBetween(r.windowStart, frame.week0) / 7 + 1;
    const parentHistory = historyOf(r.series, frame);
    let best: NewSubcategory | null = null;
    for (const c of kids) {
      const first = historyOf(c, frame) + 1;
      if (first >= reach(r) || first >= parentHistory) continue;
      const count = sum(c.y, 0, weeks - 1) - (r.kind === 'mom' ? sum(c.y, weeks, 2 * weeks - 1) : 0);
      if (count <= 0 || (best && count <= best.count)) continue;
      best = {
        category: c.category,
        since: c.firstDay ?? addDays(frame.week0, -7 * first),
        count,
        share: Math.min(1, count / excess),
      };
    }
    if (best && best.share >= minShare) out.set(r, best);
  }
  return out;
}

/** The clause the reason ends with; the sub-category named by its own level under `parent` (the tested category). */
export function newSubcategoryClause(n: NewSubcategory, parent: string): string {
  const leaf = childName(n.category, parent);
  return `；其中「${leaf}」是${monthLabel(n.since)}起才有工单的新小类，约占增量${Math.round(n.share * 100)}%，上升可能部分来自分类调整`;
}
