/**
 * Training the linear model (linear.ts) on hand-labelled real messages plus the team's own texts, into the text
 * evidence the tagger scores with (TextEvidence: the sparse weights as a TextModel, the lexicon and speech-act
 * weights in its calibration), and choosing per-cause thresholds on out-of-fold predictions grouped by source:
 * each threshold is chosen on messages from a source the model did not learn from, as a new city's will be.
 */
import { lexFeature, type Calibration } from './fusion.js';
import { CAUSE_TAGS, type LexiconScorer } from './lexicon.js';
import {
  buildLinearVocabulary,
  chooseThreshold,
  defaultLinearOptions,
  fitLinear,
  linearDoc,
  type LinearModel,
  type LinearOptions,
  type LinearVocabulary,
  type ThresholdChoice,
} from './linear.js';
import { segmenterWords, type TextModel } from './model.js';
import { ScopeGuard } from './scope.js';
import { speechAct } from './speech-act.js';
import { GATE_TAG, Tagger, type TextEvidence } from './tagger.js';
import type { TagConfig } from './config.js';
import { textOrder } from './text-order.js';
import type { RealMessage } from './real-eval.js';

/** One training message: a real one (its source) or one of the team's texts (source 'team'). */
export interface LinearExample {
  source: string;
  text: string;
  tags: readonly string[];
}

export interface LinearTrainOptions extends LinearOptions {
  /** Total weight of the team's texts as a share of the real messages' (0: real messages only). */
  teamShare: number;
  /** Every real source weighs the same in total, in training and in choosing thresholds. */
  balanceSources: boolean;
  /** The precision a cause's threshold must reach on the out-of-fold predictions, else the cause abstains. */
  minPrecision: number;
  /**
   * The lexicon's terms and negation phrases (three or more ideographs) join the model's word list, so each is a
   * feature of its own (a negation phrase such as 没有推诿 is cut as one word, so its term does not count inside it).
   */
  lexiconWords: boolean;
  /**
   * Two stages: a gate "the message has some cause" trained on every message, times each cause's probability
   * given some cause, trained on the messages that have one (GATE_TAG).
   */
  twoStage: boolean;
}

export const defaultLinearTrainOptions: LinearTrainOptions = {
  ...defaultLinearOptions,
  teamShare: 0.2,
  balanceSources: true,
  minPrecision: 0.7,
  lexiconWords: false,
  twoStage: true,
};

const ACTS = ['complaint', 'question', 'suggestion', 'praise'];

/** The dense features: lexFeature of each cause's lexicon score, then question, then suggestion-or-praise. */
export function denseOf(text: string, lexicon: LexiconScorer, scale: number, lex: Float64Array): Float64Array {
  lexicon.score(text, lex);
  const act = ACTS.indexOf(speechAct(text).act);
  return Float64Array.from([...Array.from(lex, lexFeature), act === 1 ? 1 : 0, act >= 2 ? 1 : 0], (x) => x * scale);
}

export function exampleWeights(examples: LinearExample[], opts: LinearTrainOptions): number[] {
  const size = new Map<string, number>();
  for (const x of examples) size.set(x.source, (size.get(x.source) ?? 0) + 1);
  const team = size.get('team') ?? 0;
  const real = examples.length - team;
  const sources = [...size.keys()].filter((s) => s !== 'team').length;
  const mean = real / Math.max(sources, 1);
  return examples.map((x) => {
    if (x.source === 'team') return team ? (opts.teamShare * Math.max(real, 1)) / team : 0;
    return opts.balanceSources ? mean / size.get(x.source)! : 1;
  });
}

/** The words of the training texts by jieba (in ≥ minDf texts), with the lexicon's phrases when asked. */
export function wordList(texts: string[], lexicon: LexiconScorer, o: LinearTrainOptions): string[] {
  const words = segmenterWords(texts, null, o.minDf);
  if (!o.lexiconWords) return words;
  const extra = lexicon.phrases.filter((p) => p.length >= 3 && /^[\u3400-\u9fff]+$/.test(p));
  return [...new Set([...words, ...extra])].sort();
}

