/**
 * The tagger on texts from a domain it was not trained on (docs/tag.md "Round 6"): how many get a root cause with the
 * out-of-domain rule (tag.minKnownShare) off and on, which causes, and a sample of those still tagged, for a hand
 * check. Real data is not in the repo: the file comes from a path, e.g. the 车质网 car-quality complaints
 * (/work/realdata/car-complain-12365auto/, see /work/realdata/README.md):
 *
 *   WEISU_TAG_OOD_CSV=/work/realdata/car-complain-12365auto/car_complain.csv WEISU_TAG_OOD_COLUMN=desc \
 *     nice -n 10 node --import tsx bench/tag-ood.ts
 *
 *   WEISU_TAG_OOD_SAMPLE=30     how many of the texts tagged with the rule on to print (a seeded random sample)
 *   WEISU_TAG_OOD_CFG='{…}'      tag settings over the defaults (e.g. '{"minKnownShare":0.3}')
 *
 * The file is CSV with a header line, UTF-8 or GB18030 (read as GB18030 when it is not valid UTF-8).
 */
import { existsSync, readFileSync } from 'node:fs';
import { configFrom } from '../src/store/config.js';
import { TagConfigSchema, tagFiles, type TagConfig } from '../src/tag/config.js';
import { CAUSE_TAGS } from '../src/tag/lexicon.js';
import { buildTagger, type Tagger } from '../src/tag/tagger.js';
import { textOrder } from '../src/tag/text-order.js';
import { mulberry32 } from '../src/stats/random.js';

const file = process.env.WEISU_TAG_OOD_CSV;
if (!file || !existsSync(file)) {
  console.log('bench/tag-ood: set WEISU_TAG_OOD_CSV to a CSV of texts from another domain (not in the repo); skipped');
  process.exit(0);
}

/** Decoded text of a file: UTF-8 when it is valid UTF-8, else GB18030 (Chinese exports are often GBK). */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180 rows (quoted fields with "" escapes and line breaks), empty lines dropped. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    field = '';
    if (row.some((x) => x !== '')) rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[i++];
      else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') endRow();
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

const rows = csvRows(decode(readFileSync(file)));
const header = rows[0].map((h) => h.trim());
const column = process.env.WEISU_TAG_OOD_COLUMN ?? header.find((h) => ['desc', '问题简述', 'content'].includes(h));
const col = column === undefined ? -1 : header.indexOf(column);
if (col < 0) {
  console.log(
    `bench/tag-ood: ${file} has no column ${column ?? '(desc / 问题简述 / content)'}; columns: ${header.join(', ')}`,
  );
  process.exit(1);
}
const texts = rows
  .slice(1)
  .map((r) => (r[col] ?? '').trim())
  .filter(Boolean);

const base = JSON.parse(process.env.WEISU_TAG_OOD_CFG ?? '{}') as Partial<TagConfig>;
const taggerWith = (minKnownShare?: number): Tagger => {
  const cfg = TagConfigSchema.parse(minKnownShare === undefined ? base : { ...base, minKnownShare });
  return buildTagger(tagFiles(configFrom({}), cfg), cfg);
};

interface Tally {
  tagged: number;
  /** Texts given a cause whose causes none has a cue phrase of its own (the model's words alone decided). */
  modelOnly: number;
  byCause: Map<string, number>;
  /** Indices of the texts given a cause. */
  which: number[];
}

function tally(tagger: Tagger): Tally {
  const byCause = new Map<string, number>(CAUSE_TAGS.map((t) => [t, 0]));
  const which: number[] = [];
  let modelOnly = 0;
  texts.forEach((t, i) => {
    const causes = tagger.tag(textOrder(t)).filter((r) => byCause.has(r.tag));
    for (const r of causes) byCause.set(r.tag, byCause.get(r.tag)! + 1);
    if (!causes.length) return;
    which.push(i);
    const cued = new Set(
      tagger
        .explain(textOrder(t))
        .filter((e) => e.lexicon.length)
        .map((e) => e.tag),
    );
    if (!causes.some((r) => cued.has(r.tag))) modelOnly++;
  });
  return { tagged: which.length, modelOnly, byCause, which };
}

const show = (name: string, t: Tally) =>
  console.log(
    `${name}: ${t.tagged} of ${texts.length} texts given a cause (${((100 * t.tagged) / texts.length).toFixed(1)} %), ${t.modelOnly} with no cue phrase for any of them — ${[
      ...t.byCause,
    ]
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );

console.log(`${file}, column ${column}: ${texts.length} texts`);
const off = tally(taggerWith(0));
const onTagger = taggerWith();
const on = tally(onTagger);
show('rule off (minKnownShare 0)', off);
show(`rule on (minKnownShare ${onTagger.cfg.minKnownShare})`, on);

// a seeded random sample of the texts still tagged, with what decided each cause, for a hand check
const n = Math.min(Number(process.env.WEISU_TAG_OOD_SAMPLE ?? 30), on.which.length);
const rand = mulberry32(20261207);
const pool = [...on.which];
for (let i = pool.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [pool[i], pool[j]] = [pool[j], pool[i]];
}
console.log(`\n${n} of the ${on.which.length} texts tagged with the rule on (seeded sample):`);
for (const i of pool.slice(0, n).sort((a, b) => a - b)) {
  const o = textOrder(texts[i]);
  const ex = onTagger.explain(o);
  const known = onTagger.knownShare;
  const got = onTagger
    .tag(o)
    .map((r) => `${r.tag} ${r.confidence.toFixed(2)}`)
    .join(', ');
  const cues = ex
    .filter((e) => e.lexicon.length)
    .map((e) => `${e.tag}:${e.lexicon.join('/')}`)
    .join(' ');
  console.log(`  #${i + 1} known ${(100 * known).toFixed(0)}%  ${texts[i]}  → ${got}  [${cues || 'no cue phrase'}]`);
}
