import { childName, type Explanation, type Follow } from './hierarchy.js';
import { TREND_SHIFT, type TestResult } from './kinds.js';
import { newSubcategoryClause, type NewSubcategory } from './new-subcategory.js';

function pct(observed: number, expected: number): number {
  return Math.round((observed / Math.max(expected, 1e-9) - 1) * 100);
}

function signedPct(observed: number, base: number): string {
  const v = pct(observed, base);
  return v === 0 ? '持平' : v > 0 ? `上升${v}%` : `下降${-v}%`;
}

function n(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/** One line of Chinese a leader can read: what rose, by how much, against what, and where it comes from. */
export function reasonFor(
  r: TestResult,
  scopeLabel: string,
  why: Explanation | undefined,
  newPart?: NewSubcategory,
  follow?: Follow,
  missingDays = 0,
): string {
  const head = `${scopeLabel}「${r.series.category}」`;
  let body: string;
  switch (r.kind) {
    case 'spike': {
      // the baseline says what it is: earlier years' same weeks, or (short history) the 12 weeks before
      const basis = r.seasonal ? '按往年同期与总量' : '按此前12周与总量';
      body =
        r.expected < 10
          ? `上周${n(r.observed)}件，${basis}应约${n(r.expected)}件`
          : `上周${n(r.observed)}件，${basis}应约${n(r.expected)}件，高出${pct(r.observed, r.expected)}%`;
      break;
    }
    case 'mom':
      // from a base of a few orders a percentage means nothing: "环比上升888%（55件，前4周1件）"
      if (r.extra.previous < 10) {
        body = `近4周${n(r.observed)}件，前4周仅${n(r.extra.previous)}件（${r.seasonal ? '季节调整后' : '按热线总量调整后'}预期${n(r.expected)}件）`;
        break;
      }
      // 环比 is against the previous 4 weeks; what makes it an alert is the excess over the adjusted expectation, which
      // the season can put below the previous weeks ("环比上升271%（20件，前4周13件…）" read as +271% on the weeks before)
      body = `近4周${n(r.observed)}件，环比${signedPct(r.observed, r.extra.previous)}（前4周${n(r.extra.previous)}件），较${r.seasonal ? '季节调整后' : '按热线总量调整后'}的预期${n(r.expected)}件高出${pct(r.observed, r.expected)}%`;
      break;
    case 'yoy':
      if (r.extra.last_year < 10) {
        body = `近4周${n(r.observed)}件，去年同期仅${n(r.extra.last_year)}件（已扣除热线总量变化${pct(r.extra.volume_growth, 1)}%，预期${n(r.expected)}件）`;
        break;
      }
      body = `近4周同比上升${pct(r.observed, r.expected)}%（${n(r.observed)}件，去年同期${n(r.extra.last_year)}件，已扣除热线总量变化${pct(r.extra.volume_growth, 1)}%）`;
      break;
    case 'trend':
      body =
        r.extra.form === TREND_SHIFT
          ? `近${r.extra.shift_weeks}周持续高于预期，合计高出${Math.round((r.extra.shift_ratio - 1) * 100)}%`
          : `近8周持续爬升，其中${r.extra.weeks_above}周高于预期，近4周高出${Math.round((r.extra.recent_ratio - 1) * 100)}%`;
      break;
  }
  // the new sub-category's clause names it with its share already
  const sameChild = newPart && why?.by === 'category' && why.name === newPart.category;
  // a finer category is named by its own level (「电梯故障」), not its whole path; a level name may hold '/'
  const whyName = why?.by === 'category' ? `「${childName(why.name, r.series.category)}」` : why?.name;
  const from = why && !sameChild ? `，主要来自${whyName}（占增量${Math.round(why.share * 100)}%）` : '';
  const caveat = r.seasonal ? '' : '（历史不足一年，未做季节调整）';
  // days of the window with no order city-wide are a missing export: the counts above are of the days seen
  const gap = missingDays > 0 ? `（其中${missingDays}天全市无工单，应为数据缺失，按有数据的天数比较）` : '';
  const along = follow
    ? `，与${follow.label}同步上升（${follow.label}${follow.pct >= 0 ? '+' : ''}${follow.pct}%）`
    : '';
  return head + body + gap + from + caveat + (newPart ? newSubcategoryClause(newPart, r.series.category) : '') + along;
}