/** A fitted model's columns as the tagger's evidence: sparse weights per column, dense ones in the calibration. */
function asEvidence(
  v: LinearVocabulary,
  fits: Array<{ m: LinearModel; col: number }>,
  names: string[],
  o: LinearTrainOptions,
  nLex: number,
): TextEvidence {
  const nF = v.vocab.size;
  const weights = new Float64Array(names.length * nF);
  const bias = new Float64Array(names.length);
  const calibration: Calibration[] = fits.map(({ m, col }, t) => {
    const width = nF + m.nDense;
    weights.set(m.weights.subarray(col * width, col * width + nF), t * nF);
    bias[t] = m.bias[col];
    const dense = Array.from(m.weights.subarray(col * width + nF, (col + 1) * width), (x) => x * o.denseScale);
    return { a: 1, b: 0, c: 0, lexAll: dense.slice(0, nLex), acts: dense.slice(nLex) };
  });
  const model: TextModel = {
    tags: names,
    vocab: v.vocab,
    idf: v.idf,
    weights,
    bias,
    ...(v.docs ? { docs: v.docs } : {}),
  };
  if (v.dict) {
    model.segWords = v.words;
    model.wordNames = v.names;
  }
  return { model, calibration };
}

/** Fit the linear model on examples and express it as the tagger's text evidence. */
export function fitLinearEvidence(
  examples: LinearExample[],
  lexicon: LexiconScorer,
  opts: LinearTrainOptions = defaultLinearTrainOptions,
): TextEvidence {
  // the tagger's model scorer reads character pairs, words and word pairs; triples would need another scorer
  const o: LinearTrainOptions = { ...opts, trigrams: false };
  const weight = exampleWeights(examples, o);
  const used = examples.filter((_, i) => weight[i] > 0);
  const w = weight.filter((x) => x > 0);
  const texts = used.map((x) => x.text);
  const v = buildLinearVocabulary(
    texts,
    o.words ? wordList(texts, lexicon, o) : [],
    o,
    used.map((x) => x.source),
  );
  const lex = new Float64Array(lexicon.tags.length);
  const docs = used.map((x) => linearDoc(x.text, denseOf(x.text, lexicon, o.denseScale, lex), v));
  const tags = lexicon.tags;
  const labels = used.map((x) => tags.map((t) => x.tags.includes(t)));
  if (!o.twoStage) {
    const m = fitLinear(v.vocab.size, docs, labels, w, tags.length, o);
    return asEvidence(
      v,
      tags.map((_, col) => ({ m, col })),
      [...tags],
      o,
      tags.length,
    );
  }
  // two stages on one vocabulary: the gate on every message, the causes on the messages that have one (their
  // weights again balanced by source among those), so "which cause" is not also learning "whether any"
  const any = labels.map((l) => l.some(Boolean));
  const gate = fitLinear(
    v.vocab.size,
    docs,
    any.map((a) => [a]),
    w,
    1,
    o,
  );
  const idx = used.map((_, i) => i).filter((i) => any[i]);
  const wc = exampleWeights(
    idx.map((i) => used[i]),
    o,
  );
  const cond = fitLinear(
    v.vocab.size,
    idx.map((i) => docs[i]),
    idx.map((i) => labels[i]),
    wc,
    tags.length,
    o,
  );
  const fits = [...tags.map((_, col) => ({ m: cond, col })), { m: gate, col: 0 }];
  return asEvidence(v, fits, [...tags, GATE_TAG], o, tags.length);
}

export interface LinearTraining {
  evidence: TextEvidence;
  /** Per cause: the threshold for minPrecision (Infinity: abstain), and the one for the best F1. */
  strict: ThresholdChoice[];
  bestF1: ThresholdChoice[];
  /** Out-of-fold confidences of the real examples, as the tagger computes them (after the speech-act damping). */
  oof: number[][];
  /** Speech act of each of those examples as the tagger read it (0 complaint, 1 question, 2 suggestion, 3 praise). */
  oofAct: number[];
}

/** Fold of each real example: its source when there are two or more real sources, else one of five by position. */
function foldsOf(examples: LinearExample[]): string[] {
  const sources = new Set(examples.filter((x) => x.source !== 'team').map((x) => x.source));
  return examples.map((x, i) => (x.source === 'team' ? 'team' : sources.size >= 2 ? x.source : `fold${i % 5}`));
}

