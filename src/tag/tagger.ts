import { createHash } from 'node:crypto';
import { UserError } from '../store/errors.js';
import { calibrated, calibratedAll, fitCalibration, lexFeature, noisyOr, type Calibration } from './fusion.js';
import { SHIPPED_LEXICON_ALONE, SHIPPED_THRESHOLDS, type TagConfig, type TagFiles } from './config.js';
import { loadLabelled, type LabelledOrder } from './labelled.js';
import { CAUSE_TAGS, FALLBACK_TAG, LexiconScorer, loadLexicon, type CauseTag, type Lexicon } from './lexicon.js';
import {
  ModelScorer,
  averageModels,
  buildVocabulary,
  defaultTrainOptions,
  fitModel,
  vectorize,
  type TextModel,
  type TrainOptions,
} from './model.js';
import { PhraseMatcher } from './matcher.js';
import { ScopeGuard, loadScopeRules, type ScopeRule } from './scope.js';
import { loadRealCalibration, withCalibration, type RealCalibration } from './calibrate.js';
import { domainDictionaryText, segmenter } from './segment.js';
import { loadTextModelFile, type TextModelFile } from './linear-file.js';
import { SPEECH_ACT_PHRASES, speechAct, speechActCode, type SpeechActResult } from './speech-act.js';

/** What the tagger looks at for one order. */
export interface OrderEvidence {
  content: string;
  category: string;
  dispatchCount: number | null;
  reopened: boolean | null;
  dept: string | null;
  /** The order repeats (same caller or place, same category) an earlier order that had already been closed. */
  repeatAfterClose: boolean;
}

export interface TagResult {
  tag: string;
  confidence: number;
  /** Which evidence voted: lexicon, model, structure (joined by '+'), or 'none' for the fallback. */
  sources: string;
}

/**
 * The extra column of a two-stage model (linear-train.ts twoStage): "the message has some cause" (the gate); the
 * causes' columns are then P(cause | some cause), and a cause's confidence is their product.
 */
export const GATE_TAG = '有诉因';

export interface TextEvidence {
  model: TextModel;
  calibration: Calibration[];
}

const FOLDS = 5;

/** Stable fold of a base id, so variants of one complaint always fall in the same fold. */
function foldOf(base: string): number {
  let h = 2166136261;
  for (let i = 0; i < base.length; i++) h = Math.imul(h ^ base.charCodeAt(i), 16777619);
  return (h >>> 0) % FOLDS;
}

function labelsOf(orders: LabelledOrder[], tags: readonly CauseTag[]): boolean[][] {
  return orders.map((o) => tags.map((t) => o.tags.includes(t)));
}

/**
 * Train the text model on the training orders and calibrate it: out-of-fold margins (grouped by base, so a
 * complaint's rewordings never score each other) and the lexicon scores feed one small logistic regression
 * per tag.
 */
export function trainTextEvidence(
  train: LabelledOrder[],
  lexicon: LexiconScorer,
  opts: TrainOptions = defaultTrainOptions,
): TextEvidence {
  return trainTextEvidenceOof(train, lexicon, opts).evidence;
}

/**
 * trainTextEvidence(), also returning each training order's out-of-fold margins and lexicon scores (what the
 * calibration was fitted to), so thresholds can be chosen on orders the model did not learn from.
 */
