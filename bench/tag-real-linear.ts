/**
 * The linear model for real messages (src/tag/linear.ts, linear-train.ts), held out by source: for each source,
 * train on the other sources' hand-labelled messages plus the team's own texts (down-weighted), choose per-cause
 * thresholds on the training sources' out-of-fold predictions (one fold per source, so each threshold is chosen on
 * a source the model did not see, as the held-out one will be), and tag the held-out source with a Tagger built
 * from them — exactly what `weisu tag train` ships. Texts and labels as bench/tag-real.ts (comma lists):
 *
 *   WEISU_TAG_REAL_TEXTS=/work/realdata/labels/texts.json,/work/realdata/labels/texts2.json \
 *   WEISU_TAG_REAL_LABELS=/work/realdata/labels/pass1.tsv,/work/realdata/labels/pass4.tsv \
 *     nice -n 10 node --import tsx bench/tag-real-linear.ts
 *
 *   WEISU_TAG_LINEAR='{"l2":0.1,"teamShare":0.2}'   options over defaultLinearTrainOptions (src/tag/linear-train.ts)
 *   WEISU_TAG_LINEAR_SOURCES=rm-gas,wz-a2           hold out only these sources (each still trains on all others)
 */
import { configFrom } from '../src/store/config.js';
import { TagConfigSchema, tagFiles } from '../src/tag/config.js';
import { CAUSE_TAGS, LexiconScorer, loadLexicon } from '../src/tag/lexicon.js';
import { loadLabelled } from '../src/tag/labelled.js';
import { fileList, formatRealEvaluation, scoreReal, type RealMessage } from '../src/tag/real-eval.js';
import { ScopeGuard } from '../src/tag/scope.js';
import { Tagger } from '../src/tag/tagger.js';
import { textOrder } from '../src/tag/text-order.js';
import { defaultLinearTrainOptions, heldOutBySource, type LinearTrainOptions } from '../src/tag/linear-train.js';
import type { ThresholdChoice } from '../src/tag/linear.js';
import { realInputOrExit } from './tag-real-input.js';

const { messages, skipped } = realInputOrExit('bench/tag-real-linear');
const opts: LinearTrainOptions = { ...defaultLinearTrainOptions, ...JSON.parse(process.env.WEISU_TAG_LINEAR ?? '{}') };
console.log(
  `${messages.length} real messages (${skipped} labels without a text yet skipped); options ${JSON.stringify(opts)}`,
);

const cfg = TagConfigSchema.parse({});
const files = tagFiles(configFrom({}), cfg);
const lexicon = new LexiconScorer(loadLexicon(files.lexicon), CAUSE_TAGS);
const team = loadLabelled(files.labelled)
  .orders.filter((o) => o.split === 'train')
  .map((o) => ({ source: 'team', text: o.content, tags: o.tags }));

// WEISU_TAG_LINEAR_PRIORS=1: before the thresholds, each cause's probabilities on the held-out source are adjusted
// to that source's own share of the cause, estimated from its unlabelled texts by EM (Saerens, Latinne & Decaestecker
// 2002): the causes' mix is what differs most between sources.
const adaptPriors = process.env.WEISU_TAG_LINEAR_PRIORS === '1';

/** Each cause's mean out-of-fold confidence over the real training messages, every source weighing alike. */
function trainingPriors(oof: number[][], examples: Array<{ source: string }>): number[] {
  const real = examples.filter((x) => x.source !== 'team');
  const size = new Map<string, number>();
  for (const x of real) size.set(x.source, (size.get(x.source) ?? 0) + 1);
  return CAUSE_TAGS.map((_, t) => {
    let num = 0,
      den = 0;
    real.forEach((x, i) => {
      num += oof[i][t] / size.get(x.source)!;
      den += 1 / size.get(x.source)!;
    });
    return num / den;
  });
}

function adaptedSets(tagger: Tagger, held: RealMessage[], prior: number[], thr: number[]): Set<string>[] {
  const conf = held.map((m) => {
    tagger.evidence(textOrder(m.text));
    return Array.from(tagger.conf);
  });
  const adjusted = conf.map((c) => [...c]);
  CAUSE_TAGS.forEach((_, t) => {
    const p0 = Math.min(Math.max(prior[t], 1e-4), 1 - 1e-4);
    let p1 = p0;
    for (let it = 0; it < 100; it++) {
      const r1 = p1 / p0,
        r0 = (1 - p1) / (1 - p0);
      let sum = 0;
      conf.forEach((c, i) => {
        const a = (r1 * c[t]) / (r1 * c[t] + r0 * (1 - c[t]));
        adjusted[i][t] = a;
        sum += a;
      });
      const next = Math.min(Math.max(sum / conf.length, 1e-4), 1 - 1e-4);
      if (Math.abs(next - p1) < 1e-6) break;
      p1 = next;
    }
  });
  return adjusted.map((a) => new Set(CAUSE_TAGS.filter((_, t) => a[t] >= thr[t])));
}

