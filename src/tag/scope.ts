import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../store/errors.js';
import { PhraseMatcher } from './matcher.js';

/**
 * The scope guard (负面清单): orders about private matters the government has no duty in. A rule matches by
 * category prefix or by keyword in the content, unless an exception phrase shows a public angle.
 */
const RuleSchema = z.strictObject({
  id: z.string().trim().min(1),
  description: z.string().optional(),
  categories: z.array(z.string().trim().min(1, '分类前缀为空')).default([]),
  keywords: z.array(z.string().trim().min(1, '关键词为空')).default([]),
  exceptions: z.array(z.string().trim().min(1, '例外短语为空')).default([]),
});

const FileSchema = z.looseObject({ version: z.number().optional(), rules: z.array(z.unknown()) });

export interface ScopeRule {
  id: string;
  categories: string[];
  keywords: string[];
  exceptions: string[];
}

export function loadScopeRules(file: string): { rules: ScopeRule[]; text: string } {
  if (!existsSync(file)) throw new UserError(`找不到负面清单规则：${file}`);
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`负面清单规则 ${file}：不是有效的 JSON（${(err as Error).message}）`);
  }
  const top = FileSchema.safeParse(raw);
  if (!top.success)
    throw new UserError(
      `负面清单规则 ${file}${top.error.issues[0]?.path.length ? ` 字段 ${top.error.issues[0].path.join('.')}` : ''}：${top.error.issues[0]?.message ?? '格式不对'}`,
    );
  const ids = new Set<string>();
  const rules = top.data.rules.map((entry, i) => {
    const p = RuleSchema.safeParse(entry);
    const name =
      typeof entry === 'object' && entry && 'id' in entry ? String((entry as { id: unknown }).id) : `#${i + 1}`;
    if (!p.success) {
      const issue = p.error.issues[0];
      throw new UserError(
        `负面清单规则 ${file} 字段 rules.${i}${issue?.path.length ? '.' + issue.path.join('.') : ''}（${name}）：${issue?.message ?? '格式不对'}`,
      );
    }
    if (ids.has(p.data.id)) throw new UserError(`负面清单规则 ${file} 字段 rules.${i}.id（${name}）：出现了两次`);
    if (p.data.categories.length === 0 && p.data.keywords.length === 0)
      throw new UserError(`负面清单规则 ${file} 字段 rules.${i}（${name}）：需要 categories 或 keywords`);
    ids.add(p.data.id);
    return { id: p.data.id, categories: p.data.categories, keywords: p.data.keywords, exceptions: p.data.exceptions };
  });
  return { rules, text };
}

export class ScopeGuard {
  /** Every rule's keywords in rule order: phrase id = index here (a caller may scan them with other phrases). */
  readonly keywordPhrases: readonly string[];
  private readonly keywords: PhraseMatcher;
  private readonly keywordRule: number[] = [];
  private readonly exceptions: PhraseMatcher[];
  /** Per rule: its category prefixes, and the same without a trailing '/' (an exact category also matches). */
  private readonly prefixes: string[][];
  private readonly exact: string[][];
  /** Scratch: which rules' keywords the current content holds. */
  private readonly kwHit: Uint8Array;

  constructor(readonly rules: readonly ScopeRule[]) {
    const kw: string[] = [];
    rules.forEach((r, i) =>
      r.keywords.forEach((k) => {
        kw.push(k);
        this.keywordRule.push(i);
      }),
    );
    this.keywordPhrases = kw;
    this.keywords = new PhraseMatcher(kw);
    this.exceptions = rules.map((r) => new PhraseMatcher(r.exceptions));
    this.prefixes = rules.map((r) => r.categories);
    this.exact = rules.map((r) => r.categories.map((p) => p.replace(/\/$/, '')));
    this.kwHit = new Uint8Array(rules.length);
  }

  /** The id of the first rule that puts the order out of scope, or null. */
  match(category: string, content: string): string | null {
    const i = this.matchIndex(category, content);
    return i < 0 ? null : this.rules[i].id;
  }

  /** The index of the first rule that puts the order out of scope, or -1. */
  matchIndex(category: string, content: string): number {
    const n = this.keywords.collect(content);
    return this.matchIndexHits(category, content, n, this.keywords.hitId, 0);
  }

  /**
   * matchIndex() from phrase hits found by someone else's scan (PhraseMatcher.collect): the keywords sit at ids
   * base … base + keywordPhrases.length − 1 of that matcher; other ids are ignored. Allocates nothing (the stage's
   * hot loop, where the tagger finds lexicon and scope phrases in one pass).
   */
  matchIndexHits(category: string, content: string, n: number, ids: Int32Array, base: number): number {
    this.kwHit.fill(0);
    const nKw = this.keywordPhrases.length;
    for (let h = 0; h < n; h++) {
      const id = ids[h] - base;
      if (id >= 0 && id < nKw) this.kwHit[this.keywordRule[id]] = 1;
    }
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i];
      const hit = this.categoryHit(i, category) || this.kwHit[i] === 1;
      if (!hit) continue;
      if (r.exceptions.length && this.exceptions[i].test(content)) continue;
      return i;
    }
    return -1;
  }

  private categoryHit(i: number, category: string): boolean {
    const prefixes = this.prefixes[i];
    for (let k = 0; k < prefixes.length; k++)
      if (category.startsWith(prefixes[k]) || category === this.exact[i][k]) return true;
    return false;
  }
}