export function trainTextEvidenceOof(
  train: LabelledOrder[],
  lexicon: LexiconScorer,
  opts: TrainOptions = defaultTrainOptions,
): { evidence: TextEvidence; oof: Float64Array[]; lex: number[][] } {
  const tags = lexicon.tags;
  const texts = train.map((o) => o.content);
  const labels = labelsOf(train, tags);
  const vocabulary = buildVocabulary(
    texts,
    train.map((o) => o.base),
    opts.minGroupFreq,
    opts.words,
  );
  const docs = vectorize(texts, vocabulary);
  const oof = train.map(() => new Float64Array(tags.length));
  const foldModels: TextModel[] = [];
  for (let f = 0; f < FOLDS; f++) {
    const inFold = train.map((o) => foldOf(o.base) === f);
    const fitIdx = train.map((_, i) => i).filter((i) => !inFold[i]);
    const m = fitModel(
      vocabulary,
      fitIdx.map((i) => docs[i]),
      fitIdx.map((i) => labels[i]),
      tags,
      opts,
    );
    foldModels.push(m);
    const scorer = new ModelScorer(m);
    train.forEach((o, i) => {
      if (inFold[i]) scorer.margins(o.content, oof[i]);
    });
  }
  const lex = new Float64Array(tags.length);
  const lexScores = train.map((o) => {
    lexicon.score(o.content, lex);
    return Array.from(lex);
  });
  const calibration = tags.map((_, t) =>
    fitCalibration(
      oof.map((m) => m[t]),
      lexScores.map((l) => lexFeature(l[t])),
      labels.map((l) => l[t]),
    ),
  );
  // The final model is the average of the fold models, so its margins on new text are on the same scale as
  // the out-of-fold margins the calibration was fitted to.
  const model = averageModels(foldModels);
  return { evidence: { model, calibration }, oof, lex: lexScores };
}

/** Several departments named in `dept` (区住建局→街道办, A、B) means the order was bounced. */
export function bounced(dept: string | null): boolean {
  if (!dept) return false;
  return dept.split(/[→>、,，;；|]+/).filter((s) => s.trim()).length >= 2;
}

const LEXICON = 1;
const MODEL = 2;
const STRUCTURE = 4;
const SOURCE_NAMES = Array.from({ length: 8 }, (_, m) =>
  [m & LEXICON ? 'lexicon' : '', m & MODEL ? 'model' : '', m & STRUCTURE ? 'structure' : ''].filter(Boolean).join('+'),
);
/** The `sources` string by the code eachCode() emits: the evidence bits (none of them reads 'model'), or 'none'. */
const SOURCE_NONE = 8;
export const SOURCE_LABELS: readonly string[] = [...SOURCE_NAMES.map((n) => n || 'model'), 'none'];

export class Tagger {
  readonly tags: readonly CauseTag[];
  /** Tag names by the index eachCode() emits: the causes in order, then the fallback. */
  readonly labels: readonly string[];
  private readonly modelScorer: ModelScorer;
  private readonly margins: Float64Array;
  private readonly lex: Float64Array;
  /** lexFeature of each cause's lexicon score, for models trained on real messages (Calibration.lexAll). */
  private readonly lexF: Float64Array;
  private readonly lexAll: boolean;
  /** Column of the two-stage model's gate (GATE_TAG), −1 for a one-stage model. */
  private readonly gate: number;
  private readonly thresholds: Float64Array;
  /** Per tag: the lexicon score at which a complaint gets the tag on its cue phrases alone (Infinity: never). */
  private readonly lexiconAlone: Float64Array;
  private readonly redispatchTag: number;
  private readonly serviceTag: number;
  /**
   * Lexicon phrases (ids from 0), scope keywords (ids from scopeBase) and speech-act cues (ids from actBase) in one
   * matcher: one pass per text.
   */
  private readonly phrases: PhraseMatcher;
  private readonly scopeBase: number;
  private readonly actBase: number;
  /** Speech act of the last evidence() call: 0 complaint, 1 question, 2 suggestion, 3 praise. */
  act = 0;
  /**
   * Of the last evidence() call: the share of the text's character pairs that are features of the model seen in at
   * least SUPPORTED_TEXTS of its training texts (1 for a text without any, or a model that does not say: docs).
   */
  knownShare = 1;
  /** Hits of the last evidence() call's scan. */
  private hits = 0;
  /** Scratch of the last evidence() call: confidence and source bits per tag. */
  readonly conf: Float64Array;
  /** Whether the last evidence() call's tag passes: text evidence at its tag's threshold, or structure joining at
   * the base threshold (the per-tag thresholds guard against over-confident text, not against order fields). */
  readonly passes: Uint8Array;
  readonly sourceBits: Int32Array;

