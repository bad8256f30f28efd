import {
  LO,
  SPAN,
  WORD_BASE,
  WordCut,
  WordDict,
  cutWords,
  featureText,
  forEachFeature,
  forEachWordFeature,
  pairKey,
  wordKey,
} from './features.js';
import { segmenter } from './segment.js';
import { IntIndex, probe } from './inthash.js';
import { mulberry32 } from '../stats/random.js';

export interface SparseDoc {
  cols: Int32Array;
  vals: Float64Array;
}

/**
 * One-vs-rest logistic regression over TF-IDF character features. The vocabulary and its IDF come from the
 * training texts; each tag gets its own weight vector, trained by deterministic SGD
 * with L2 regularisation. Scoring an order is one pass over its characters plus a few array reads per feature.
 */
export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  /**
   * Features seen in fewer distinct complaints (labelled bases) than this are dropped: a phrase that only one
   * complaint and its rewordings use is that complaint's topic, not a sign of its cause, and cannot generalise.
   */
  minGroupFreq: number;
  seed: number;
  /** Words and word pairs beside the character pairs (config tag.words; features.ts WordDict). */
  words: boolean;
}

export const defaultTrainOptions: TrainOptions = {
  epochs: 40,
  learningRate: 0.8,
  l2: 1e-4,
  minGroupFreq: 3,
  seed: 7,
  words: false,
};

export interface TextModel {
  tags: string[];
  /** Feature key → column. */
  vocab: Map<number, number>;
  idf: Float64Array;
  /** weights[t * nFeatures + j] */
  weights: Float64Array;
  bias: Float64Array;
  /** Word and word-pair keys in the vocabulary → their text (models with word features). */
  wordNames?: Map<number, string>;
  /** The words new text is cut into (WordDict); present when the model uses word features. */
  segWords?: string[];
  /**
   * How many training texts the IDF was computed over, so a feature's document frequency can be read back from its
   * IDF (1 + ln(docs / (1 + df))). Absent in model files written before it existed and in the model trained at run
   * time on the labelled sample: the out-of-domain rule (Tagger, tag.minKnownShare) then does not apply.
   */
  docs?: number;
}

/**
 * A feature seen in at least this many training texts has enough support to be trusted out of its training
 * domain: the out-of-domain rule (Tagger, tag.minKnownShare) counts a character pair as known only then. Half the
 * features have 5 or fewer (the vocabulary's floor is 3), and the model weighs some of those heavily (发动机, in 4
 * texts: +11 for 监管缺位) — a weight fitted to a handful of letters, not a sense that carries to another domain.
 */
export const SUPPORTED_TEXTS = 10;

/** Document frequency of each column, read back from the IDF; null when the model does not say how many texts. */
export function documentFrequencies(m: TextModel): Float64Array | null {
  const n = m.docs;
  if (!n) return null;
  return m.idf.map((x) => Math.round(n * Math.exp(1 - x) - 1));
}

/** Texts longer than this are scored on their first MAX_CHARS characters (the scorer's scratch arrays). */
export const MAX_CHARS = 4096;

/** Calls fn with every feature key of a text: character features, then (with a dictionary) word features. */
function forEachKey(text: string, dict: WordDict | null, fn: (key: number, name: () => string) => void): void {
  const len = Math.min(text.length, MAX_CHARS);
  const t = len < text.length ? text.slice(0, len) : text;
  forEachFeature(t, (k) => fn(k, () => ''));
  if (!dict) return;
  const cut = new WordCut();
  cutWords(t, len, dict, cut);
  forEachWordFeature(t, cut, fn);
}

