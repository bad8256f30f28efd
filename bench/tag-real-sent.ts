/**
 * Round 5: scoring variants of the real-message model, held out by source (leave-one-source-out over every real
 * source, nested: every free number — thresholds, stacking weights, phrase precisions — comes from the training
 * sources only, by one inner fold per training source).
 *
 *   WEISU_TAG_REAL_TEXTS=/work/realdata/labels/texts.json,/work/realdata/labels/texts2.json \
 *   WEISU_TAG_REAL_LABELS=/work/realdata/labels/pass1.tsv,/work/realdata/labels/pass4.tsv \
 *     nice -n 10 node --import tsx bench/tag-real-sent.ts
 *
 * Variants of the score, each at two operating points (per-cause precision ≥ 0.7 on the training sources'
 * out-of-fold rows, else abstain — "strict"; the best mean-over-sources F1 — "bestF1"):
 *   doc      the round-3 model's confidence (speech-act damping × σ(margin)): what ships;
 *   smax     the same model applied to each sentence of the letter, the highest margin (a cause is usually stated in
 *            one sentence; summed evidence over a long letter drowns it or, for generic words, inflates it);
 *   mean     the mean of the doc and smax probabilities;
 *   stack    per cause σ(a·doc margin + b·smax margin + c), fitted on the out-of-fold rows;
 *   gate     (WEISU_TAG_SENT_GATE=1) two stages: P(any cause) from a model trained on all messages, times P(cause |
 *            some cause) from a model trained on the messages that have one;
 *   precLex  (WEISU_TAG_SENT_PRECLEX=1) a model whose lexicon inputs are, per cause, the highest learned precision
 *            (log-odds over the cause's base rate) of the lexicon phrases present, each phrase counted once.
 * WEISU_TAG_SENT_SELF=1: self-training — each target source's own texts, labelled by the model, join training once.
 * WEISU_TAG_SENT_SPAN=2: a sentence window of two (adjacent pairs) instead of single sentences.
 * WEISU_TAG_LINEAR='{…}': model options over defaultLinearTrainOptions. WEISU_TAG_SENT_ONLY=rm-gas,wz-a2: some folds.
 */
import { configFrom } from '../src/store/config.js';
import { TagConfigSchema, tagFiles } from '../src/tag/config.js';
import { CAUSE_TAGS, LexiconScorer, loadLexicon } from '../src/tag/lexicon.js';
import { loadLabelled } from '../src/tag/labelled.js';
import { scoreReal, type RealMessage } from '../src/tag/real-eval.js';
import { PhraseMatcher } from '../src/tag/matcher.js';
import { speechAct } from '../src/tag/speech-act.js';
import {
  buildLinearVocabulary,
  chooseThreshold,
  fitLinear,
  linearDoc,
  linearMargins,
  type LinearDoc,
  type LinearModel,
  type LinearVocabulary,
} from '../src/tag/linear.js';
import {
  defaultLinearTrainOptions,
  denseOf,
  exampleWeights,
  wordList,
  type LinearExample,
  type LinearTrainOptions,
} from '../src/tag/linear-train.js';
import { WordCut } from '../src/tag/features.js';
import { realInputOrExit } from './tag-real-input.js';

const { messages } = realInputOrExit('bench/tag-real-sent');
const opts: LinearTrainOptions = { ...defaultLinearTrainOptions, ...JSON.parse(process.env.WEISU_TAG_LINEAR ?? '{}') };
const GATE = process.env.WEISU_TAG_SENT_GATE === '1';
const PRECLEX = ['1', 'add'].includes(process.env.WEISU_TAG_SENT_PRECLEX ?? '');
const PRECLEX_ADD = process.env.WEISU_TAG_SENT_PRECLEX === 'add';
const SELF = process.env.WEISU_TAG_SENT_SELF === '1';
const NB = Number(process.env.WEISU_TAG_SENT_NB ?? 0);
const SPAN = Number(process.env.WEISU_TAG_SENT_SPAN ?? 1);
const ONLY = (process.env.WEISU_TAG_SENT_ONLY ?? '').split(',').filter(Boolean);
console.log(`${messages.length} real messages; gate ${GATE} precLex ${PRECLEX} span ${SPAN}`);

const cfg = TagConfigSchema.parse({});
const files = tagFiles(configFrom({}), cfg);
const lexicon = new LexiconScorer(loadLexicon(files.lexicon), CAUSE_TAGS);
const team: LinearExample[] = loadLabelled(files.labelled)
  .orders.filter((o) => o.split === 'train')
  .map((o) => ({ source: 'team', text: o.content, tags: o.tags as readonly string[] }));