/**
 * Train on every example, and choose thresholds on out-of-fold confidences: one fold per real source (the team's
 * texts are in every fold's training), computed by a Tagger exactly as it will score new orders.
 */
export function trainLinear(
  examples: LinearExample[],
  lexicon: LexiconScorer,
  cfg: TagConfig,
  opts: LinearTrainOptions = defaultLinearTrainOptions,
): LinearTraining {
  const folds = foldsOf(examples);
  const realIdx = examples.map((_, i) => i).filter((i) => folds[i] !== 'team');
  const oof = new Map<number, number[]>();
  const act = new Map<number, number>();
  for (const f of new Set(realIdx.map((i) => folds[i]))) {
    const evidence = fitLinearEvidence(
      examples.filter((_, i) => folds[i] !== f),
      lexicon,
      opts,
    );
    const probe = new Tagger('oof', lexicon, evidence, new ScopeGuard([]), cfg);
    for (const i of realIdx)
      if (folds[i] === f) {
        probe.evidence(textOrder(examples[i].text));
        oof.set(i, Array.from(probe.conf));
        act.set(i, probe.act);
      }
  }
  const foldIds = [...new Set(realIdx.map((i) => folds[i]))];
  const groups = realIdx.map((i) => (opts.balanceSources ? foldIds.indexOf(folds[i]) : 0));
  const choose = (minP: number) =>
    lexicon.tags.map((tag, t) =>
      chooseThreshold(
        realIdx.map((i) => oof.get(i)![t]),
        realIdx.map((i) => examples[i].tags.includes(tag)),
        minP,
        groups,
      ),
    );
  return {
    evidence: fitLinearEvidence(examples, lexicon, opts),
    strict: choose(opts.minPrecision),
    bestF1: choose(0),
    oof: realIdx.map((i) => oof.get(i)!),
    oofAct: realIdx.map((i) => act.get(i)!),
  };
}

/** Thresholds as the config holds them: a cause that abstains gets none (see LinearModelFile). */
export function thresholdRecord(choices: ThresholdChoice[]): Record<string, number | null> {
  return Object.fromEntries(
    CAUSE_TAGS.map((t, i) => [t, Number.isFinite(choices[i].threshold) ? round(choices[i].threshold) : null]),
  );
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** One held-out source's messages and the causes the model trained without it gave them. */
export interface HeldOutSource {
  source: string;
  messages: RealMessage[];
  /** Per message, the causes at the strict thresholds (abstaining) and at the best-F1 ones. */
  strict: Set<string>[];
  bestF1: Set<string>[];
  training: LinearTraining;
}

/**
 * Leave-one-source-out: for each source, train on the other sources' messages plus the team's texts, choose the
 * thresholds on those sources' out-of-fold predictions, and tag the held-out source — what a city that never
 * labelled anything gets from a model trained on others. Needs two or more sources.
 */
export function heldOutBySource(
  messages: RealMessage[],
  team: LinearExample[],
  lexicon: LexiconScorer,
  cfg: TagConfig,
  opts: LinearTrainOptions = defaultLinearTrainOptions,
  only?: readonly string[],
): HeldOutSource[] {
  const sources = [...new Set(messages.map((m) => m.source))].sort().filter((s) => !only || only.includes(s));
  return sources.map((source) => {
    const examples: LinearExample[] = [
      ...messages.filter((m) => m.source !== source).map((m) => ({ source: m.source, text: m.text, tags: m.tags })),
      ...team,
    ];
    const training = trainLinear(examples, lexicon, cfg, opts);
    const held = messages.filter((m) => m.source === source);
    const tagWith = (choices: ThresholdChoice[]) => {
      const thresholds = Object.fromEntries(lexicon.tags.map((t, i) => [t, choices[i].threshold]));
      const tagger = new Tagger('held-out', lexicon, training.evidence, new ScopeGuard([]), {
        ...cfg,
        thresholds,
        lexiconAlone: {},
      });
      return held.map((m) => new Set(tagger.tag(textOrder(m.text)).map((r) => r.tag)));
    };
    return { source, messages: held, strict: tagWith(training.strict), bestF1: tagWith(training.bestF1), training };
  });
}