const all = [...new Set(messages.map((m) => m.source))].sort();
const only = process.env.WEISU_TAG_LINEAR_SOURCES ? fileList(process.env.WEISU_TAG_LINEAR_SOURCES) : all;
const fmt = (ch: ThresholdChoice[]) =>
  ch.map((c) => (Number.isFinite(c.threshold) ? c.threshold.toFixed(2) : '—')).join(' ');
const summary: string[] = [];
const means = { strict: [] as number[], bestF1: [] as number[] };
// every held-out source's messages and predictions, pooled for one figure per cause
const pooled = {
  strict: { ms: [] as RealMessage[], pred: [] as Set<string>[] },
  bestF1: { ms: [] as RealMessage[], pred: [] as Set<string>[] },
};
const heldOut = heldOutBySource(messages, team, lexicon, cfg, opts, only);
for (const h of heldOut) {
  const examples = [...messages.filter((m) => m.source !== h.source), ...team];
  for (const kind of ['strict', 'bestF1'] as const) {
    const tr = h.training;
    const tagger = new Tagger('linear', lexicon, tr.evidence, new ScopeGuard([]), {
      ...cfg,
      thresholds: Object.fromEntries(CAUSE_TAGS.map((t, i) => [t, tr[kind][i].threshold])),
      lexiconAlone: {},
    });
    const pred = adaptPriors
      ? adaptedSets(
          tagger,
          h.messages,
          trainingPriors(tr.oof, examples),
          tr[kind].map((c) => c.threshold),
        )
      : h[kind];
    const ev = scoreReal(h.messages, pred);
    pooled[kind].ms.push(...h.messages);
    pooled[kind].pred.push(...pred);
    const name =
      kind === 'strict'
        ? `precision ≥ ${opts.minPrecision} on the training sources, else abstain`
        : 'best F1 on the training sources';
    console.log(
      '\n' + formatRealEvaluation(`${h.source} held out, thresholds for ${name} (${fmt(tr[kind])})`, ev).join('\n'),
    );
    means[kind].push(ev.macroF1);
    const emitted = ev.perTag.filter((m) => m.predicted > 0);
    summary.push(
      `${h.source.padEnd(7)} ${kind.padEnd(6)} macro-F1 ${ev.macroF1.toFixed(3)}  questions ${ev.questionsTagged}/${ev.questions}  ` +
        `P/R ${ev.perTag.map((m) => `${Math.round(100 * m.precision)}/${Math.round(100 * m.recall)}`).join(' ')}  ` +
        `emitted below 70%: ${
          emitted
            .filter((m) => m.precision < 0.7)
            .map((m) => m.tag)
            .join(' ') || 'none'
        }`,
    );
  }
}
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
for (const kind of ['strict', 'bestF1'] as const) {
  const ev = scoreReal(pooled[kind].ms, pooled[kind].pred);
  console.log('\n' + formatRealEvaluation(`every source held out in turn, pooled (${kind})`, ev).join('\n'));
}
// Where each cause goes wrong, pooled over the held-out sources (best-F1 thresholds): what the wrongly tagged
// messages were labelled instead, and what the missed ones got.
{
  const { ms, pred } = pooled.bestF1;
  const short = (tags: Iterable<string>) => [...tags].map((t) => t.slice(0, 2)).join('+');
  const label = (m: RealMessage) => (m.act !== 'C' ? `act ${m.act}` : short(m.tags) || 'no cause');
  const top = (mp: Map<string, number>) =>
    [...mp]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  console.log('\nconfusion (best-F1 thresholds, pooled held-out):');
  for (const tag of CAUSE_TAGS) {
    const fp = new Map<string, number>();
    const fn = new Map<string, number>();
    ms.forEach((m, i) => {
      const want = m.tags.includes(tag);
      const got = pred[i].has(tag);
      if (got && !want) fp.set(label(m), (fp.get(label(m)) ?? 0) + 1);
      const k = short(pred[i]) || '其他';
      if (want && !got) fn.set(k, (fn.get(k) ?? 0) + 1);
    });
    console.log(`  ${tag}: wrongly tagged were ${top(fp) || '—'}; missed ones got ${top(fn) || '—'}`);
  }
}
console.log('\n' + summary.join('\n'));
console.log(
  `mean over held-out sources: strict ${avg(means.strict).toFixed(3)}, best F1 ${avg(means.bestF1).toFixed(3)}`,
);