const nT = CAUSE_TAGS.length;
const ACTS = ['complaint', 'question', 'suggestion', 'praise'];
const actOf = new Map<string, number>();
const actCode = (text: string) => {
  let a = actOf.get(text);
  if (a === undefined) actOf.set(text, (a = ACTS.indexOf(speechAct(text).act)));
  return a;
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

/** Sentences of a text (split at 。！？；and line ends; pieces with < 4 ideographs dropped), or windows of SPAN. */
function sentences(text: string): string[] {
  const s = text
    .split(/[。！？!?；;\n\r]+/)
    .map((x) => x.trim())
    .filter((x) => (x.match(/[\u3400-\u9fff]/g)?.length ?? 0) >= 4);
  if (!s.length) return [text];
  if (SPAN <= 1 || s.length < 2) return s;
  return s.slice(0, -1).map((x, i) => `${x}。${s[i + 1]}`);
}

// ---- phrase precision (d) ----
const phraseMatcher = new PhraseMatcher(lexicon.phrases);
const phraseSets = new Map<string, Int32Array>();
function phrasesOf(text: string): Int32Array {
  let p = phraseSets.get(text);
  if (!p) {
    const n = phraseMatcher.collect(text);
    p = Int32Array.from(new Set(Array.from(phraseMatcher.hitId.subarray(0, n))));
    phraseSets.set(text, p);
  }
  return p;
}
/** Per phrase and cause: log-odds of the smoothed precision over the cause's base rate (0 for rare phrases). */
type PrecTable = Float64Array;
function precTable(ex: LinearExample[], w: number[]): PrecTable {
  const nP = lexicon.phrases.length;
  const W = new Float64Array(nP),
    n = new Float64Array(nP),
    K = new Float64Array(nP * nT);
  const base = new Float64Array(nT);
  let total = 0;
  ex.forEach((x, i) => {
    total += w[i];
    CAUSE_TAGS.forEach((t, k) => void (x.tags.includes(t) && (base[k] += w[i])));
    for (const p of phrasesOf(x.text)) {
      W[p] += w[i];
      n[p]++;
      CAUSE_TAGS.forEach((t, k) => void (x.tags.includes(t) && (K[p * nT + k] += w[i])));
    }
  });
  const out = new Float64Array(nP * nT);
  const alpha = 3;
  for (let k = 0; k < nT; k++) {
    const b = Math.min(Math.max(base[k] / total, 1e-3), 1 - 1e-3);
    for (let p = 0; p < nP; p++) {
      if (n[p] < 3) continue;
      const prec = (K[p * nT + k] + alpha * b) / (W[p] + alpha);
      out[p * nT + k] = Math.max(0, logit(Math.min(Math.max(prec, 1e-3), 1 - 1e-3)) - logit(b));
    }
  }
  return out;
}
function precFeatures(text: string, table: PrecTable, scale: number): number[] {
  const f = new Array<number>(nT).fill(0);
  for (const p of phrasesOf(text)) for (let k = 0; k < nT; k++) f[k] = Math.max(f[k], table[p * nT + k]);
  return f.map((x) => x * scale * 0.5);
}

// ---- fitting ----
interface Fit {
  v: LinearVocabulary;
  m: LinearModel;
  table: PrecTable | null;
}
const lexBuf = new Float64Array(nT);
function dense(
  text: string,
  fit: { table: PrecTable | null },
  withAct: boolean,
  table?: PrecTable | null,
): Float64Array {
  const d = denseOf(text, lexicon, opts.denseScale, lexBuf);
  if (!withAct) d.fill(0, nT);
  const t = table === undefined ? fit.table : table;
  if (!PRECLEX) return d;
  const pf = t ? precFeatures(text, t, opts.denseScale) : new Array<number>(nT).fill(0);
  // PRECLEX=add: beside the hand-weighted lexicon scores; else instead of them
  return Float64Array.from(PRECLEX_ADD ? [...d, ...pf] : [...pf, ...d.subarray(nT)]);
}

/** labels per example (nTags columns); examples with weight 0 are left out. */
function fit(ex: LinearExample[], labelsOf: (x: LinearExample) => boolean[]): Fit {
  const w = exampleWeights(ex, opts);
  const texts = ex.map((x) => x.text);
  const v = buildLinearVocabulary(
    texts,
    opts.words ? wordList(texts, lexicon, opts) : [],
    opts,
    ex.map((x) => x.source),
  );
  let table: PrecTable | null = null;
  // each training example's phrase precisions come from the other training sources (no example scores itself)
  let perEx: Array<PrecTable | null> = ex.map(() => null);
  if (PRECLEX) {
    const real = ex.filter((x) => x.source !== 'team');
    const wr = exampleWeights(real, opts);
    table = precTable(real, wr);
    const srcs = [...new Set(real.map((x) => x.source))];
    const bySrc = new Map(
      srcs.map((s) => {
        const keep = real.map((x, i) => [x, i] as const).filter(([x]) => x.source !== s);
        return [
          s,
          precTable(
            keep.map(([x]) => x),
            keep.map(([, i]) => wr[i]),
          ),
        ] as const;
      }),
    );
    perEx = ex.map((x) => bySrc.get(x.source) ?? table);
  }
  const cut = new WordCut();
  const docs = ex.map((x, i) => linearDoc(x.text, dense(x.text, { table }, true, perEx[i]), v, cut));
  const labels = ex.map(labelsOf);
  const m = NB
    ? fitNB(v.vocab.size, docs, labels, w)
    : fitLinear(v.vocab.size, docs, labels, w, labels[0].length, { ...opts, trigrams: false });
  return { v, m, table };
}

/**
 * NB-weighted logistic regression (Wang & Manning 2012, NBSVM): per cause, each sparse feature of the unit-length
 * vector is scaled by its log-count ratio r = ln((p/|p|₁)/(q/|q|₁)) (p, q: smoothed weighted sums of the feature
 * over the cause's positive and negative examples), raised to the power NB (sign kept), then fitted; the weights
 * fold back as w·r so the scorer is unchanged.
 */
function fitNB(nSparse: number, docs: LinearDoc[], labels: boolean[][], w: number[]): LinearModel {
  const nTags = labels[0].length;
  const nDense = docs[0].dense.length;
  const width = nSparse + nDense;
  const weights = new Float64Array(nTags * width);
  const bias = new Float64Array(nTags);
  for (let t = 0; t < nTags; t++) {
    const p = new Float64Array(nSparse).fill(1),
      q = new Float64Array(nSparse).fill(1);
    docs.forEach((d, i) => {
      const to = labels[i][t] ? p : q;
      for (let k = 0; k < d.cols.length; k++) to[d.cols[k]] += w[i] * (d.vals[k] > 0 ? 1 : 0);
    });
    const sp = p.reduce((a, b) => a + b, 0),
      sq = q.reduce((a, b) => a + b, 0);
    const r = Float64Array.from(p, (pj, j) => {
      const x = Math.log(pj / sp / (q[j] / sq));
      return Math.sign(x) * Math.abs(x) ** NB;
    });
    const scaled = docs.map((d) => ({
      cols: d.cols,
      vals: Float64Array.from(d.vals, (x, k) => x * r[d.cols[k]]),
      dense: d.dense,
    }));
    const m = fitLinear(
      nSparse,
      scaled,
      labels.map((l) => [l[t]]),
      w,
      1,
      { ...opts, trigrams: false },
    );
    for (let j = 0; j < nSparse; j++) weights[t * width + j] = m.weights[j] * r[j];
    for (let j = 0; j < nDense; j++) weights[t * width + nSparse + j] = m.weights[nSparse + j];
    bias[t] = m.bias[0];
  }
  return { nSparse, nDense, weights, bias };
}

interface Row {
  zDoc: number[];
  zSent: number[];
  zFirst: number[];
  zGate: number;
  zCond: number[];
  act: number;
  truth: boolean[];
  source: string;
}

function margins(f: Fit, text: string, withAct: boolean): number[] {
  const out = new Float64Array(f.m.bias.length);
  linearMargins(f.m, linearDoc(text, dense(text, f, withAct), f.v), out);
  return Array.from(out);
}

function rowsOf(
  main: Fit,
  gate: Fit | null,
  cond: Fit | null,
  ms: Array<{ text: string; tags: readonly string[]; source: string }>,
): Row[] {
  return ms.map((m) => {
    const zDoc = margins(main, m.text, true);
    const zSent = new Array<number>(nT).fill(-Infinity);
    const ss = sentences(m.text);
    const zFirst = margins(main, ss[0], false);
    for (const s of ss) {
      const z = margins(main, s, false);
      for (let t = 0; t < nT; t++) zSent[t] = Math.max(zSent[t], z[t]);
    }
    return {
      zDoc,
      zSent,
      zFirst,
      zGate: gate ? margins(gate, m.text, true)[0] : 0,
      zCond: cond ? margins(cond, m.text, true) : zDoc,
      act: actCode(m.text),
      truth: CAUSE_TAGS.map((t) => m.tags.includes(t)),
      source: m.source,
    };
  });
}

const causes = (x: LinearExample) => CAUSE_TAGS.map((t) => x.tags.includes(t));
function fitAll(ex: LinearExample[]): { main: Fit; gate: Fit | null; cond: Fit | null } {
  const main = fit(ex, causes);
  if (!GATE) return { main, gate: null, cond: null };
  const gate = fit(ex, (x) => [CAUSE_TAGS.some((t) => x.tags.includes(t))]);
  const cond = fit(
    ex.filter((x) => CAUSE_TAGS.some((t) => x.tags.includes(t))),
    causes,
  );
  return { main, gate, cond };
}

// ---- variants ----
const damp = (r: Row) => (r.act === 0 ? 1 : cfg.nonComplaint);
type Variant = (r: Row, stackW: number[][]) => number[];
const VARIANTS: Record<string, Variant> = {
  doc: (r) => r.zDoc.map((z) => damp(r) * sigmoid(z)),
  smax: (r) => r.zSent.map((z) => damp(r) * sigmoid(z)),
  mean: (r) => r.zDoc.map((z, t) => (damp(r) * (sigmoid(z) + sigmoid(r.zSent[t]))) / 2),
  stack: (r, w) => r.zDoc.map((z, t) => damp(r) * sigmoid(w[t][0] * z + w[t][1] * r.zSent[t] + w[t][2])),
  first: (r, w) => r.zDoc.map((z, t) => damp(r) * sigmoid(w[t][3] * z + w[t][4] * r.zFirst[t] + w[t][5])),
};
if (GATE) {
  VARIANTS.gate = (r) => r.zCond.map((z) => damp(r) * sigmoid(r.zGate) * sigmoid(z));
  VARIANTS.gateDoc = (r) => r.zDoc.map((z) => damp(r) * Math.sqrt(sigmoid(r.zGate) * sigmoid(z)));
}

/** Per cause logistic regression of the label on [doc margin, sentence-max margin, 1], sources weighing alike. */
function fitStack(rows: Row[]): number[][] {
  const a = fitStack2(rows, (r) => r.zSent);
  const b = fitStack2(rows, (r) => r.zFirst);
  return a.map((x, t) => [...x, ...b[t]]);
}
function fitStack2(rows: Row[], other: (r: Row) => number[]): number[][] {
  const size = new Map<string, number>();
  for (const r of rows) size.set(r.source, (size.get(r.source) ?? 0) + 1);
  const w = rows.map((r) => 1 / size.get(r.source)!);
  const wSum = w.reduce((a, b) => a + b, 0);
  return CAUSE_TAGS.map((_, t) => {
    const beta = [1, 0, 0];
    for (let it = 0; it < 1500; it++) {
      const g = [0, 0, 0];
      rows.forEach((r, i) => {
        const x = [r.zDoc[t], other(r)[t], 1];
        const e = (sigmoid(x[0] * beta[0] + x[1] * beta[1] + beta[2]) - (r.truth[t] ? 1 : 0)) * w[i];
        for (let k = 0; k < 3; k++) g[k] += e * x[k];
      });
      for (let k = 0; k < 3; k++) beta[k] -= 0.5 * (g[k] / wSum + (k < 2 ? 0.001 * beta[k] : 0));
    }
    return beta;
  });
}

function auc(conf: number[], truth: boolean[]): number {
  let pos = 0,
    neg = 0,
    s = 0;
  const idx = conf.map((_, i) => i).sort((a, b) => conf[a] - conf[b]);
  let k = 0;
  while (k < idx.length) {
    let e = k;
    while (e + 1 < idx.length && conf[idx[e + 1]] === conf[idx[k]]) e++;
    const r = (k + e) / 2 + 1;
    for (let j = k; j <= e; j++)
      if (truth[idx[j]]) {
        s += r;
        pos++;
      }
    k = e + 1;
  }
  neg = idx.length - pos;
  return pos && neg ? (s - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}

/**
 * Fit on ex and score the target messages; with SELF, once more with the target's own texts added as one more
 * source, labelled by the first model (a cause where its confidence reaches 0.5): self-training on the unlabelled
 * texts of the city being tagged (the labels are never read).
 */
function scoreTarget(ex: LinearExample[], target: RealMessage[]): Row[] {
  const f = fitAll(ex);
  const rows = rowsOf(f.main, f.gate, f.cond, target);
  if (!SELF) return rows;
  const pseudo = target.map((m, i) => ({
    source: 'self',
    text: m.text,
    tags: CAUSE_TAGS.filter((_, t) => damp(rows[i]) * sigmoid(rows[i].zDoc[t]) >= 0.5) as readonly string[],
  }));
  const g = fitAll([...ex, ...pseudo]);
  return rowsOf(g.main, g.gate, g.cond, target);
}

// ---- leave one source out ----
const sources = [...new Set(messages.map((m) => m.source))].sort().filter((s) => !ONLY.length || ONLY.includes(s));
const results = new Map<string, Array<{ source: string; f1: number; oracle: number; auc: number[]; line: string }>>();
const pooled = new Map<string, { ms: RealMessage[]; pred: Set<string>[] }>();
const t0 = Date.now();
for (const held of sources) {
  const train = messages.filter((m) => m.source !== held);
  const heldMs = messages.filter((m) => m.source === held);
  const trainSrc = [...new Set(train.map((m) => m.source))].sort();
  const oof: Row[] = [];
  for (const inner of trainSrc)
    oof.push(
      ...scoreTarget(
        [...train.filter((m) => m.source !== inner), ...team],
        train.filter((m) => m.source === inner),
      ),
    );
  const rows = scoreTarget([...train, ...team], heldMs);
  const stackW = fitStack(oof);
  console.log(
    `${held}: stack ${stackW.map((b) => b.map((x) => x.toFixed(2)).join('/')).join('  ')}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
  const groups = oof.map((r) => trainSrc.indexOf(r.source));
  for (const [name, vf] of Object.entries(VARIANTS)) {
    const co = oof.map((r) => vf(r, stackW));
    const ch = rows.map((r) => vf(r, stackW));
    const per = CAUSE_TAGS.map((_, t) => ({
      oracle: chooseThreshold(
        ch.map((c) => c[t]),
        rows.map((r) => r.truth[t]),
        0,
        undefined,
        1,
      ).f1,
      auc: auc(
        ch.map((c) => c[t]),
        rows.map((r) => r.truth[t]),
      ),
    }));
    for (const [point, minP] of [
      ['strict', opts.minPrecision],
      ['bestF1', 0],
    ] as const) {
      const thr = CAUSE_TAGS.map(
        (_, t) =>
          chooseThreshold(
            co.map((c) => c[t]),
            oof.map((r) => r.truth[t]),
            minP,
            groups,
          ).threshold,
      );
      const pred = ch.map((c) => new Set(CAUSE_TAGS.filter((_, t) => c[t] >= thr[t])));
      const ev = scoreReal(heldMs, pred);
      const kind = `${name}/${point}`;
      const list = results.get(kind) ?? [];
      list.push({
        source: held,
        f1: ev.macroF1,
        oracle: per.reduce((a, x) => a + x.oracle, 0) / nT,
        auc: per.map((x) => x.auc),
        line:
          `${held.padEnd(7)} ${kind.padEnd(14)} macro-F1 ${ev.macroF1.toFixed(3)}  q ${ev.questionsTagged}/${ev.questions}  ` +
          `P/R ${ev.perTag.map((m) => `${Math.round(100 * m.precision)}/${Math.round(100 * m.recall)}`).join(' ')}  ` +
          `thr ${thr.map((x) => (Number.isFinite(x) ? x.toFixed(2) : '—')).join(' ')}`,
      });
      results.set(kind, list);
      const p = pooled.get(kind) ?? { ms: [], pred: [] };
      p.ms.push(...heldMs);
      p.pred.push(...pred);
      pooled.set(kind, p);
    }
  }
}

for (const list of results.values()) console.log('\n' + list.map((x) => x.line).join('\n'));
console.log(
  '\nper variant: mean held-out macro-F1 (per source) | oracle mean | mean AUC per cause | pooled P/R per cause | questions tagged',
);
for (const [kind, list] of results) {
  const mean = list.reduce((a, x) => a + x.f1, 0) / list.length;
  const orc = list.reduce((a, x) => a + x.oracle, 0) / list.length;
  const aucs = CAUSE_TAGS.map((_, t) => list.reduce((a, x) => a + x.auc[t], 0) / list.length);
  const ev = scoreReal(pooled.get(kind)!.ms, pooled.get(kind)!.pred);
  console.log(
    `  ${kind.padEnd(14)} ${mean.toFixed(3)} (${list.map((x) => `${x.source} ${x.f1.toFixed(3)}`).join(', ')}) | oracle ${orc.toFixed(3)} | AUC ${aucs.map((x) => x.toFixed(2)).join(' ')} | ` +
      `${ev.perTag.map((m) => `${Math.round(100 * m.precision)}/${Math.round(100 * m.recall)}`).join(' ')} | q ${ev.questionsTagged}/${ev.questions}`,
  );
}