  constructor(
    readonly fingerprint: string,
    readonly lexicon: LexiconScorer,
    readonly text: TextEvidence,
    readonly scope: ScopeGuard,
    readonly cfg: TagConfig,
  ) {
    this.tags = lexicon.tags;
    this.labels = [...this.tags, FALLBACK_TAG];
    this.modelScorer = new ModelScorer(text.model);
    this.phrases = new PhraseMatcher([...lexicon.phrases, ...scope.keywordPhrases, ...SPEECH_ACT_PHRASES]);
    this.scopeBase = lexicon.phrases.length;
    this.actBase = this.scopeBase + scope.keywordPhrases.length;
    this.margins = new Float64Array(text.model.tags.length);
    this.gate = text.model.tags.indexOf(GATE_TAG);
    this.lexF = new Float64Array(this.tags.length);
    this.lexAll = text.calibration.some((c) => c.lexAll);
    this.lex = new Float64Array(this.tags.length);
    this.conf = new Float64Array(this.tags.length);
    this.passes = new Uint8Array(this.tags.length);
    this.sourceBits = new Int32Array(this.tags.length);
    this.thresholds = Float64Array.from(this.tags.map((t) => cfg.thresholds[t] ?? cfg.threshold));
    this.lexiconAlone = Float64Array.from(this.tags.map((t) => cfg.lexiconAlone?.[t] ?? Infinity));
    this.redispatchTag = this.tags.indexOf('权责交叉');
    this.serviceTag = this.tags.indexOf('服务落实不到位');
  }

  /** Confidence per tag (in `tags` order) and which evidence voted, into `conf` and `sourceBits`. */
  evidence(o: OrderEvidence): void {
    this.modelScorer.margins(o.content, this.margins);
    this.setAsideUnknownText();
    this.hits = this.phrases.collect(o.content);
    this.lexicon.scoreHits(this.hits, this.phrases.hitId, this.phrases.hitStart, 0, this.lex);
    const ids = this.phrases.hitId;
    this.act = speechActCode(o.content, this.hits, ids, this.phrases.hitStart, this.actBase, 0);
    // a question, suggestion or praise has no cause: its text evidence is damped (structure still counts)
    let damp = this.act === 0 ? 1 : this.cfg.nonComplaint;
    const s = this.cfg.structure;
    const redispatched = (o.dispatchCount ?? 0) >= 2 || bounced(o.dept);
    const reopened = o.reopened === true;
    if (this.lexAll) for (let t = 0; t < this.tags.length; t++) this.lexF[t] = lexFeature(this.lex[t]);
    // a two-stage model: P(some cause) × P(cause | some cause)
    if (this.gate >= 0)
      damp *= calibratedAll(this.text.calibration[this.gate], this.margins[this.gate], 0, this.lexF, this.act);
    for (let t = 0; t < this.tags.length; t++) {
      const cal = this.text.calibration[t];
      let p =
        damp *
        (cal.lexAll
          ? calibratedAll(cal, this.margins[t], this.lex[t], this.lexF, this.act)
          : calibrated(cal, this.margins[t], this.lex[t]));
      let bits = 0;
      if (this.lex[t] > 0) bits |= LEXICON;
      if (this.margins[t] > 0) bits |= MODEL;
      let structural = 0;
      if (t === this.redispatchTag && redispatched) structural = noisyOr(structural, s.redispatch);
      if (t === this.serviceTag && reopened) structural = noisyOr(structural, s.reopened);
      if (t === this.serviceTag && o.repeatAfterClose) structural = noisyOr(structural, s.repeatAfterClose);
      let pass = p >= this.thresholds[t] || (this.act === 0 && this.lex[t] >= this.lexiconAlone[t]);
      if (structural > 0) {
        p = noisyOr(p, structural);
        bits |= STRUCTURE;
        pass ||= p >= this.cfg.threshold;
      }
      this.conf[t] = p;
      this.passes[t] = pass ? 1 : 0;
      this.sourceBits[t] = bits;
    }
  }

