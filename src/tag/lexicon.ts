import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../store/errors.js';
import { PhraseMatcher } from './matcher.js';

/** The five causes weisu knows. A lexicon may leave some out but cannot invent new ones: later stages and
 * reports name these tags. */
export const CAUSE_TAGS = ['权责交叉', '政策漏洞', '基础设施短板', '监管缺位', '服务落实不到位'] as const;
export type CauseTag = (typeof CAUSE_TAGS)[number];
export const FALLBACK_TAG = '其他';

const TermSchema = z.strictObject({
  term: z.string().trim().min(1, '词条为空'),
  weight: z
    .number()
    .finite()
    .refine((w) => w !== 0, '权重不能为 0'),
});

const TagSchema = z.strictObject({
  tag: z.string().min(1),
  description: z.string().optional(),
  terms: z.array(TermSchema).min(1, '每个标签至少要有一个词条'),
  negations: z.array(z.string().trim().min(1, '否定词为空')).default([]),
});

const LexiconSchema = z.looseObject({
  version: z.number().optional(),
  fallback: z.literal(FALLBACK_TAG).default(FALLBACK_TAG),
  tags: z.array(z.unknown()).min(1, '没有任何标签'),
});

export interface LexiconTerm {
  term: string;
  weight: number;
}

export interface LexiconTag {
  tag: CauseTag;
  terms: LexiconTerm[];
  negations: string[];
}

export interface Lexicon {
  file: string;
  tags: LexiconTag[];
  /** The raw text, for the model fingerprint. */
  text: string;
}

/** ' 字段 tags.0.terms.0.term（监管缺位）：词条为空': the JSON path of a zod issue below `base`, the entry's name, the message. */
function describe(issue: z.core.$ZodIssue | undefined, base: string[] = [], name?: string): string {
  const path = [...base, ...(issue?.path ?? []).map(String)].join('.');
  return `${path ? ` 字段 ${path}` : ''}${name ? `（${name}）` : ''}：${issue?.message ?? '格式不对'}`;
}

/** Read and validate a lexicon file; every problem names the file and the entry. */
export function loadLexicon(file: string): Lexicon {
  if (!existsSync(file)) throw new UserError(`找不到词表：${file}`);
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`词表 ${file}：不是有效的 JSON（${(err as Error).message}）`);
  }
  const top = LexiconSchema.safeParse(raw);
  if (!top.success) throw new UserError(`词表 ${file}${describe(top.error.issues[0])}`);
  const tags: LexiconTag[] = [];
  const seen = new Set<string>();
  top.data.tags.forEach((entry, i) => {
    const name =
      typeof entry === 'object' && entry && 'tag' in entry ? String((entry as { tag: unknown }).tag) : `#${i + 1}`;
    const where = (field: string) => `词表 ${file} 字段 tags.${i}.${field}（${name}）`;
    const parsed = TagSchema.safeParse(entry);
    if (!parsed.success)
      throw new UserError(`词表 ${file}${describe(parsed.error.issues[0], ['tags', String(i)], name)}`);
    const t = parsed.data;
    if (t.tag === FALLBACK_TAG) throw new UserError(`${where('tag')}：${FALLBACK_TAG} 是兜底标签，不能有词条`);
    if (!(CAUSE_TAGS as readonly string[]).includes(t.tag))
      throw new UserError(`${where('tag')}：未知标签 '${t.tag}'（可用：${CAUSE_TAGS.join('、')}）`);
    if (seen.has(t.tag)) throw new UserError(`${where('tag')}：标签 '${t.tag}' 出现了两次`);
    seen.add(t.tag);
    const terms = new Set<string>();
    for (const term of t.terms) {
      if (terms.has(term.term)) throw new UserError(`${where('terms')}：词条 '${term.term}' 出现了两次`);
      terms.add(term.term);
    }
    tags.push({ tag: t.tag as CauseTag, terms: t.terms, negations: t.negations });
  });
  return { file, tags, text };
}

/**
 * Lexicon evidence per tag: the sum of the weights of the terms found, where a term found inside one of the
 * tag's negation phrases does not count.
 */
export class LexiconScorer {
  /** The terms, then the negation phrases: phrase id = index here (a caller may scan them with other phrases). */
  readonly phrases: readonly string[];
  private readonly nTerms: number;
  /** Per phrase id: its tag; per term id: its weight. */
  private readonly phraseTag: Int32Array;
  private readonly termWeight: Float64Array;
  /** Terms and negations in one matcher: one pass over the text finds both. */
  private readonly matcher: PhraseMatcher;
  readonly tags: CauseTag[];

  constructor(lexicon: Lexicon, tagOrder: readonly CauseTag[]) {
    this.tags = [...tagOrder];
    const terms: string[] = [];
    const termTag: number[] = [];
    const termWeight: number[] = [];
    const negs: string[] = [];
    const negTag: number[] = [];
    for (const t of lexicon.tags) {
      const ti = tagOrder.indexOf(t.tag);
      if (ti < 0) continue;
      for (const term of t.terms) {
        terms.push(term.term);
        termTag.push(ti);
        termWeight.push(term.weight);
      }
      for (const n of t.negations) {
        negs.push(n);
        negTag.push(ti);
      }
    }
    this.phrases = [...terms, ...negs];
    this.nTerms = terms.length;
    this.phraseTag = Int32Array.from([...termTag, ...negTag]);
    this.termWeight = Float64Array.from(termWeight);
    this.matcher = new PhraseMatcher(this.phrases);
  }

  /** Scores per tag (in tagOrder), written into out; with explain, the phrases that counted per tag. */
  score(text: string, out: Float64Array, explain?: string[][]): void {
    const n = this.matcher.collect(text);
    this.scoreHits(n, this.matcher.hitId, this.matcher.hitStart, 0, out, explain);
  }

  /**
   * score() from phrase hits found by someone else's scan (PhraseMatcher.collect): this lexicon's phrases sit at
   * ids base … base + phrases.length − 1 of that matcher; other ids are ignored. Lets the tagger find lexicon and
   * scope phrases in one pass.
   */
  scoreHits(
    n: number,
    ids: Int32Array,
    starts: Int32Array,
    base: number,
    out: Float64Array,
    explain?: string[][],
  ): void {
    out.fill(0);
    const nPhrases = this.phrases.length;
    let negations = false;
    for (let h = 0; h < n; h++) {
      const id = ids[h] - base;
      if (id >= this.nTerms && id < nPhrases) negations = true;
    }
    for (let h = 0; h < n; h++) {
      const id = ids[h] - base;
      if (id < 0 || id >= this.nTerms) continue;
      const start = starts[h];
      const tag = this.phraseTag[id];
      if (negations && this.negated(tag, start, start + this.phrases[id].length, n, ids, starts, base)) continue;
      out[tag] += this.termWeight[id];
      explain?.[tag]?.push(this.phrases[id]);
    }
  }

  /** Whether a term of `tag` at [start, end) lies inside one of the tag's negation phrases among the hits. */
  private negated(
    tag: number,
    start: number,
    end: number,
    n: number,
    ids: Int32Array,
    starts: Int32Array,
    base: number,
  ): boolean {
    for (let k = 0; k < n; k++) {
      const id = ids[k] - base;
      if (id < this.nTerms || id >= this.phrases.length) continue;
      if (this.phraseTag[id] === tag && starts[k] <= start && starts[k] + this.phrases[id].length >= end) return true;
    }
    return false;
  }
}
