/**
 * Decision rules for the real-message model, held out by source (the same leave-one-source-out protocol as
 * bench/tag-real-linear.ts: each source is scored by a model trained on the other sources plus the team's texts).
 * Every rule's free numbers (per-cause thresholds, the confidence floor) are chosen on the training sources'
 * out-of-fold predictions (one fold per training source), never on the held-out source — a nested protocol.
 *
 *   WEISU_TAG_REAL_TEXTS=/work/realdata/labels/texts.json,/work/realdata/labels/texts2.json \
 *   WEISU_TAG_REAL_LABELS=/work/realdata/labels/pass1.tsv,/work/realdata/labels/pass4.tsv \
 *     nice -n 10 node --import tsx bench/tag-real-rules.ts
 *
 *   WEISU_TAG_LINEAR='{"classBalance":0.5}'   model options over defaultLinearTrainOptions
 *
 * Rules (each at two operating points: per-cause precision ≥ minPrecision on the training sources' out-of-fold
 * predictions, else abstain — "strict"; and the best mean-over-sources F1 — "bestF1"):
 *   thr       a cause is emitted when its confidence reaches its threshold (what ships);
 *   top1      a message read as a complaint also gets its most confident cause (by the guidelines every complaint
 *             has at least one cause), other causes at their thresholds (chosen with the top cause given);
 *   top1floor top1, but only when the top confidence reaches a floor chosen on the training sources.
 *
 * Also: WEISU_TAG_RULES_POINTS, WEISU_TAG_RULES_CFG, WEISU_TAG_RULES_STACK, WEISU_TAG_RULES_L2S,
 * WEISU_TAG_RULES_EXAMPLES (each explained where it is read, below); figures in docs/tag.md "Round 4".
 */
import { configFrom } from '../src/store/config.js';
import { TagConfigSchema, tagFiles } from '../src/tag/config.js';
import { CAUSE_TAGS, LexiconScorer, loadLexicon } from '../src/tag/lexicon.js';
import { loadLabelled } from '../src/tag/labelled.js';
import { formatRealEvaluation, scoreReal, type RealMessage } from '../src/tag/real-eval.js';
import { ScopeGuard } from '../src/tag/scope.js';
import { Tagger, buildTagger } from '../src/tag/tagger.js';
import { lexFeature } from '../src/tag/fusion.js';
import { defaultTrainOptions } from '../src/tag/model.js';
import { textOrder } from '../src/tag/text-order.js';
import { defaultLinearTrainOptions, trainLinear, type LinearTrainOptions } from '../src/tag/linear-train.js';
import { chooseThreshold } from '../src/tag/linear.js';
import { realInputOrExit } from './tag-real-input.js';

const { messages } = realInputOrExit('bench/tag-real-rules');
const opts: LinearTrainOptions = { ...defaultLinearTrainOptions, ...JSON.parse(process.env.WEISU_TAG_LINEAR ?? '{}') };
console.log(`${messages.length} real messages; options ${JSON.stringify(opts)}`);

// WEISU_TAG_RULES_CFG='{"nonComplaint":1}': tag settings over the defaults (e.g. the speech-act damping)
const cfg = TagConfigSchema.parse(JSON.parse(process.env.WEISU_TAG_RULES_CFG ?? '{}'));
const files = tagFiles(configFrom({}), cfg);
const lexicon = new LexiconScorer(loadLexicon(files.lexicon), CAUSE_TAGS);
const team = loadLabelled(files.labelled)
  .orders.filter((o) => o.split === 'train')
  .map((o) => ({ source: 'team', text: o.content, tags: o.tags as readonly string[] }));
const nT = CAUSE_TAGS.length;

/** Scored messages: confidence per cause, speech act (0 complaint), labels, source. */
interface Scored {
  conf: number[];
  act: number;
  truth: boolean[];
  source: string;
}

interface Rule {
  thr: number[];
  /** Give a complaint its top cause (among causes not abstaining) when the top confidence reaches the floor. */
  top1: boolean;
  floor: number;
}

function topOf(s: Scored, thr: number[]): number {
  let best = -1;
  for (let t = 0; t < nT; t++) if (Number.isFinite(thr[t]) && (best < 0 || s.conf[t] > s.conf[best])) best = t;
  return best;
}

