import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../store/errors.js';
import { fitCalibration, lexFeature, type Calibration } from './fusion.js';
import { CAUSE_TAGS, type CauseTag } from './lexicon.js';
import type { RealMessage } from './real-eval.js';
import type { Tagger, TextEvidence } from './tagger.js';
import { textOrder } from './text-order.js';

/**
 * Calibration on real, hand-labelled orders. The text model learns from the team's short texts, where its margin
 * says almost everything; on long real messages the margin says much less and the lexicon more, so the
 * probabilities it gives are not what they claim. Refitting only the small per-tag logistic regression
 * (p = σ(a·margin + b·lexicon + c)) on a few hundred labelled real orders makes them mean what they say, and the
 * per-tag thresholds are then chosen on the same orders for precision. The file holds numbers only, no texts:
 * `weisu tag calibrate` writes it, config `tag.calibration` points at a city's own.
 */
const CalibrationSchema = z.strictObject({ a: z.number().finite(), b: z.number().finite(), c: z.number().finite() });
const FileSchema = z.looseObject({
  note: z.string().optional(),
  fittedOn: z.string().optional(),
  calibration: z.partialRecord(z.enum(CAUSE_TAGS), CalibrationSchema).default({}),
  thresholds: z.partialRecord(z.enum(CAUSE_TAGS), z.number().gt(0).lt(1)).default({}),
});

export interface RealCalibration {
  calibration: Partial<Record<CauseTag, Calibration>>;
  thresholds: Partial<Record<CauseTag, number>>;
  /** The raw text, for the fingerprints. */
  text: string;
}

export function loadRealCalibration(file: string): RealCalibration {
  if (!existsSync(file)) throw new UserError(`找不到标签校准文件：${file}`);
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`标签校准文件 ${file}：不是有效的 JSON（${(err as Error).message}）`);
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`标签校准文件 ${file} 字段 ${issue.path.join('.')}：${issue.message}`);
  }
  return { calibration: parsed.data.calibration, thresholds: parsed.data.thresholds, text };
}

/** The text evidence with the calibrations the file gives replacing the trained ones (other tags keep theirs). */
export function withCalibration(text: TextEvidence, real: RealCalibration): TextEvidence {
  const calibration = text.model.tags.map((tag, t) => real.calibration[tag as CauseTag] ?? text.calibration[t]);
  return { ...text, calibration };
}

const GRID = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

/**
 * Fit the per-tag calibration on labelled real messages the tagger reads as complaints (the others are damped
 * anyway), then pick per tag the lowest threshold whose precision on them reaches `minPrecision` with at least 5
 * tags emitted, or else the one with the best F1.
 */
export function fitRealCalibration(
  tagger: Tagger,
  messages: readonly RealMessage[],
  minPrecision = 0.7,
): Omit<RealCalibration, 'text'> {
  const rows = messages
    .map((m) => ({ m, e: tagger.explain(textOrder(m.text)), complaint: tagger.act === 0 }))
    .filter((r) => r.complaint);
  const calibration: Partial<Record<CauseTag, Calibration>> = {};
  const thresholds: Partial<Record<CauseTag, number>> = {};
  tagger.tags.forEach((tag, t) => {
    const y = rows.map((r) => r.m.tags.includes(tag));
    if (!y.some(Boolean)) return;
    const cal = fitCalibration(
      rows.map((r) => r.e[t].margin),
      rows.map((r) => lexFeature(r.e[t].lexiconScore)),
      y,
    );
    calibration[tag] = cal;
    const p = rows.map(
      (r) => 1 / (1 + Math.exp(-(cal.a * r.e[t].margin + cal.b * lexFeature(r.e[t].lexiconScore) + cal.c))),
    );
    const stats = GRID.map((th) => {
      let tp = 0,
        pred = 0;
      p.forEach((x, i) => {
        if (x >= th) {
          pred++;
          if (y[i]) tp++;
        }
      });
      const support = y.filter(Boolean).length;
      const precision = pred ? tp / pred : 0;
      const recall = tp / support;
      return { th, pred, precision, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
    });
    const ok = stats.find((s) => s.precision >= minPrecision && s.pred >= 5);
    thresholds[tag] = (ok ?? stats.reduce((a, b) => (b.f1 > a.f1 ? b : a))).th;
  });
  return { calibration, thresholds };
}

/** One labelled training order as the tagger saw it out of fold: speech act, model margins, lexicon scores. */
export interface OofRow {
  act: number;
  margins: ArrayLike<number>;
  lex: ArrayLike<number>;
  tags: readonly string[];
}

const THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const LEXICON_ALONE = [Infinity, 2, 3, 4, 5, 6, 8];

/**
 * Per tag, the threshold and lexicon-alone level the tagger's rule would need on orders it did not learn from (the
 * training orders' out-of-fold predictions): the best F1 among those reaching `minPrecision` with at least 3 tags
 * emitted, else the best F1 (minPrecision 0: the best F1). Only training orders go in, so a held-out source never
 * shapes its own thresholds.
 */
export function chooseThresholdsOof(
  rows: readonly OofRow[],
  tags: readonly CauseTag[],
  calibration: readonly Calibration[],
  nonComplaint: number,
  minPrecision: number,
): { thresholds: Record<string, number>; lexiconAlone: Record<string, number> } {
  const thresholds: Record<string, number> = {};
  const lexiconAlone: Record<string, number> = {};
  tags.forEach((tag, t) => {
    const y = rows.map((r) => r.tags.includes(tag));
    const support = y.filter(Boolean).length;
    const p = rows.map((r) => {
      const z = calibration[t].a * r.margins[t] + calibration[t].b * lexFeature(r.lex[t]) + calibration[t].c;
      return (r.act === 0 ? 1 : nonComplaint) / (1 + Math.exp(-z));
    });
    let best = { f1: -1, th: 0.5, la: Infinity };
    let bestOk = { f1: -1, th: 0.5, la: Infinity };
    for (const th of THRESHOLDS)
      for (const la of LEXICON_ALONE) {
        let tp = 0,
          pred = 0;
        rows.forEach((r, i) => {
          if (p[i] >= th || (r.act === 0 && r.lex[t] >= la)) {
            pred++;
            if (y[i]) tp++;
          }
        });
        const precision = pred ? tp / pred : 0;
        const recall = support ? tp / support : 0;
        const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
        if (f1 > best.f1) best = { f1, th, la };
        if (precision >= minPrecision && pred >= 3 && f1 > bestOk.f1) bestOk = { f1, th, la };
      }
    const pick = bestOk.f1 >= 0 ? bestOk : best;
    thresholds[tag] = pick.th;
    if (Number.isFinite(pick.la)) lexiconAlone[tag] = pick.la;
  });
  return { thresholds, lexiconAlone };
}
