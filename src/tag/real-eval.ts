import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../store/errors.js';
import { CAUSE_TAGS, type CauseTag } from './lexicon.js';
import type { TagMetrics } from './evaluate.js';

/**
 * Hand-labelled real messages, kept outside the repository (fetched texts are never committed): a texts file
 * (JSON array or JSON Lines of {id, source, title?, detail?, text?}) and a labels file (tab-separated: id, speech
 * act, causes). The speech act is C (complaint or report), Q (question or consultation), S (suggestion or
 * request), P (praise) or D (private dispute); causes are a comma list of 权 政 基 监 服, or '-' for none. The
 * labelling rules are in docs/tag.md.
 */
export interface RealMessage {
  id: string;
  source: string;
  text: string;
  act: string;
  tags: CauseTag[];
}

const SHORT: Record<string, CauseTag> = {
  权: '权责交叉',
  政: '政策漏洞',
  基: '基础设施短板',
  监: '监管缺位',
  服: '服务落实不到位',
};
const ACTS = new Set(['C', 'Q', 'S', 'P', 'D']);

interface RawText {
  id?: unknown;
  source?: unknown;
  title?: unknown;
  detail?: unknown;
  text?: unknown;
}

function readTexts(file: string): Map<string, { source: string; text: string }> {
  if (!existsSync(file)) throw new UserError(`找不到真实诉求文本：${file}`);
  const body = readFileSync(file, 'utf8').trim();
  let rows: RawText[];
  try {
    rows = body.startsWith('[') ? (JSON.parse(body) as RawText[]) : body.split('\n').map((l) => JSON.parse(l));
  } catch (err) {
    throw new UserError(`真实诉求文本 ${file}：不是 JSON 或 JSON Lines（${(err as Error).message}）`);
  }
  const out = new Map<string, { source: string; text: string }>();
  rows.forEach((r, i) => {
    if (typeof r.id !== 'string')
      throw new UserError(`真实诉求文本 ${file} 第 ${i + 1} 条 字段 id：缺少，或不是字符串`);
    const title = typeof r.title === 'string' ? r.title.trim() : '';
    const detail = typeof r.detail === 'string' ? r.detail.trim() : typeof r.text === 'string' ? r.text.trim() : '';
    // title and detail joined as ingest joins several columns mapped to content
    const text = title && detail && !detail.includes(title) ? `${title}。${detail}` : detail || title;
    const source = typeof r.source === 'string' ? r.source : r.id.split(':')[0];
    out.set(r.id, { source, text });
  });
  return out;
}

/** Comma-separated file lists (texts.json,texts2.json): every entry, trimmed, empties dropped. */
export function fileList(spec: string): string[] {
  return spec
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
}

export interface LoadRealOptions {
  /**
   * Skip (and count in `skipped`) label lines whose id has no text yet, instead of stopping: for label files being
   * written while the texts file catches up. Off by default: a label without a text is a mistake.
   */
  skipMissing?: boolean;
  /** Set to the number of label lines skipped (skipMissing). */
  skipped?: { count: number };
}

/**
 * Join the labels to their texts; a label whose id has no text, or a malformed line, stops with file and line.
 * textsFiles and labelsFiles may each be a comma-separated list (texts.json,texts2.json and pass1.tsv,pass4.tsv):
 * the texts are pooled, and a later label file's line for an id replaces an earlier one's.
 */
export function loadRealMessages(
  textsFiles: string,
  labelsFiles: string,
  options: LoadRealOptions = {},
): RealMessage[] {
  const texts = new Map<string, { source: string; text: string }>();
  for (const f of fileList(textsFiles)) for (const [id, t] of readTexts(f)) texts.set(id, t);
  const byId = new Map<string, RealMessage>();
  let skipped = 0;
  for (const labelsFile of fileList(labelsFiles)) {
    if (!existsSync(labelsFile)) throw new UserError(`找不到真实标注：${labelsFile}`);
    readFileSync(labelsFile, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim() || line.startsWith('#')) return;
        const where = `真实标注 ${labelsFile}:${i + 1}`;
        const [id, act, causes] = line.split('\t');
        if (!id || !act || causes === undefined)
          throw new UserError(`${where}：应有 id、act、causes 三列（以 Tab 分隔）`);
        if (!ACTS.has(act)) throw new UserError(`${where} 字段 act：'${act}' 不是 C Q S P D 之一`);
        const t = texts.get(id);
        if (!t) {
          if (options.skipMissing) return void skipped++;
          throw new UserError(`${where} 字段 id：找不到 '${id}' 的文本`);
        }
        byId.delete(id);
        byId.set(id, { id, source: t.source, text: t.text, act, tags: parseCauses(causes, where) });
      });
  }
  if (options.skipped) options.skipped.count = skipped;
  return [...byId.values()];
}