function docVector(text: string, voc: Vocabulary): SparseDoc {
  const cols = new Set<number>();
  forEachKey(text, voc.dict ?? null, (k) => {
    const j = voc.vocab.get(k);
    if (j !== undefined) cols.add(j);
  });
  const idf = voc.idf;
  const c = Int32Array.from(cols);
  const v = new Float64Array(c.length);
  let norm = 0;
  for (let i = 0; i < c.length; i++) {
    v[i] = idf[c[i]];
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return { cols: c, vals: v };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export interface Vocabulary {
  vocab: Map<number, number>;
  idf: Float64Array;
  /** See TextModel.wordNames and segWords. */
  wordNames?: Map<number, string>;
  segWords?: string[];
  dict?: WordDict;
}

/**
 * The words the segmenter finds in at least minGroupFreq groups of training texts (without groups: each text is
 * its own, so this is a document frequency): ideographs only (forward maximum matching cuts runs of ideographs),
 * two or more characters.
 */
export function segmenterWords(texts: string[], groups: readonly string[] | null, minGroupFreq: number): string[] {
  const seg = segmenter();
  const groupsOf = new Map<string, Set<string | number>>();
  texts.forEach((text, i) => {
    for (const w of seg.cut(text.slice(0, MAX_CHARS))) {
      if (w.length < 2 || !/^[\u3400-\u9fff]+$/.test(w)) continue;
      let g = groupsOf.get(w);
      if (!g) groupsOf.set(w, (g = new Set()));
      g.add(groups ? groups[i] : i);
    }
  });
  return [...groupsOf.entries()]
    .filter(([, g]) => g.size >= minGroupFreq)
    .map(([w]) => w)
    .sort();
}

/**
 * The feature space: features in at least minGroupFreq groups of training texts (a group = one complaint and
 * its rewordings), weighted by IDF. Built once from all training texts (labels play no part)
 * and shared by the cross-validation folds and the final model.
 */
export function buildVocabulary(texts: string[], groups: string[], minGroupFreq: number, words = false): Vocabulary {
  const segWords = words ? segmenterWords(texts, groups, minGroupFreq) : undefined;
  const dict = segWords ? new WordDict(segWords) : null;
  const names = new Map<number, string>();
  const docKeys = texts.map((t) => {
    const s = new Set<number>();
    forEachKey(t, dict, (k, name) => {
      if (k >= WORD_BASE && !s.has(k)) names.set(k, name());
      s.add(k);
    });
    return s;
  });
  const groupsOf = new Map<number, Set<string>>();
  docKeys.forEach((s, i) => {
    for (const k of s) {
      let g = groupsOf.get(k);
      if (!g) groupsOf.set(k, (g = new Set()));
      g.add(groups[i]);
    }
  });
  const keys = [...groupsOf.entries()]
    // character pairs only: single characters (标, 雨, 从) carry a topic, not a cause, and drove the model on real
    // messages ("在这里生活了三十多年" read as 基础设施短板)
    .filter(([k, g]) => k >= SPAN && g.size >= minGroupFreq)
    .map(([k]) => k)
    .sort((a, b) => a - b);
  const vocab = new Map<number, number>(keys.map((k, j) => [k, j]));
  // natural.TfIdf's IDF, 1 + ln(N / (1 + df)), computed here: importing natural cost 1.8 CPU-s at every CLI start
  const df = new Float64Array(keys.length);
  for (const s of docKeys)
    for (const k of s) {
      const j = vocab.get(k);
      if (j !== undefined) df[j]++;
    }
  const idf = df.map((d) => 1 + Math.log(docKeys.length / (1 + d)));
  if (!dict || !segWords) return { vocab, idf };
  const wordNames = new Map<number, string>();
  for (const k of keys) if (names.has(k)) wordNames.set(k, names.get(k)!);
  return { vocab, idf, wordNames, segWords, dict };
}

export function vectorize(texts: string[], v: Vocabulary): SparseDoc[] {
  return texts.map((t) => docVector(t, v));
}

/** One-vs-rest logistic regression on prepared documents (deterministic SGD). */
export function fitModel(
  v: Vocabulary,
  docs: SparseDoc[],
  labels: boolean[][],
  tags: string[],
  opts: TrainOptions = defaultTrainOptions,
): TextModel {
  const nF = v.idf.length;
  const weights = new Float64Array(tags.length * nF);
  const bias = new Float64Array(tags.length);
  const rand = mulberry32(opts.seed);
  const order = docs.map((_, i) => i);
  for (let t = 0; t < tags.length; t++) {
    const off = t * nF;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      const lr = opts.learningRate / (1 + epoch * 0.1);
      const decay = 1 - lr * opts.l2;
      for (let n = 0; n < order.length; n++) {
        const d = order[n];
        const cols = docs[d].cols;
        const vals = docs[d].vals;
        let z = bias[t];
        for (let i = 0; i < cols.length; i++) z += weights[off + cols[i]] * vals[i];
        const g = sigmoid(z) - (labels[d][t] ? 1 : 0);
        bias[t] -= lr * g;
        for (let i = 0; i < cols.length; i++) {
          const w = off + cols[i];
          weights[w] = weights[w] * decay - lr * g * vals[i];
        }
      }
    }
  }
  // no `docs`, so the out-of-domain rule does not judge this model: its vocabulary is small (features of ≥ 3 of
  // the team's complaints) and covers only ~60 % of the character pairs of its own held-out texts, and its
  // document frequencies count each complaint's rewordings, not independent texts
  const model: TextModel = { tags, vocab: v.vocab, idf: v.idf, weights, bias };
  if (v.wordNames && v.segWords) {
    model.wordNames = v.wordNames;
    model.segWords = v.segWords;
  }
  return model;
}

/** Average several models over the same vocabulary (bagging the cross-validation fits). */
export function averageModels(models: TextModel[]): TextModel {
  const first = models[0];
  const weights = new Float64Array(first.weights.length);
  const bias = new Float64Array(first.bias.length);
  for (const m of models) {
    for (let i = 0; i < weights.length; i++) weights[i] += m.weights[i] / models.length;
    for (let i = 0; i < bias.length; i++) bias[i] += m.bias[i] / models.length;
  }
  return { ...first, weights, bias };
}

export function trainModel(
  texts: string[],
  groups: string[],
  labels: boolean[][],
  tags: string[],
  opts: TrainOptions = defaultTrainOptions,
): TextModel {
  const v = buildVocabulary(texts, groups, opts.minGroupFreq, opts.words);
  return fitModel(v, vectorize(texts, v), labels, tags, opts);
}

/**
 * Reusable scorer: margins (log-odds) per tag for one text. The weights are laid out feature-major and
 * pre-multiplied by IDF, the vocabulary is an open-addressing index, and scratch arrays are reused, so the hot
 * loop does integer arithmetic and typed-array reads only.
 */
export class ModelScorer {
  private readonly index: IntIndex;
  /** Unigram column by ideograph offset (−1 when not in the vocabulary): a direct read, no hashing. */
  private readonly uni: Int32Array;
  /** fw[j * nT + t] = weight of feature j for tag t × idf_j */
  private readonly fw: Float64Array;
  /**
   * The fast path's tables: fw5[j * 5 + t] for the five causes, gw[j] for a sixth column (a two-stage model's
   * gate; zeros when there is none).
   */
  private readonly fw5: Float64Array;
  private readonly gw: Float64Array;
  private readonly idf2: Float64Array;
  private readonly stamp: Int32Array;
  private gen = 0;
  private readonly cols: Int32Array;
  private readonly nF: number;
  private readonly nT: number;
  /** Column of the i-th bigram key given to `index`. */
  private readonly bigramCol: Int32Array;
  /** Column of the bigram in slot h of `index`'s table (margins5 reads it in place of vals[h] → bigramCol). */
  private readonly bigramColAt: Int32Array;
  /** The model's words for word features, or null when it has none. */
  private readonly dict: WordDict | null;
  private readonly cut = new WordCut();
  private readonly acc = new Float64Array(7);
  /**
   * Of the last margins() call: the text's character pairs (ideograph next to ideograph, repeats counted) and how
   * many of them are features of the model seen in at least SUPPORTED_TEXTS training texts — the share it knows
   * well (Tagger's out-of-domain rule, tag.minKnownShare).
   */
  pairs = 0;
  knownPairs = 0;
  /** 1 for a column seen in at least SUPPORTED_TEXTS training texts (all columns when the model does not say). */
  private readonly supported: Uint8Array;
  /** supported[] by slot of `index`'s table (margins5 reads it beside bigramColAt). */
  private readonly supportedAt: Uint8Array;

  constructor(readonly model: TextModel) {
    this.dict = model.segWords ? new WordDict(model.segWords) : null;
    this.nF = model.idf.length;
    this.nT = model.bias.length;
    const keys: number[] = new Array(this.nF);
    for (const [k, j] of model.vocab) keys[j] = k;
    this.index = new IntIndex(keys.filter((k) => k >= SPAN));
    this.bigramCol = new Int32Array(this.nF);
    this.uni = new Int32Array(SPAN).fill(-1);
    let b = 0;
    keys.forEach((k, j) => {
      if (k < SPAN) this.uni[k] = j;
      else this.bigramCol[b++] = j;
    });
    this.bigramColAt = this.index.vals.map((v, h) => (this.index.keys[h] === -1 ? -1 : this.bigramCol[v]));
    const df = documentFrequencies(model);
    this.supported = Uint8Array.from(model.idf, (_, j) => (!df || df[j] >= SUPPORTED_TEXTS ? 1 : 0));
    this.supportedAt = Uint8Array.from(this.bigramColAt, (j) => (j >= 0 ? this.supported[j] : 0));
    this.fw = new Float64Array(this.nF * this.nT);
    for (let j = 0; j < this.nF; j++)
      for (let t = 0; t < this.nT; t++) this.fw[j * this.nT + t] = model.weights[t * this.nF + j] * model.idf[j];
    this.fw5 = this.nT === 5 ? this.fw : new Float64Array(this.nF * 5);
    this.gw = new Float64Array(this.nF);
    if (this.nT === 6)
      for (let j = 0; j < this.nF; j++) {
        for (let t = 0; t < 5; t++) this.fw5[j * 5 + t] = this.fw[j * 6 + t];
        this.gw[j] = this.fw[j * 6 + 5];
      }
    this.idf2 = model.idf.map((x) => x * x);
    this.stamp = new Int32Array(this.nF);
    // at most a unigram, a bigram, a word and a word pair per character
    this.cols = new Int32Array(4 * MAX_CHARS);
  }

  margins(text: string, out: Float64Array): void {
    // five causes, or five causes and a gate: the fast path
    if (this.nT === 5 || this.nT === 6) this.margins5(text, out);
    else this.marginsAnyTags(text, out);
  }

  /** margins() for any number of tags: features collected, then summed per tag (margins5 must agree with it). */
  marginsAnyTags(text: string, out: Float64Array): void {
    const gen = ++this.gen;
    const { stamp, cols, index, fw, idf2, nT, uni, bigramCol } = this;
    const lo = LO;
    const span = SPAN;
    let n = 0;
    let norm = 0;
    let prev = -1;
    let pairs = 0,
      known = 0;
    const len = Math.min(text.length, MAX_CHARS);
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i) - lo;
      if (c < 0 || c >= span) {
        prev = -1;
        continue;
      }
      let j = uni[c];
      if (j >= 0 && stamp[j] !== gen) {
        stamp[j] = gen;
        cols[n++] = j;
        norm += idf2[j];
      }
      if (prev >= 0) {
        j = index.get(span + prev * span + c);
        if (j >= 0) j = bigramCol[j];
        pairs++;
        if (j >= 0) known += this.supported[j];
        if (j >= 0 && stamp[j] !== gen) {
          stamp[j] = gen;
          cols[n++] = j;
          norm += idf2[j];
        }
      }
      prev = c;
    }
    this.pairs = pairs;
    this.knownPairs = known;
    if (this.dict) {
      cutWords(text, len, this.dict, this.cut);
      forEachWordFeature(text, this.cut, (key) => {
        let j = index.get(key);
        if (j >= 0) j = bigramCol[j];
        if (j >= 0 && stamp[j] !== gen) {
          stamp[j] = gen;
          cols[n++] = j;
          norm += idf2[j];
        }
      });
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 1;
    const bias = this.model.bias;
    for (let t = 0; t < nT; t++) out[t] = 0;
    for (let i = 0; i < n; i++) {
      const off = cols[i] * nT;
      for (let t = 0; t < nT; t++) out[t] += fw[off + t];
    }
    for (let t = 0; t < nT; t++) out[t] = bias[t] + out[t] * inv;
  }

  /**
   * margins() for the usual five causes: five sums in registers, added as each feature is first seen rather than
   * collected and summed in a second loop (20 % less time on 200k stored contents). The additions happen in the
   * same order as the general path's, so the margins are bit-identical (test/tag/model.test.ts).
   */
  private margins5(text: string, out: Float64Array): void {
    const gen = ++this.gen;
    const { stamp, idf2, uni, gw } = this;
    const fw = this.fw5;
    // the bigram index's table held in locals (IntIndex.get re-reads its fields every character)
    const { keys, mask, shift } = this.index;
    const bcol = this.bigramColAt;
    const sup = this.supportedAt;
    const lo = LO;
    const span = SPAN;
    let norm = 0;
    let prev = -1;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      s4 = 0,
      sg = 0,
      pairs = 0,
      known = 0;
    const len = Math.min(text.length, MAX_CHARS);
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i) - lo;
      if (c < 0 || c >= span) {
        prev = -1;
        continue;
      }
      let j = uni[c];
      if (j >= 0 && stamp[j] !== gen) {
        stamp[j] = gen;
        norm += idf2[j];
        const off = j * 5;
        s0 += fw[off];
        s1 += fw[off + 1];
        s2 += fw[off + 2];
        s3 += fw[off + 3];
        s4 += fw[off + 4];
        sg += gw[j];
      }
      if (prev >= 0) {
        const h = probe(keys, mask, shift, span + prev * span + c);
        j = h < 0 ? -1 : bcol[h];
        pairs++;
        if (h >= 0) known += sup[h];
        if (j >= 0 && stamp[j] !== gen) {
          stamp[j] = gen;
          norm += idf2[j];
          const off = j * 5;
          s0 += fw[off];
          s1 += fw[off + 1];
          s2 += fw[off + 2];
          s3 += fw[off + 3];
          s4 += fw[off + 4];
          sg += gw[j];
        }
      }
      prev = c;
    }
    this.pairs = pairs;
    this.knownPairs = known;
    // words and word pairs, in forEachWordFeature's order (marginsAnyTags adds them in the same order); the sums go
    // through a Float64Array, which keeps every bit
    const acc = this.acc;
    acc[0] = s0;
    acc[1] = s1;
    acc[2] = s2;
    acc[3] = s3;
    acc[4] = s4;
    acc[5] = norm;
    acc[6] = sg;
    if (this.dict) this.addWords5(text, len, gen, this.dict, acc);
    const inv = acc[5] > 0 ? 1 / Math.sqrt(acc[5]) : 1;
    const bias = this.model.bias;
    out[0] = bias[0] + acc[0] * inv;
    out[1] = bias[1] + acc[1] * inv;
    out[2] = bias[2] + acc[2] * inv;
    out[3] = bias[3] + acc[3] * inv;
    out[4] = bias[4] + acc[4] * inv;
    if (this.nT === 6) out[5] = bias[5] + acc[6] * inv;
  }

  /** margins5's word part: adds the text's word and word-pair features to acc = [s0..s4, norm, gate]. */
  private addWords5(text: string, len: number, gen: number, dict: WordDict, acc: Float64Array): void {
    const { stamp, idf2, cut, gw } = this;
    const fw = this.fw5;
    const { keys, mask, shift } = this.index;
    const bcol = this.bigramColAt;
    cutWords(text, len, dict, cut);
    const hash = cut.hash;
    let ph = -1;
    let pl = 0;
    for (let w = 0; w < cut.n; w++) {
      const h = hash[w];
      if (h < 0) {
        ph = -1;
        continue;
      }
      const l = cut.len[w];
      for (let pass = l >= 3 ? 0 : 1; pass < 2; pass++) {
        if (pass === 1 && (ph < 0 || l + pl < 3)) break;
        const slot = probe(keys, mask, shift, pass === 0 ? wordKey(h) : pairKey(ph, h));
        const j = slot < 0 ? -1 : bcol[slot];
        if (j >= 0 && stamp[j] !== gen) {
          stamp[j] = gen;
          acc[5] += idf2[j];
          const off = j * 5;
          acc[0] += fw[off];
          acc[1] += fw[off + 1];
          acc[2] += fw[off + 2];
          acc[3] += fw[off + 3];
          acc[4] += fw[off + 4];
          acc[6] += gw[j];
        }
      }
      ph = h;
      pl = l;
    }
  }

  /** The features that pushed a tag most, for `weisu tag --explain`. */
  topFeatures(text: string, t: number, k = 6): Array<{ feature: string; weight: number }> {
    const { vocab, idf, weights } = this.model;
    const seen = new Set<number>();
    const nF = this.nF;
    const out: Array<{ feature: string; weight: number }> = [];
    const names = this.model.wordNames;
    forEachKey(text, this.dict, (key) => {
      const j = vocab.get(key);
      if (j === undefined || seen.has(j)) return;
      seen.add(j);
      const feature = key < WORD_BASE ? featureText(key) : (names?.get(key) ?? '?');
      out.push({ feature, weight: weights[t * nF + j] * idf[j] });
    });
    return out.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, k);
  }
}
