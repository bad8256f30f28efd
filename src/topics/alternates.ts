import type { TopicsConfig } from './config.js';
import { countsOnly, reasonSentences } from './reasons.js';
import type { Scored } from './score.js';

/** A category shown as 备选 when fewer than two pass the bar: what speaks for it and, honestly, why it is weaker. */
export interface Alternate {
  rank: number;
  category: string;
  level: 1 | 2;
  score: number;
  excluded_why: string;
  /** What the month's figures say for it (the first reason sentence a candidate would carry). */
  reasons: string[];
  /** Why it did not pass the bar, in plain words. */
  weaker: string[];
}

/** Gates a leader may still override: a routine, small or narrow category can be chosen; out of scope cannot. */
const SHOWABLE = new Set(['routine', 'too_small', 'not_broad']);

const pct = (x: number) => `${Math.round(Math.abs(x) * 100)}%`;
const change = (x: number | null) =>
  x === null ? '无可比数据' : Math.round(x * 100) === 0 ? '基本持平' : x > 0 ? `上升${pct(x)}` : `下降${pct(x)}`;

/** Why a category that did not pass the bar is weaker than a candidate, from the gate that stopped it. */
export function weakerReasons(s: Scored, cfg: TopicsConfig): string[] {
  const d = s.derived;
  const out: string[] = [];
  if (s.excludedWhy === 'too_small') {
    out.push(`上月仅${s.metrics.n_last}件，低于${cfg.minOrders}件的候选门槛，本月也没有预计会明显增多`);
  } else if (s.excludedWhy === 'not_broad') {
    out.push('上升只集中在个别小类，整个大类没有普遍上升，宜按小类处理');
  } else {
    // the figures the gate read, named as such: the reason sentence above gives the plain ones
    const adjusted = d.yoyAdjusted !== null || d.momAdjusted !== null;
    out.push(
      `${adjusted ? '按评分口径（扣除全市总量增长与季节变化后）' : ''}同比${change(d.yoyAdjusted ?? d.yoy)}、环比${change(d.momAdjusted ?? d.mom)}，` +
        '上升不明显或不够确定，本月也无季节高峰将至',
    );
  }
  out.push('未达到候选条件，列为备选供会议参考；如选定，请先核实近期情况');
  return out;
}

/** A level-1 category whose orders are mostly one showable level-2 category: the child says more, so it stands. */
function carriedByChild(s: Scored, scored: readonly Scored[]): boolean {
  if (s.metrics.level !== 1) return false;
  return scored.some(
    (c) =>
      c.metrics.level === 2 &&
      c.metrics.cat1 === s.metrics.category &&
      c.excludedWhy !== null &&
      SHOWABLE.has(c.excludedWhy) &&
      c.metrics.n_last >= 0.5 * s.metrics.n_last,
  );
}

/**
 * The next categories by score after the candidates, when fewer than two passed (the 调度会 chooses among 2–3):
 * skipping gates a leader cannot override and any category overlapping a candidate or an earlier alternate
 * (a level-1 category and its own level-2 categories are one topic).
 */
export function pickAlternates(
  scored: readonly Scored[],
  picked: readonly Scored[],
  cfg: TopicsConfig,
  cityName: string,
): Alternate[] {
  const want = Math.min(3, cfg.candidates);
  if (picked.length >= Math.min(2, cfg.candidates)) return [];
  const taken: Scored[] = [...picked];
  const out: Alternate[] = [];
  for (const s of scored) {
    if (taken.length >= want) break;
    if (s.eligible || !s.excludedWhy || !SHOWABLE.has(s.excludedWhy) || s.metrics.n_last === 0) continue;
    const overlaps = taken.some(
      (p) =>
        p.metrics.category === s.metrics.category ||
        p.metrics.category === s.metrics.cat1 ||
        s.metrics.category === p.metrics.cat1,
    );
    if (overlaps || carriedByChild(s, scored)) continue;
    taken.push(s);
    const first = reasonSentences(s, countsOnly(cityName))[0];
    out.push({
      rank: taken.length,
      category: s.metrics.category,
      level: s.metrics.level,
      score: s.score,
      excluded_why: s.excludedWhy,
      reasons: first ? [first] : [],
      weaker: weakerReasons(s, cfg),
    });
  }
  return out;
}