function parseCauses(causes: string, where: string): CauseTag[] {
  if (causes.trim() === '-') return [];
  return causes.split(',').map((c) => {
    const tag = SHORT[c.trim()];
    if (!tag) throw new UserError(`${where} 字段 causes：未知原因 '${c}'（可用 权 政 基 监 服 或 -）`);
    return tag;
  });
}

/** evaluate.ts's per-tag figures, on one of the five causes. */
export interface RealTagMetrics extends TagMetrics {
  tag: CauseTag;
}

export interface RealEvaluation {
  messages: number;
  perTag: RealTagMetrics[];
  /** Mean F1 over the five causes. */
  macroF1: number;
  /** Questions and consultations (act Q) given any cause, and how many there were. */
  questionsTagged: number;
  questions: number;
  /** Suggestions, praise and private disputes (S, P, D) given any cause, and how many there were. */
  othersTagged: number;
  others: number;
}

/** Per-tag precision, recall and F1 of predicted cause sets against the labels. */
export function scoreReal(messages: RealMessage[], predicted: ReadonlyArray<ReadonlySet<string>>): RealEvaluation {
  const perTag = CAUSE_TAGS.map((tag) => {
    let support = 0,
      pred = 0,
      tp = 0;
    messages.forEach((m, i) => {
      const want = m.tags.includes(tag);
      const got = predicted[i].has(tag);
      if (want) support++;
      if (got) pred++;
      if (want && got) tp++;
    });
    const precision = pred ? tp / pred : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { tag, support, predicted: pred, tp, precision, recall, f1 };
  });
  const anyCause = (i: number) => CAUSE_TAGS.some((t) => predicted[i].has(t));
  let questions = 0,
    questionsTagged = 0,
    others = 0,
    othersTagged = 0;
  messages.forEach((m, i) => {
    if (m.act === 'Q') {
      questions++;
      if (anyCause(i)) questionsTagged++;
    } else if (m.act !== 'C') {
      others++;
      if (anyCause(i)) othersTagged++;
    }
  });
  return {
    messages: messages.length,
    perTag,
    macroF1: perTag.reduce((a, m) => a + m.f1, 0) / perTag.length,
    questionsTagged,
    questions,
    othersTagged,
    others,
  };
}

const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

/**
 * The lines `weisu tag eval` and the real-data benches print for one evaluation, in Chinese (users read them; the
 * `--json` output keeps its field names).
 */
export function formatRealEvaluation(title: string, ev: RealEvaluation): string[] {
  const q = ev.questions ? ev.questionsTagged / ev.questions : 0;
  return [
    `${title}：${ev.messages} 条留言，五类根因平均 F1 ${ev.macroF1.toFixed(3)}；咨询提问被打根因 ${ev.questionsTagged}/${ev.questions}（${pct(q).trim()}%），建议、表扬和私人纠纷被打根因 ${ev.othersTagged}/${ev.others}`,
    '  根因　　　　　    标注    打出   准确率   召回率     F1',
    ...ev.perTag.map(
      (m) =>
        `  ${m.tag.padEnd(7, '　')}  ${String(m.support).padStart(6)}  ${String(m.predicted).padStart(6)}  ${pct(m.precision)}%  ${pct(m.recall)}%  ${m.f1.toFixed(3)}`,
    ),
  ];
}

/** A source's name as `tag eval` prints it ('all', the pooled figure, reads 全部). */
export function sourceLabel(source: string): string {
  if (source === 'all') return '全部来源';
  if (source === 'all (pooled)') return '全部来源（合并）';
  return `来源 ${source}`;
}

/** Cohen's kappa for two binary ratings of the same items (1 when both raters never say yes or never say no). */
export function cohensKappa(a: readonly boolean[], b: readonly boolean[]): number {
  const n = a.length;
  if (n === 0) return NaN;
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