function apply(rule: Rule, s: Scored): boolean[] {
  const out = s.conf.map((c, t) => c >= rule.thr[t]);
  if (rule.top1 && s.act === 0) {
    const b = topOf(s, rule.thr);
    if (b >= 0 && s.conf[b] >= rule.floor) out[b] = true;
  }
  return out;
}

/** Thresholds for a rule on out-of-fold data, each cause's top-given messages counted as emitted whatever its cut. */
function chooseRule(oof: Scored[], top1: boolean, floor: number, minP: number): Rule {
  const srcs = [...new Set(oof.map((s) => s.source))];
  const groups = oof.map((s) => srcs.indexOf(s.source));
  let allowed = CAUSE_TAGS.map(() => 0);
  for (let round = 0; round < nT; round++) {
    const forced = oof.map((s) => {
      if (!top1 || s.act !== 0) return -1;
      const b = topOf(s, allowed);
      return b >= 0 && s.conf[b] >= floor ? b : -1;
    });
    const thr = CAUSE_TAGS.map((tag, t) => {
      if (!Number.isFinite(allowed[t])) return Infinity;
      const probs = oof.map((s, i) => (forced[i] === t ? 2 : s.conf[t]));
      return chooseThreshold(
        probs,
        oof.map((s) => s.truth[t]),
        minP,
        groups,
      ).threshold;
    });
    // a cause that abstains is out of the top-cause choice too; choose again until stable
    const changed = thr.some((x, t) => !Number.isFinite(x) && Number.isFinite(allowed[t]));
    allowed = thr;
    if (!changed) break;
  }
  return { thr: allowed, top1, floor };
}

/** Mean over sources of macro-F1 (5 causes). */
function meanMacro(data: Scored[], rule: Rule): number {
  const srcs = [...new Set(data.map((s) => s.source))];
  return (
    srcs
      .map((src) => {
        const d = data.filter((s) => s.source === src);
        const pred = d.map((s) => apply(rule, s));
        let f = 0;
        for (let t = 0; t < nT; t++) {
          let tp = 0,
            em = 0,
            pos = 0;
          d.forEach((s, i) => {
            if (pred[i][t]) em++;
            if (s.truth[t]) pos++;
            if (pred[i][t] && s.truth[t]) tp++;
          });
          f += em + pos ? (2 * tp) / (em + pos) : 0;
        }
        return f / nT;
      })
      .reduce((a, b) => a + b, 0) / srcs.length
  );
}

const FLOORS = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4];
function chooseFloorRule(oof: Scored[], minP: number): Rule {
  let best: { r: Rule; f: number } | null = null;
  for (const floor of FLOORS) {
    const r = chooseRule(oof, true, floor, minP);
    const f = meanMacro(oof, r);
    if (!best || f > best.f) best = { r, f };
  }
  return best!.r;
}

/** Rank AUC of one cause's confidences against its labels (ties count half). */
function auc(conf: number[], truth: boolean[]): number {
  const idx = conf.map((_, i) => i).sort((a, b) => conf[a] - conf[b]);
  let rank = 0,
    sumPos = 0,
    nPos = 0;
  for (let k = 0; k < idx.length;) {
    let e = k;
    while (e + 1 < idx.length && conf[idx[e + 1]] === conf[idx[k]]) e++;
    const r = (k + e) / 2 + 1;
    for (let j = k; j <= e; j++)
      if (truth[idx[j]]) {
        sumPos += r;
        nPos++;
      }
    rank = e + 1;
    k = e + 1;
  }
  const nNeg = rank - nPos;
  return nPos && nNeg ? (sumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg) : NaN;
}

/**
 * Diagnostic, not a method: each cause's F1 at the best threshold chosen on the held-out source itself (the
 * ceiling of any threshold rule on these scores) and its rank AUC.
 */
