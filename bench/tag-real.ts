/**
 * Root causes on real, hand-labelled citizen messages, by source. The texts and labels live outside the
 * repository (fetched data is never committed): point WEISU_TAG_REAL_TEXTS at the texts (JSON / JSON Lines of
 * {id, source, title, detail}) and WEISU_TAG_REAL_LABELS at the labels (id, act, causes; see docs/tag.md). Both take
 * comma-separated lists (texts.json,texts2.json and pass1.tsv,pass4.tsv): texts are pooled, a later label file wins
 * for an id, files not yet written and labels whose text has not arrived are skipped with a count.
 *
 *   WEISU_TAG_REAL_TEXTS=/work/realdata/labels/texts.json WEISU_TAG_REAL_LABELS=/work/realdata/labels/pass1.tsv \
 *     nice -n 10 node --import tsx bench/tag-real.ts
 *
 * The configured tagger is trained only on the team's own labelled sample, so every real source is held out
 * from the model and the lexicon; per source it prints precision, recall and F1 per cause, macro-F1, and how
 * many questions / suggestions got a cause. With WEISU_TAG_REAL_KAPPA=<second-pass labels> it also prints
 * Cohen's kappa per cause between the two labelling passes.
 *
 *   WEISU_TAG_WORDS=1                 word features on (config tag.words)
 *   WEISU_TAG_TEXT_MODEL=real         the configured tagger is the shipped real-message model (in-sample figures)
 *   WEISU_TAG_REAL_TRAIN=0            skip the run with the other sources' labels in training
 *   WEISU_TAG_REAL_OOF=0              skip the run with thresholds chosen on the training sources' out-of-fold
 *                                     predictions (WEISU_TAG_REAL_MIN_PRECISION=0.7, WEISU_TAG_REAL_TEAM=0: no team texts)
 *   WEISU_TAG_REAL_CALIBRATE=0        skip the `tag calibrate` run
 */
import { configFrom } from '../src/store/config.js';
import { chooseThresholdsOof, fitRealCalibration, withCalibration } from '../src/tag/calibrate.js';
import { TagConfigSchema, tagFiles } from '../src/tag/config.js';
import { CAUSE_TAGS } from '../src/tag/lexicon.js';
import {
  cohensKappa as kappa,
  formatRealEvaluation,
  loadRealMessages,
  scoreReal,
  type RealEvaluation,
  type RealMessage,
} from '../src/tag/real-eval.js';
import { CAUSE_TAGS as CAUSES, LexiconScorer } from '../src/tag/lexicon.js';
import { ScopeGuard } from '../src/tag/scope.js';
import { Tagger, buildTagger, loadTaggerInputs, trainTextEvidence, trainTextEvidenceOof } from '../src/tag/tagger.js';
import { textOrder } from '../src/tag/text-order.js';
import { defaultTrainOptions } from '../src/tag/model.js';
import { realInputOrExit } from './tag-real-input.js';

const { messages, texts, labels, skipped } = realInputOrExit('bench/tag-real');

function print(title: string, ev: RealEvaluation): void {
  console.log('\n' + formatRealEvaluation(title, ev).join('\n'));
}

console.log(
  `bench/tag-real: ${messages.length} labelled messages from ${texts} / ${labels}` +
    (skipped ? ` (${skipped} label lines without a text yet, skipped)` : ''),
);
// the team-text model (what every section below retrains); WEISU_TAG_TEXT_MODEL=real scores the shipped model trained
// on real messages — in-sample on the sources it was trained on (held out by source: bench/tag-real-linear.ts)
const cfg = TagConfigSchema.parse({ textModel: process.env.WEISU_TAG_TEXT_MODEL ?? 'team' });
// WEISU_TAG_WORDS=1: words and word pairs beside the character pairs (config tag.words), for comparison
const opts = { ...defaultTrainOptions, words: process.env.WEISU_TAG_WORDS === '1' };
const tagger = buildTagger(tagFiles(configFrom({}), cfg), cfg, opts);
const predict = (ms: RealMessage[]) => ms.map((m) => new Set(tagger.tag(textOrder(m.text)).map((r) => r.tag)));

const sources = [...new Set(messages.map((m) => m.source))].sort();
for (const s of sources) {
  const ms = messages.filter((m) => m.source === s);
  print(`source ${s} (held out)`, scoreReal(ms, predict(ms)));
}
print('all sources', scoreReal(messages, predict(messages)));

// What a city gets by labelling some of its own messages (config tag.labelled): the other sources' labelled
// messages join the team's sample in training, the source itself stays out (even thresholds: the shipped ones were
// chosen for the model trained on the team's texts alone).
if (process.env.WEISU_TAG_REAL_TRAIN !== '0') {
  const inputs = loadTaggerInputs(tagFiles(configFrom({}), cfg), cfg, opts);
  const scorer = new LexiconScorer(inputs.lexicon, CAUSES);
  const own = inputs.labelled.filter((o) => o.split === 'train');
  const even = { ...inputs.cfg, thresholds: {} };
  for (const s of sources) {
    const extra = messages
      .filter((m) => m.source !== s)
      .map((m) => ({ id: m.id, base: m.id, split: 'train' as const, category: '', content: m.text, tags: m.tags }));
    const trained = new Tagger(
      'real',
      scorer,
      trainTextEvidence([...own, ...extra], scorer, inputs.opts),
      new ScopeGuard([]),
      even,
    );
    const ms = messages.filter((m) => m.source === s);
    const pred = ms.map((m) => new Set(trained.tag(textOrder(m.text)).map((r) => r.tag)));
    print(
      `source ${s} held out, the other sources' ${extra.length} labelled messages in training`,
      scoreReal(ms, pred),
    );
  }
}