  /**
   * The out-of-domain rule (tag.minKnownShare): a text whose character pairs the model mostly does not know comes
   * from a domain it was not trained on, and the weights of the few it knows were learned in another sense, so its
   * word evidence may argue against a cause but not for one — each margin is at most the model's bias (what an
   * empty text scores) — so a cause rests on the cue phrases and the speech act, which mean the same in any domain.
   */
  private setAsideUnknownText(): void {
    const sc = this.modelScorer;
    // a model that does not say how many texts it learned from cannot tell well-supported features: not judged
    this.knownShare = sc.pairs > 0 && this.text.model.docs ? sc.knownPairs / sc.pairs : 1;
    if (this.knownShare >= this.cfg.minKnownShare) return;
    const bias = this.text.model.bias;
    for (let t = 0; t < this.margins.length; t++) if (this.margins[t] > bias[t]) this.margins[t] = bias[t];
  }

  /**
   * Score an order and call emit for each of its tags: every cause at or above its threshold, else the
   * fallback with 1 − the best confidence.
   */
  each(o: OrderEvidence, emit: (tag: string, confidence: number, sources: string) => void): void {
    this.eachCode(o, (tag, confidence, sources) => emit(this.labels[tag], confidence, SOURCE_LABELS[sources]));
  }

  /**
   * each() with the tag as its index in `labels` and the sources as an index into SOURCE_LABELS, so the stage
   * can write compact typed rows and name them in SQL. Allocates nothing per order (the stage's hot loop).
   */
  eachCode(o: OrderEvidence, emit: (tag: number, confidence: number, sources: number) => void): void {
    this.evidence(o);
    let best = 0;
    let any = false;
    for (let t = 0; t < this.tags.length; t++) {
      const p = this.conf[t];
      if (p > best) best = p;
      if (this.passes[t]) {
        any = true;
        emit(t, p, this.sourceBits[t]);
      }
    }
    if (!any) emit(this.tags.length, 1 - best, SOURCE_NONE);
  }

  /**
   * eachCode(), then the index of the scope rule that puts the order out of scope (−1 if none), from the same
   * scan of the content (the stage's hot loop: equal to scope.matchIndex(o.category, o.content)).
   */
  eachCodeAndScope(o: OrderEvidence, emit: (tag: number, confidence: number, sources: number) => void): number {
    this.eachCode(o, emit);
    return this.scope.matchIndexHits(o.category, o.content, this.hits, this.phrases.hitId, this.scopeBase);
  }

  /** The order's tags as objects (see each()). */
  tag(o: OrderEvidence): TagResult[] {
    const out: TagResult[] = [];
    this.each(o, (tag, confidence, sources) => out.push({ tag, confidence, sources }));
    return out;
  }

  /** What the order's text does (complaint, question, suggestion, praise) and the cues that decided it. */
  speechActOf(o: OrderEvidence): SpeechActResult {
    return speechAct(o.content);
  }

  /** Why an order got its tags: lexicon phrases, strongest model features, structure. */
  explain(o: OrderEvidence): Array<{
    tag: string;
    confidence: number;
    threshold: number;
    lexicon: string[];
    lexiconScore: number;
    margin: number;
    features: Array<{ feature: string; weight: number }>;
    sources: string;
  }> {
    this.evidence(o);
    const conf = Array.from(this.conf);
    const bits = Array.from(this.sourceBits);
    const margins = Array.from(this.margins);
    const phrases = this.tags.map(() => [] as string[]);
    // the phrases evidence() counted, from its scan's hits (the same scores, now with their phrases)
    this.lexicon.scoreHits(this.hits, this.phrases.hitId, this.phrases.hitStart, 0, this.lex, phrases);
    return this.tags.map((tag, t) => ({
      tag,
      confidence: conf[t],
      threshold: this.thresholds[t],
      lexicon: phrases[t],
      lexiconScore: this.lex[t],
      margin: margins[t],
      features: this.modelScorer.topFeatures(o.content, t),
      sources: SOURCE_NAMES[bits[t]],
    }));
  }
}

