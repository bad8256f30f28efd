/**
 * The root-cause model for real messages: one-vs-rest logistic regression (L2) over sparse text features —
 * character pairs and triples, words and adjacent word pairs (the words jieba finds in the training texts; new text
 * is cut by forward maximum matching over them, features.ts WordDict) — plus the cue-phrase lexicon's per-cause
 * scores and the speech act as dense features, trained with per-example weights (hand-labelled real messages
 * count fully, the team's own texts are down-weighted: they teach the register of short records, not letters).
 */
import { LO, SPAN, WORD_BASE, WordCut, WordDict, cutWords, forEachWordFeature } from './features.js';
import { MAX_CHARS } from './model.js';
import { mulberry32 } from '../stats/random.js';

const WORD_MASK = 0x3fffffff;

export interface LinearOptions {
  /** Character triples beside the pairs. */
  trigrams: boolean;
  /** Words and word pairs (needs a word list). */
  words: boolean;
  /** Features in fewer training documents than this are dropped. */
  minDf: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty λ on the whole loss Σ weight·logloss + λ/2·|w|². */
  l2: number;
  seed: number;
  /** Scale of the dense lexicon and speech-act features against the unit-length text vector. */
  denseScale: number;
  /**
   * Class balance β per cause: each positive example's weight is multiplied by (W− / W+)^β, W± the summed weights
   * of the cause's negative and positive examples (0: none; 1: both sides weigh the same), so a rare cause's
   * features are not shrunk to nothing by the penalty.
   */
  classBalance: number;
  /**
   * Features seen in fewer of the training sources than this are dropped (the team's texts count as one source):
   * a phrase only one board uses names that board's topic or places, not a cause. 1: no such rule.
   */
  minSources: number;
  /**
   * Models fitted with this many shuffle seeds (seed, seed + 1, …) and their weights averaged: one linear model
   * whose margin is the mean of theirs, so scoring costs the same; the average is less tied to one SGD order.
   */
  seeds: number;
  /**
   * Each feature's IDF raised to this power (1: plain TF-IDF; 0: every feature present weighs the same). Below 1 a
   * feature seen in a handful of training texts weighs less against common ones — half the features are in ≤ 5
   * texts and some get the largest weights (round 6). The model file then records no `docs` (its IDF no longer
   * tells a feature's support), so the out-of-domain rule does not judge it.
   */
  idfPower: number;
}

export const defaultLinearOptions: LinearOptions = {
  trigrams: false,
  words: true,
  minDf: 3,
  epochs: 30,
  learningRate: 0.5,
  l2: 1,
  seed: 11,
  denseScale: 2,
  classBalance: 0,
  minSources: 1,
  seeds: 1,
  idfPower: 1,
};

/** Key of the character triple c0 c1 c2 (offsets from LO), in the hashed key range above WORD_BASE. */
export const tripleKey = (c0: number, c1: number, c2: number): number =>
  WORD_BASE + ((Math.imul(Math.imul(c0 ^ 0x27d4eb2d, 0x85ebca6b) ^ c1, 0xc2b2ae35) ^ (c2 * 0x165667b1)) & WORD_MASK);

/** Calls fn with each sparse feature key of a text (may repeat; callers dedupe). */
export function forEachLinearKey(
  text: string,
  dict: WordDict | null,
  trigrams: boolean,
  cut: WordCut,
  fn: (key: number) => void,
): void {
  const len = Math.min(text.length, MAX_CHARS);
  let p1 = -1,
    p2 = -1;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i) - LO;
    if (c < 0 || c >= SPAN) {
      p1 = p2 = -1;
      continue;
    }
    if (p1 >= 0) fn(SPAN + p1 * SPAN + c);
    if (trigrams && p2 >= 0) fn(tripleKey(p2, p1, c));
    p2 = p1;
    p1 = c;
  }
  if (!dict) return;
  cutWords(text, len, dict, cut);
  forEachWordFeature(text, cut, (k) => fn(k));
}

export interface LinearVocabulary {
  vocab: Map<number, number>;
  /** Readable form of the word and word-pair keys (for explanations). */
  names: Map<number, string>;
  idf: Float64Array;
  dict: WordDict | null;
  words: string[];
  trigrams: boolean;
  /** Training texts the IDF is over (TextModel.docs). */
  docs: number;
}

export interface LinearDoc {
  cols: Int32Array;
  vals: Float64Array;
  /** Dense features (lexicon per cause, speech act), already scaled. */
  dense: Float64Array;
}

function distinctKeys(text: string, v: { dict: WordDict | null; trigrams: boolean }, cut: WordCut): Set<number> {
  const s = new Set<number>();
  forEachLinearKey(text, v.dict, v.trigrams, cut, (k) => s.add(k));
  return s;
}

