import { FALLBACK_TAG } from './lexicon.js';
import type { LabelledOrder } from './labelled.js';
import type { Tagger } from './tagger.js';
import { textOrder } from './text-order.js';

export interface TagMetrics {
  tag: string;
  support: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  orders: number;
  perTag: TagMetrics[];
  /** Mean F1 over the five causes and 其他. */
  macroF1: number;
  /** Mean F1 over the five causes only. */
  macroF1Causes: number;
  /** Share of orders whose predicted tag set equals the labelled set. */
  exactMatch: number;
}

/** Score a tagger on labelled orders (text only: the sample has no structural fields). */
export function evaluate(tagger: Tagger, orders: LabelledOrder[]): Evaluation {
  const names = [...tagger.tags, FALLBACK_TAG];
  const counts = new Map(names.map((n) => [n, { support: 0, predicted: 0, tp: 0 }]));
  let exact = 0;
  for (const o of orders) {
    const got = new Set(tagger.tag(textOrder(o.content, o.category)).map((r) => r.tag));
    const want = new Set<string>(o.tags.length ? o.tags : [FALLBACK_TAG]);
    if (got.size === want.size && [...got].every((t) => want.has(t))) exact++;
    for (const n of names) {
      const c = counts.get(n)!;
      if (want.has(n)) c.support++;
      if (got.has(n)) c.predicted++;
      if (want.has(n) && got.has(n)) c.tp++;
    }
  }
  const perTag = names.map((tag) => {
    const c = counts.get(tag)!;
    const precision = c.predicted ? c.tp / c.predicted : 0;
    const recall = c.support ? c.tp / c.support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { tag, ...c, precision, recall, f1 };
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    orders: orders.length,
    perTag,
    macroF1: mean(perTag.map((m) => m.f1)),
    macroF1Causes: mean(perTag.filter((m) => m.tag !== FALLBACK_TAG).map((m) => m.f1)),
    exactMatch: orders.length ? exact / orders.length : 0,
  };
}

const pct1 = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

/** The lines `weisu tag eval` prints for the held-out part of the labelled sample (users read Chinese). */
export function formatEvaluation(ev: Evaluation): string[] {
  return [
    `留出的标注样本（本团队编写）：${ev.orders} 件；各标签平均 F1 ${ev.macroF1.toFixed(3)}（五类根因 ${ev.macroF1Causes.toFixed(3)}）；标签完全一致 ${pct1(ev.exactMatch).trim()}`,
    ...ev.perTag.map(
      (m) =>
        `  ${m.tag.padEnd(8, '　')} 准确率 ${pct1(m.precision)}  召回率 ${pct1(m.recall)}  F1 ${m.f1.toFixed(3)}（标注 ${m.support} 件）`,
    ),
  ];
}