// The same training, with per-tag thresholds and lexicon-alone levels chosen on the training sources' own
// out-of-fold predictions (for precision ≥ WEISU_TAG_REAL_MIN_PRECISION, default 0.7; 0 = for the best F1), never
// on the held-out source. WEISU_TAG_REAL_TEAM=0 leaves the team's texts out of training (real messages only).
if (process.env.WEISU_TAG_REAL_OOF !== '0') {
  const inputs = loadTaggerInputs(tagFiles(configFrom({}), cfg), cfg, opts);
  const scorer = new LexiconScorer(inputs.lexicon, CAUSES);
  const own = process.env.WEISU_TAG_REAL_TEAM === '0' ? [] : inputs.labelled.filter((o) => o.split === 'train');
  const minPrecision = Number(process.env.WEISU_TAG_REAL_MIN_PRECISION ?? 0.7);
  for (const s of sources) {
    const trainMsgs = messages.filter((m) => m.source !== s);
    const extra = trainMsgs.map((m) => ({
      id: m.id,
      base: m.id,
      split: 'train' as const,
      category: '',
      content: m.text,
      tags: m.tags,
    }));
    const { evidence, oof, lex } = trainTextEvidenceOof([...own, ...extra], scorer, inputs.opts);
    const probe = new Tagger('probe', scorer, evidence, new ScopeGuard([]), inputs.cfg);
    const rows = trainMsgs.map((m, i) => {
      probe.evidence(textOrder(m.text));
      return { act: probe.act, margins: oof[own.length + i], lex: lex[own.length + i], tags: m.tags };
    });
    const chosen = chooseThresholdsOof(rows, CAUSES, evidence.calibration, cfg.nonComplaint, minPrecision);
    const trained = new Tagger('oof', scorer, evidence, new ScopeGuard([]), { ...inputs.cfg, ...chosen });
    const ms = messages.filter((m) => m.source === s);
    const pred = ms.map((m) => new Set(trained.tag(textOrder(m.text)).map((r) => r.tag)));
    print(
      `source ${s} held out, ${own.length ? "team's texts + " : ''}other sources in training, thresholds chosen on their out-of-fold predictions (min precision ${minPrecision}): ${JSON.stringify(chosen)}`,
      scoreReal(ms, pred),
    );
  }
}

// `weisu tag calibrate` on two sources, scored on the third: refitting only the probability layer and the
// thresholds on real orders (the model and lexicon unchanged).
if (process.env.WEISU_TAG_REAL_CALIBRATE !== '0') {
  const plain = buildTagger({ ...tagFiles(configFrom({}), cfg), calibration: null }, cfg, opts);
  for (const s of sources) {
    const fit = fitRealCalibration(
      plain,
      messages.filter((m) => m.source !== s),
    );
    const cal = { ...fit, text: JSON.stringify(fit) };
    const calibrated = new Tagger('cal', plain.lexicon, withCalibration(plain.text, cal), new ScopeGuard([]), {
      ...cfg,
      thresholds: fit.thresholds,
    });
    const ms = messages.filter((m) => m.source === s);
    const pred = ms.map((m) => new Set(calibrated.tag(textOrder(m.text)).map((r) => r.tag)));
    print(
      `source ${s} held out, calibration fitted on the other sources (thresholds ${JSON.stringify(fit.thresholds)})`,
      scoreReal(ms, pred),
    );
  }
}

const kappaFile = process.env.WEISU_TAG_REAL_KAPPA;
if (kappaFile) {
  const second = new Map(loadRealMessages(texts, kappaFile).map((m) => [m.id, m]));
  const both = messages.filter((m) => second.has(m.id));
  console.log(`\nagreement between the two labelling passes on ${both.length} messages (Cohen's kappa):`);
  for (const tag of [...CAUSE_TAGS, 'any cause'] as const) {
    const a = both.map((m) => (tag === 'any cause' ? m.tags.length > 0 : m.tags.includes(tag)));
    const b = both.map((m) => {
      const o = second.get(m.id)!;
      return tag === 'any cause' ? o.tags.length > 0 : o.tags.includes(tag);
    });
    console.log(
      `  ${tag.padEnd(7, '　')} kappa ${kappa(a, b).toFixed(2)}  (pass 1: ${a.filter(Boolean).length}, pass 2: ${b.filter(Boolean).length})`,
    );
  }
  const acts = both.filter((m) => m.act === second.get(m.id)!.act).length;
  console.log(`  speech act identical on ${acts}/${both.length}`);
}