function oracleLine(source: string, scored: Scored[]): string {
  const per = CAUSE_TAGS.map((_, t) => {
    const c = scored.map((s) => s.conf[t]);
    const y = scored.map((s) => s.truth[t]);
    return { f1: chooseThreshold(c, y, 0, undefined, 1).f1, auc: auc(c, y) };
  });
  const macro = per.reduce((a, x) => a + x.f1, 0) / nT;
  return `${source.padEnd(7)} oracle macro-F1 ${macro.toFixed(3)}  F1 ${per.map((x) => x.f1.toFixed(2)).join(' ')}  AUC ${per.map((x) => x.auc.toFixed(2)).join(' ')}`;
}
const oracle: string[] = [];

// WEISU_TAG_RULES_EXAMPLES=n: per source and cause, the n most confident wrong tags and the n least confident
// misses at the best-F1 thresholds (for reading why a cause fails; the texts stay on this machine)
const showExamples = Number(process.env.WEISU_TAG_RULES_EXAMPLES ?? 0);
function examplesOf(held: RealMessage[], scored: Scored[], pred: Set<string>[]): void {
  const clip = (m: RealMessage) => m.text.replace(/\s+/g, ' ').slice(0, 90);
  const lab = (m: RealMessage) => (m.act !== 'C' ? `act ${m.act}` : m.tags.map((t) => t.slice(0, 2)).join('+'));
  CAUSE_TAGS.forEach((tag, t) => {
    const idx = held.map((_, i) => i);
    const fp = idx.filter((i) => pred[i].has(tag) && !held[i].tags.includes(tag));
    const fn = idx.filter((i) => !pred[i].has(tag) && held[i].tags.includes(tag));
    fp.sort((a, b) => scored[b].conf[t] - scored[a].conf[t]);
    fn.sort((a, b) => scored[a].conf[t] - scored[b].conf[t]);
    console.log(`\n[${held[0].source} ${tag}] wrong tags ${fp.length}, misses ${fn.length}`);
    for (const i of fp.slice(0, showExamples))
      console.log(`  FP ${scored[i].conf[t].toFixed(2)} (${lab(held[i])}) ${clip(held[i])}`);
    for (const i of fn.slice(0, showExamples))
      console.log(
        `  FN ${scored[i].conf[t].toFixed(2)} [${[...pred[i]].map((x) => x.slice(0, 2)).join('+') || '其他'}] ${clip(held[i])}`,
      );
  });
}

// WEISU_TAG_RULES_STACK=1: also a stacked score per cause — a logistic regression on the training sources'
// out-of-fold predictions over [logit real-model confidence, logit team-text-model confidence, lexFeature of the
// cause's lexicon score] (the team-text model never saw a real message, so its scores are out-of-fold everywhere)
const stack = process.env.WEISU_TAG_RULES_STACK === '1';
const side = new Map<string, { team: number[]; lex: number[] }>();
if (stack) {
  const teamCfg = TagConfigSchema.parse({ textModel: 'team' });
  const teamTagger = buildTagger(tagFiles(configFrom({}), teamCfg), teamCfg, defaultTrainOptions);
  const lex = new Float64Array(nT);
  for (const m of messages) {
    teamTagger.evidence(textOrder(m.text));
    lexicon.score(m.text, lex);
    side.set(m.text, { team: Array.from(teamTagger.conf), lex: Array.from(lex, lexFeature) });
  }
}
const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));
const stackX = (conf: number[], text: string, t: number) => [
  logit(conf[t]),
  logit(side.get(text)!.team[t]),
  side.get(text)!.lex[t],
  1,
];

/** Per cause, weights of the stacked logistic regression fitted on out-of-fold rows (sources weigh alike). */
function fitStack(oof: Scored[], texts: string[]): number[][] {
  const size = new Map<string, number>();
  for (const s of oof) size.set(s.source, (size.get(s.source) ?? 0) + 1);
  const w = oof.map((s) => 1 / size.get(s.source)!);
  const wSum = w.reduce((a, b) => a + b, 0);
  return CAUSE_TAGS.map((_, t) => {
    const X = oof.map((s, i) => stackX(s.conf, texts[i], t));
    const beta = [1, 0, 0, 0];
    for (let it = 0; it < 2000; it++) {
      const g = [0, 0, 0, 0];
      X.forEach((x, i) => {
        const z = x.reduce((a, v, k) => a + v * beta[k], 0);
        const r = (1 / (1 + Math.exp(-z)) - (oof[i].truth[t] ? 1 : 0)) * w[i];
        for (let k = 0; k < 4; k++) g[k] += r * x[k];
      });
      for (let k = 0; k < 4; k++) beta[k] -= 0.5 * (g[k] / wSum + (k < 3 ? 0.01 * beta[k] : 0));
    }
    return beta;
  });
}