export interface TaggerInputs {
  /** Calibration fitted on real orders, replacing the sample's per tag (null: none). */
  realCalibration: RealCalibration | null;
  /** A trained text model from file (tag.textModel), used instead of training on the labelled sample. */
  textModel: TextModelFile | null;
  lexicon: Lexicon;
  labelled: LabelledOrder[];
  scope: ScopeRule[];
  cfg: TagConfig;
  opts: TrainOptions;
  /** Hash of what the trained text evidence depends on (lexicon, labelled sample, training options). */
  modelFingerprint: string;
  /** Hash of everything the stage's output depends on (the above, scope rules and settings). */
  fingerprint: string;
}

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);

/** Read and validate the configured lexicon, labelled sample and scope rules. */
export function loadTaggerInputs(
  files: TagFiles,
  cfg: TagConfig,
  trainOptions: TrainOptions = defaultTrainOptions,
): TaggerInputs {
  // tag.words switches the word features on (the options' own value stands when the config leaves it unset)
  const opts: TrainOptions = { ...trainOptions, words: cfg.words || trainOptions.words };
  const lexicon = loadLexicon(files.lexicon);
  const labelled = loadLabelled(files.labelled);
  const scope = loadScopeRules(files.scopeRules);
  if (files.calibration && files.textModel)
    throw new UserError(
      `配置 tag 部分：calibration（${files.calibration}）是为 team 文本模型重新校准的，须配 textModel 'team'（训练出的模型自带阈值）`,
    );
  const realCalibration = files.calibration ? loadRealCalibration(files.calibration) : null;
  const textModel = files.textModel ? loadTextModelFile(files.textModel) : null;
  // a trained model's or a calibration file's thresholds replace the shipped ones; the config's win over all; a
  // trained model weighs the lexicon inside its margin, so the shipped lexicon-alone levels do not apply to it
  const modelThresholds = textModel && (cfg.abstain ? textModel.thresholds : textModel.thresholdsBestF1);
  const base = modelThresholds ?? (realCalibration ? realCalibration.thresholds : SHIPPED_THRESHOLDS);
  const merged: TagConfig = {
    ...cfg,
    thresholds: { ...base, ...cfg.thresholds },
    lexiconAlone: { ...(textModel ? {} : SHIPPED_LEXICON_ALONE), ...cfg.lexiconAlone },
  };
  // words cut by another segmenter (jieba, or Intl.Segmenter where jieba cannot load) are another model
  const seg = opts.words ? `${segmenter().name}:${domainDictionaryText()}` : '';
  // (without words the fingerprints are what they were before word features existed: no needless re-tag)
  const optsKey = JSON.stringify({ ...opts, words: opts.words || undefined });
  const modelFingerprint = hash(
    lexicon.text,
    labelled.text,
    optsKey,
    realCalibration?.text ?? '',
    ...(seg ? [seg] : []),
    ...(textModel ? [textModel.text] : []),
  );
  const settings = JSON.stringify({ ...merged, batchSize: undefined, words: merged.words || undefined });
  const fingerprint = hash(modelFingerprint, scope.text, settings);
  return {
    realCalibration,
    textModel,
    lexicon,
    labelled: labelled.orders,
    scope: scope.rules,
    cfg: merged,
    opts,
    modelFingerprint,
    fingerprint,
  };
}

/** Trained text evidence by model fingerprint, kept by whoever makes taggers (a stage instance, a test). */
export type TrainedCache = Map<string, TextEvidence>;

