import type { Explanation } from './hierarchy.js';
import type { TestResult } from './kinds.js';
import { newSubcategoryClause, type NewSubcategory } from './new-subcategory.js';

function pct(observed: number, expected: number): number {
  return Math.round((observed / Math.max(expected, 1e-9) - 1) * 100);
}

function n(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/** One line of Chinese a leader can read: what rose, by how much, against what, and where it comes from. */
export function reasonFor(r: TestResult, scopeLabel: string, why: Explanation | undefined, newPart?: NewSubcategory): string {
  const head = `${scopeLabel}「${r.series.category}」`;
  let body: string;
  switch (r.kind) {
    case 'spike':
      body = `上周${n(r.observed)}件，按往年同期与总量应约${n(r.expected)}件，高出${pct(r.observed, r.expected)}%`;
      break;
    case 'mom':
      // from a base of a few orders a percentage means nothing: "环比上升888%（55件，前4周1件）"
      if (r.extra.previous < 10) {
        body = `近4周${n(r.observed)}件，前4周仅${n(r.extra.previous)}件（${r.seasonal ? '季节调整后' : '按热线总量调整后'}预期${n(r.expected)}件）`;
        break;
      }
      body = `近4周环比上升${pct(r.observed, r.expected)}%（${n(r.observed)}件，前4周${n(r.extra.previous)}件，${r.seasonal ? '季节调整后' : '按热线总量调整后'}预期${n(r.expected)}件）`;
      break;
    case 'yoy':
      if (r.extra.last_year < 10) {
        body = `近4周${n(r.observed)}件，去年同期仅${n(r.extra.last_year)}件（已扣除热线总量变化${pct(r.extra.volume_growth, 1)}%，预期${n(r.expected)}件）`;
        break;
      }
      body = `近4周同比上升${pct(r.observed, r.expected)}%（${n(r.observed)}件，去年同期${n(r.extra.last_year)}件，已扣除热线总量变化${pct(r.extra.volume_growth, 1)}%）`;
      break;
    case 'trend':
      body = `近8周持续爬升，其中${r.extra.weeks_above}周高于预期，近4周高出${Math.round((r.extra.recent_ratio - 1) * 100)}%`;
      break;
  }
  // the new sub-category's clause names it with its share already
  const sameChild = newPart && why?.by === 'category' && why.name === newPart.category;
  const from = why && !sameChild ? `，主要来自${why.name}（占增量${Math.round(why.share * 100)}%）` : '';
  const caveat = r.seasonal ? '' : '（历史不足一年，未做季节调整）';
  return head + body + from + caveat + (newPart ? newSubcategoryClause(newPart) : '');
}
