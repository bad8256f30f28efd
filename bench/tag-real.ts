/**
 * Root causes on real, hand-labelled citizen messages, by source. The texts and labels live outside the
 * repository (fetched data is never committed): point WEISU_TAG_REAL_TEXTS at the texts (JSON / JSON Lines of
 * {id, source, title, detail}) and WEISU_TAG_REAL_LABELS at the labels (id, act, causes; see docs/tag.md).
 *
 *   WEISU_TAG_REAL_TEXTS=/work/realdata/labels/texts.json WEISU_TAG_REAL_LABELS=/work/realdata/labels/pass1.tsv \
 *     nice -n 10 node --import tsx bench/tag-real.ts
 *
 * The configured tagger is trained only on the team's own labelled sample, so every real source is held out
 * from the model and the lexicon; per source it prints precision, recall and F1 per cause, macro-F1, and how
 * many questions / suggestions got a cause. With WEISU_TAG_REAL_KAPPA=<second-pass labels> it also prints
 * Cohen's kappa per cause between the two labelling passes.
 */
import { configFrom } from '../src/store/config.js';
import { TagConfigSchema, tagFiles } from '../src/tag/config.js';
import { CAUSE_TAGS } from '../src/tag/lexicon.js';
import { loadRealMessages, scoreReal, type RealEvaluation, type RealMessage } from '../src/tag/real-eval.js';
import { buildTagger } from '../src/tag/tagger.js';

const textsFile = process.env.WEISU_TAG_REAL_TEXTS;
const labelsFile = process.env.WEISU_TAG_REAL_LABELS;
if (!textsFile || !labelsFile) {
  console.log(
    'bench/tag-real: set WEISU_TAG_REAL_TEXTS and WEISU_TAG_REAL_LABELS (real data is not in the repo); skipped',
  );
  process.exit(0);
}

const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

function print(title: string, ev: RealEvaluation): void {
  console.log(
    `\n${title}: ${ev.messages} messages, macro-F1 (5 causes) ${ev.macroF1.toFixed(3)}; questions given a cause ${ev.questionsTagged}/${ev.questions} (${pct(ev.questions ? ev.questionsTagged / ev.questions : 0)}%), suggestions/praise/private ${ev.othersTagged}/${ev.others}`,
  );
  console.log('  cause          labels  emitted  precision  recall     F1');
  for (const m of ev.perTag)
    console.log(
      `  ${m.tag.padEnd(7, '　')}  ${String(m.support).padStart(6)}  ${String(m.predicted).padStart(7)}  ${pct(m.precision)}%    ${pct(m.recall)}%  ${m.f1.toFixed(3)}`,
    );
}

const messages = loadRealMessages(textsFile, labelsFile);
const cfg = TagConfigSchema.parse({});
const tagger = buildTagger(tagFiles(configFrom({}), cfg), cfg);
const predict = (ms: RealMessage[]) =>
  ms.map(
    (m) =>
      new Set(
        tagger
          .tag({
            content: m.text,
            category: '',
            dispatchCount: null,
            reopened: null,
            dept: null,
            repeatAfterClose: false,
          })
          .map((r) => r.tag),
      ),
  );

const sources = [...new Set(messages.map((m) => m.source))].sort();
for (const s of sources) {
  const ms = messages.filter((m) => m.source === s);
  print(`source ${s} (held out)`, scoreReal(ms, predict(ms)));
}
print('all sources', scoreReal(messages, predict(messages)));

const kappaFile = process.env.WEISU_TAG_REAL_KAPPA;
if (kappaFile) {
  const second = new Map(loadRealMessages(textsFile, kappaFile).map((m) => [m.id, m]));
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

/** Cohen's kappa for two binary ratings of the same items. */
function kappa(a: boolean[], b: boolean[]): number {
  const n = a.length;
  let agree = 0,
    pa = 0,
    pb = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    if (a[i]) pa++;
    if (b[i]) pb++;
  }
  const po = agree / n;
  const pe = (pa / n) * (pb / n) + (1 - pa / n) * (1 - pb / n);
  return pe === 1 ? 1 : (po - pe) / (1 - pe);
}