function stacked(rows: Scored[], texts: string[], beta: number[][]): Scored[] {
  return rows.map((s, i) => ({
    ...s,
    conf: CAUSE_TAGS.map((_, t) => {
      const z = stackX(s.conf, texts[i], t).reduce((a, v, k) => a + v * beta[t][k], 0);
      return 1 / (1 + Math.exp(-z));
    }),
  }));
}

// WEISU_TAG_RULES_L2S=0.3,1,3: also each cause with its own L2 penalty, the one with the best out-of-fold F1
const l2s = (process.env.WEISU_TAG_RULES_L2S ?? '').split(',').filter(Boolean).map(Number);

/** Train without the held-out source; out-of-fold rows of the training sources and the held-out source's rows. */
function scoreWith(
  o: LinearTrainOptions,
  train: RealMessage[],
  held: RealMessage[],
  examples: Array<{ source: string; text: string; tags: readonly string[] }>,
  source: string,
): { oof: Scored[]; scored: Scored[] } {
  const tr = trainLinear(examples, lexicon, cfg, o);
  const oof: Scored[] = train.map((m, i) => ({
    conf: tr.oof[i],
    act: tr.oofAct[i],
    truth: CAUSE_TAGS.map((t) => m.tags.includes(t)),
    source: m.source,
  }));
  const tagger = new Tagger('held-out', lexicon, tr.evidence, new ScopeGuard([]), { ...cfg, lexiconAlone: {} });
  const known: number[] = [];
  const scored: Scored[] = held.map((m) => {
    tagger.evidence(textOrder(m.text));
    known.push(tagger.knownShare);
    return { conf: Array.from(tagger.conf), act: tagger.act, truth: CAUSE_TAGS.map((t) => m.tags.includes(t)), source };
  });
  // the out-of-domain rule (tag.minKnownShare) on a source the model did not see: how many fall under its floor
  known.sort((a, b) => a - b);
  const below = known.filter((k) => k < cfg.minKnownShare).length;
  console.log(
    `${source}: ${below} of ${held.length} under the out-of-domain floor ${cfg.minKnownShare}; known share 5th percentile ${known[Math.floor(0.05 * (known.length - 1))].toFixed(2)}, median ${known[Math.floor(0.5 * (known.length - 1))].toFixed(2)}`,
  );
  return { oof, scored };
}

// WEISU_TAG_RULES_POINTS=0.7,0.6,0.5,0: the training precision each cause's threshold must reach (0: best F1)
const points = (process.env.WEISU_TAG_RULES_POINTS ?? `${opts.minPrecision},0`).split(',').map(Number);