/**
 * The tagger for these inputs. The text evidence is trained on the sample's train part (seconds), unless a
 * trained one is given (from the store's tag_models table) or the cache holds it; either way the cache keeps it.
 */
export function makeTagger(inputs: TaggerInputs, trained?: TextEvidence, cache?: TrainedCache): Tagger {
  const scorer = new LexiconScorer(inputs.lexicon, CAUSE_TAGS);
  let text = trained ?? cache?.get(inputs.modelFingerprint) ?? inputs.textModel?.evidence;
  if (!text)
    text = trainTextEvidence(
      inputs.labelled.filter((o) => o.split === 'train'),
      scorer,
      inputs.opts,
    );
  // idempotent: evidence read back from the store already carries the same replacement
  if (inputs.realCalibration) text = withCalibration(text, inputs.realCalibration);
  cache?.set(inputs.modelFingerprint, text);
  return new Tagger(inputs.fingerprint, scorer, text, new ScopeGuard(inputs.scope), inputs.cfg);
}

/** What a scoring worker needs to build the same tagger (structured-cloneable; evidence as serializeEvidence()). */
export interface TaggerParts {
  fingerprint: string;
  lexicon: Lexicon;
  evidence: string;
  scope: ScopeRule[];
  cfg: TagConfig;
}

export function taggerParts(inputs: TaggerInputs, tagger: Tagger): TaggerParts {
  return {
    fingerprint: inputs.fingerprint,
    lexicon: inputs.lexicon,
    evidence: serializeEvidence(tagger.text),
    scope: inputs.scope,
    cfg: inputs.cfg,
  };
}

/** The tagger makeTagger() builds, from TaggerParts (JSON numbers round-trip exactly, so the scores are the same). */
export function taggerFromParts(p: TaggerParts): Tagger {
  return new Tagger(
    p.fingerprint,
    new LexiconScorer(p.lexicon, CAUSE_TAGS),
    deserializeEvidence(p.evidence),
    new ScopeGuard(p.scope),
    p.cfg,
  );
}

export function buildTagger(files: TagFiles, cfg: TagConfig, opts: TrainOptions = defaultTrainOptions): Tagger {
  return makeTagger(loadTaggerInputs(files, cfg, opts));
}

interface SerializedEvidence {
  tags: string[];
  keys: number[];
  idf: number[];
  weights: number[];
  bias: number[];
  calibration: Calibration[];
  /** Word and word-pair keys → text (models with word features only). */
  wordNames?: Array<[number, string]>;
  segWords?: string[];
  /** TextModel.docs (absent in files written before it existed). */
  docs?: number;
}

export function serializeEvidence(e: TextEvidence): string {
  const keys = [...e.model.vocab.entries()].sort((a, b) => a[1] - b[1]).map(([k]) => k);
  const doc: SerializedEvidence = {
    tags: e.model.tags,
    keys,
    idf: Array.from(e.model.idf),
    weights: Array.from(e.model.weights),
    bias: Array.from(e.model.bias),
    calibration: e.calibration,
  };
  if (e.model.docs) doc.docs = e.model.docs;
  if (e.model.wordNames && e.model.segWords) {
    doc.wordNames = [...e.model.wordNames];
    doc.segWords = e.model.segWords;
  }
  return JSON.stringify(doc);
}

export function deserializeEvidence(json: string): TextEvidence {
  const d = JSON.parse(json) as SerializedEvidence;
  return {
    model: {
      tags: d.tags,
      vocab: new Map(d.keys.map((k, j) => [k, j])),
      idf: Float64Array.from(d.idf),
      weights: Float64Array.from(d.weights),
      bias: Float64Array.from(d.bias),
      ...(d.wordNames && d.segWords ? { wordNames: new Map(d.wordNames), segWords: d.segWords } : {}),
      ...(d.docs ? { docs: d.docs } : {}),
    },
    calibration: d.calibration,
  };
}
