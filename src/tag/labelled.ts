import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../store/errors.js';
import { CAUSE_TAGS, FALLBACK_TAG, type CauseTag } from './lexicon.js';

/** One labelled order of the root-cause sample. `base` groups the variants of one hand-written complaint. */
export interface LabelledOrder {
  id: string;
  base: string;
  split: 'train' | 'test';
  category: string;
  content: string;
  /** The causes (empty for 其他). */
  tags: CauseTag[];
}

const LineSchema = z.looseObject({
  id: z.string().min(1),
  base: z.string().min(1),
  split: z.enum(['train', 'test']),
  category: z.string().default(''),
  content: z.string().min(1),
  tags: z.array(z.string()).min(1, '没有标签（无原因时写 ["其他"]）'),
});

/** Read the labelled sample (JSON Lines); a bad line is a UserError naming the file, line and field. */
export function loadLabelled(file: string): { orders: LabelledOrder[]; text: string } {
  if (!existsSync(file)) throw new UserError(`找不到标注样本：${file}`);
  const text = readFileSync(file, 'utf8');
  const orders: LabelledOrder[] = [];
  const ids = new Set<string>();
  const splitOfBase = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `标注样本 ${file}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new UserError(`${where}：不是有效的 JSON`);
    }
    const p = LineSchema.safeParse(raw);
    if (!p.success) {
      const issue = p.error.issues[0];
      throw new UserError(`${where} 字段 ${issue?.path.join('.') || '?'}：${issue?.message ?? '格式不对'}`);
    }
    const o = p.data;
    if (ids.has(o.id)) throw new UserError(`${where} 字段 id：'${o.id}' 出现了两次`);
    ids.add(o.id);
    const prevSplit = splitOfBase.get(o.base);
    if (prevSplit && prevSplit !== o.split)
      throw new UserError(`${where} 字段 split：base ${o.base} 同时在 train 和 test 中（应按 base 划分）`);
    splitOfBase.set(o.base, o.split);
    const tags: CauseTag[] = [];
    for (const t of o.tags) {
      if (t === FALLBACK_TAG) continue;
      if (!(CAUSE_TAGS as readonly string[]).includes(t)) throw new UserError(`${where} 字段 tags：未知标签 '${t}'`);
      tags.push(t as CauseTag);
    }
    if (tags.length && o.tags.includes(FALLBACK_TAG))
      throw new UserError(`${where} 字段 tags：${FALLBACK_TAG} 不能与原因标签同时出现`);
    orders.push({ id: o.id, base: o.base, split: o.split, category: o.category, content: o.content, tags });
  });
  if (orders.length === 0) throw new UserError(`标注样本 ${file}：没有任何工单`);
  return { orders, text };
}