/** Features in at least minDf training documents, with IDF 1 + ln(N / (1 + df)). */
export function buildLinearVocabulary(
  texts: string[],
  words: string[],
  opts: LinearOptions,
  sources: readonly string[] = [],
): LinearVocabulary {
  const dict = opts.words && words.length ? new WordDict(words) : null;
  const cut = new WordCut();
  const df = new Map<number, number>();
  const names = new Map<number, string>();
  // per feature, the distinct sources it occurs in (only when minSources asks for it)
  const seenIn = new Map<number, Set<string>>();
  const bySource = opts.minSources > 1 && sources.length === texts.length;
  texts.forEach((t, i) => {
    for (const k of distinctKeys(t, { dict, trigrams: opts.trigrams }, cut)) {
      df.set(k, (df.get(k) ?? 0) + 1);
      if (bySource) {
        const s = seenIn.get(k) ?? new Set<string>();
        s.add(sources[i]);
        seenIn.set(k, s);
      }
    }
    if (dict) forEachWordFeature(t, cut, (k, name) => void (names.has(k) || names.set(k, name())));
  });
  const keys = [...df.entries()]
    .filter(([k, d]) => d >= opts.minDf && (!bySource || seenIn.get(k)!.size >= opts.minSources))
    .map(([k]) => k)
    .sort((a, b) => a - b);
  const vocab = new Map(keys.map((k, j) => [k, j]));
  const p = opts.idfPower ?? 1;
  const idf = Float64Array.from(keys, (k) => (1 + Math.log(texts.length / (1 + df.get(k)!))) ** p);
  for (const k of names.keys()) if (!vocab.has(k)) names.delete(k);
  // with idfPower ≠ 1 the IDF no longer reads back as a document frequency
  const docs = p === 1 ? texts.length : 0;
  return { vocab, names, idf, dict, words: dict ? words : [], trigrams: opts.trigrams, docs };
}

/** The unit-length TF-IDF vector (binary term frequency) of a text, with its dense features. */
export function linearDoc(text: string, dense: Float64Array, v: LinearVocabulary, cut = new WordCut()): LinearDoc {
  const cols: number[] = [];
  for (const k of distinctKeys(text, v, cut)) {
    const j = v.vocab.get(k);
    if (j !== undefined) cols.push(j);
  }
  const c = Int32Array.from(cols);
  const vals = Float64Array.from(c, (j) => v.idf[j]);
  const norm = Math.hypot(...vals) || 1;
  for (let i = 0; i < vals.length; i++) vals[i] /= norm;
  return { cols: c, vals, dense };
}

export interface LinearModel {
  nSparse: number;
  nDense: number;
  /** weights[t * (nSparse + nDense) + j] */
  weights: Float64Array;
  bias: Float64Array;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * One-vs-rest weighted logistic regression with L2, by deterministic SGD (AdaGrad step sizes, so rare features
 * learn as fast as common ones). labels[i][t]; weight[i] scales example i's loss.
 */
export function fitLinear(
  nSparse: number,
  docs: LinearDoc[],
  labels: boolean[][],
  weight: number[],
  nTags: number,
  opts: LinearOptions,
): LinearModel {
  const n = Math.max(1, opts.seeds ?? 1);
  if (n === 1) return fitLinearOnce(nSparse, docs, labels, weight, nTags, opts);
  let sum: LinearModel | null = null;
  for (let k = 0; k < n; k++) {
    const m = fitLinearOnce(nSparse, docs, labels, weight, nTags, { ...opts, seed: opts.seed + 1000 * k });
    if (!sum) sum = m;
    else {
      for (let i = 0; i < m.weights.length; i++) sum.weights[i] += m.weights[i];
      for (let t = 0; t < nTags; t++) sum.bias[t] += m.bias[t];
    }
  }
  for (let i = 0; i < sum!.weights.length; i++) sum!.weights[i] /= n;
  for (let t = 0; t < nTags; t++) sum!.bias[t] /= n;
  return sum!;
}

function fitLinearOnce(
  nSparse: number,
  docs: LinearDoc[],
  labels: boolean[][],
  weight: number[],
  nTags: number,
  opts: LinearOptions,
): LinearModel {
  const nDense = docs[0]?.dense.length ?? 0;
  const width = nSparse + nDense;
  const weights = new Float64Array(nTags * width);
  const bias = new Float64Array(nTags);
  const totalW = weight.reduce((a, b) => a + b, 0);
  const order = docs.map((_, i) => i);
  for (let t = 0; t < nTags; t++) {
    const rand = mulberry32(opts.seed + t);
    let wPos = 0;
    docs.forEach((_, d) => void (labels[d][t] && (wPos += weight[d])));
    const posScale = wPos > 0 && opts.classBalance ? ((totalW - wPos) / wPos) ** opts.classBalance : 1;
    const off = t * width;
    const g2 = new Float64Array(width).fill(1e-8);
    let gb = 1e-8;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const d of order) {
        const { cols, vals, dense } = docs[d];
        let z = bias[t];
        for (let i = 0; i < cols.length; i++) z += weights[off + cols[i]] * vals[i];
        for (let i = 0; i < nDense; i++) z += weights[off + nSparse + i] * dense[i];
        const g = (sigmoid(z) - (labels[d][t] ? 1 : 0)) * weight[d] * (labels[d][t] ? posScale : 1);
        gb += g * g;
        bias[t] -= (opts.learningRate * g) / Math.sqrt(gb);
        // the penalty's share of this example (its weight over the total), on the features it has (lazy L2)
        const shrink = (opts.l2 * weight[d]) / totalW;
        const step = (j: number, x: number) => {
          const w = off + j;
          const gj = g * x + shrink * weights[w];
          g2[j] += gj * gj;
          weights[w] -= (opts.learningRate * gj) / Math.sqrt(g2[j]);
        };
        for (let i = 0; i < cols.length; i++) step(cols[i], vals[i]);
        for (let i = 0; i < nDense; i++) step(nSparse + i, dense[i]);
      }
    }
  }
  return { nSparse, nDense, weights, bias };
}