const sources = [...new Set(messages.map((m) => m.source))].sort();
const ruleNames = ['thr', 'top1', 'top1floor'] as const;
type Kind = string;
const perSource = new Map<Kind, Array<{ source: string; f1: number; line: string }>>();
const pooled = new Map<Kind, { ms: RealMessage[]; pred: Set<string>[] }>();
for (const source of sources) {
  const train = messages.filter((m) => m.source !== source);
  const held = messages.filter((m) => m.source === source);
  const examples = [...train.map((m) => ({ source: m.source, text: m.text, tags: m.tags })), ...team];
  const { oof, scored } = scoreWith(opts, train, held, examples, source);
  oracle.push(oracleLine(source, scored));
  const variants: Array<{ prefix: string; oof: Scored[]; scored: Scored[] }> = [{ prefix: '', oof, scored }];
  if (l2s.length) {
    // per cause, the L2 penalty whose out-of-fold best-F1 (mean over the training sources) is highest
    const runs = l2s.map((l2) =>
      l2 === opts.l2 ? { oof, scored } : scoreWith({ ...opts, l2 }, train, held, examples, source),
    );
    const groups = oof.map((x) => [...new Set(oof.map((y) => y.source))].indexOf(x.source));
    const pick = CAUSE_TAGS.map((_, t) => {
      const f = runs.map(
        (r) =>
          chooseThreshold(
            r.oof.map((x) => x.conf[t]),
            r.oof.map((x) => x.truth[t]),
            0,
            groups,
          ).f1,
      );
      return f.indexOf(Math.max(...f));
    });
    console.log(`${source} L2 per cause: ${pick.map((k) => l2s[k]).join(' ')}`);
    const compose = (rows: Scored[][]) =>
      rows[0].map((x, i) => ({ ...x, conf: CAUSE_TAGS.map((_, t) => rows[pick[t]][i].conf[t]) }));
    const sc = compose(runs.map((r) => r.scored));
    oracle.push(oracleLine(`${source}+l2`, sc));
    variants.push({ prefix: 'l2pick:', oof: compose(runs.map((r) => r.oof)), scored: sc });
  }
  if (stack) {
    const beta = fitStack(
      oof,
      train.map((m) => m.text),
    );
    console.log(`${source} stack β per cause: ${beta.map((b) => b.map((x) => x.toFixed(2)).join('/')).join('  ')}`);
    const so = stacked(
      oof,
      train.map((m) => m.text),
      beta,
    );
    const sh = stacked(
      scored,
      held.map((m) => m.text),
      beta,
    );
    oracle.push(oracleLine(`${source}+stack`, sh));
    variants.push({ prefix: 'stack:', oof: so, scored: sh });
  }
  for (const v of variants) evaluateRules(source, held, v.prefix, v.oof, v.scored);
}

function evaluateRules(source: string, held: RealMessage[], prefix: string, oof: Scored[], scored: Scored[]): void {
  for (const minP of points) {
    const point = minP === opts.minPrecision ? 'strict' : minP ? `P${minP}` : 'bestF1';
    const rules: Record<(typeof ruleNames)[number], Rule> = {
      thr: chooseRule(oof, false, 0, minP),
      top1: chooseRule(oof, true, 0, minP),
      top1floor: chooseFloorRule(oof, minP),
    };
    for (const name of ruleNames) {
      const kind = `${prefix}${name}/${point}`;
      const r = rules[name];
      const pred = scored.map((s) => new Set(CAUSE_TAGS.filter((_, t) => apply(r, s)[t])));
      if (kind === 'thr/bestF1' && showExamples) examplesOf(held, scored, pred);
      const ev = scoreReal(held, pred);
      const pp = pooled.get(kind) ?? { ms: [], pred: [] };
      pp.ms.push(...held);
      pp.pred.push(...pred);
      pooled.set(kind, pp);
      const thr = r.thr.map((x) => (Number.isFinite(x) ? x.toFixed(2) : '—')).join(' ');
      const line =
        `${source.padEnd(7)} ${kind.padEnd(17)} macro-F1 ${ev.macroF1.toFixed(3)}  q ${ev.questionsTagged}/${ev.questions}  ` +
        `P/R ${ev.perTag.map((m) => `${Math.round(100 * m.precision)}/${Math.round(100 * m.recall)}`).join(' ')}  thr ${thr}${r.top1 ? ` floor ${r.floor}` : ''}`;
      const list = perSource.get(kind) ?? [];
      list.push({ source, f1: ev.macroF1, line });
      perSource.set(kind, list);
    }
  }
}

for (const [kind, list] of perSource) {
  console.log('\n' + list.map((x) => x.line).join('\n'));
  const ev = scoreReal(pooled.get(kind)!.ms, pooled.get(kind)!.pred);
  console.log(formatRealEvaluation(`${kind} pooled`, ev).join('\n'));
}
console.log('\n' + oracle.join('\n'));
console.log('\nmean held-out macro-F1 per rule:');
for (const [kind, list] of perSource)
  console.log(
    `  ${kind.padEnd(17)} ${(list.reduce((a, x) => a + x.f1, 0) / list.length).toFixed(3)}  (${list.map((x) => `${x.source} ${x.f1.toFixed(3)}`).join(', ')})`,
  );