/** Margins (log-odds) per tag of a prepared document. */
export function linearMargins(m: LinearModel, doc: LinearDoc, out: Float64Array): void {
  const width = m.nSparse + m.nDense;
  for (let t = 0; t < m.bias.length; t++) {
    const off = t * width;
    let z = m.bias[t];
    for (let i = 0; i < doc.cols.length; i++) z += m.weights[off + doc.cols[i]] * doc.vals[i];
    for (let i = 0; i < m.nDense; i++) z += m.weights[off + m.nSparse + i] * doc.dense[i];
    out[t] = z;
  }
}

export interface ThresholdChoice {
  /** Probability threshold, or Infinity: the cause is not emitted (no threshold reached the precision). */
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * The threshold on out-of-fold probabilities with the best F1 among those whose precision reaches minPrecision
 * with at least minEmitted emitted; Infinity (abstain) when none does. minPrecision 0 picks the best F1. With
 * groups (the source of each example), every source counts alike: precision is over counts weighted by 1 / the
 * source's size, and the F1 maximised is the mean of the sources' own F1 (over sources that have the cause), so
 * one large source with its own mix of causes does not set the thresholds for all.
 */
export function chooseThreshold(
  probs: number[],
  truth: boolean[],
  minPrecision: number,
  groups: number[] = probs.map(() => 0),
  minEmitted = 3,
): ThresholdChoice {
  const nG = Math.max(...groups, 0) + 1;
  const size = new Float64Array(nG);
  const pos = new Float64Array(nG);
  groups.forEach((g, i) => {
    size[g]++;
    if (truth[i]) pos[g]++;
  });
  const tp = new Float64Array(nG);
  const em = new Float64Array(nG);
  const withPos = [...pos.keys()].filter((g) => pos[g] > 0);
  const idx = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a]);
  let best: ThresholdChoice = { threshold: Infinity, precision: 0, recall: 0, f1: 0 };
  for (let n = 0; n < idx.length; n++) {
    const i = idx[n];
    em[groups[i]]++;
    if (truth[i]) tp[groups[i]]++;
    const p = probs[i];
    if (n + 1 < idx.length && probs[idx[n + 1]] === p) continue;
    let wTp = 0,
      wEm = 0,
      wPos = 0,
      f1 = 0;
    for (let g = 0; g < nG; g++) {
      if (!size[g]) continue;
      wTp += tp[g] / size[g];
      wEm += em[g] / size[g];
      wPos += pos[g] / size[g];
    }
    for (const g of withPos) f1 += em[g] + pos[g] > 0 ? (2 * tp[g]) / (em[g] + pos[g]) : 0;
    f1 /= Math.max(withPos.length, 1);
    const precision = wEm ? wTp / wEm : 0;
    const recall = wPos ? wTp / wPos : 0;
    if (n + 1 >= minEmitted && precision >= minPrecision && f1 > best.f1) {
      // halfway to the next lower probability, so a new text just below the last emitted one is not cut off
      const next = n + 1 < idx.length ? probs[idx[n + 1]] : 0;
      best = { threshold: (p + next) / 2, precision, recall, f1 };
    }
  }
  return best;
}
