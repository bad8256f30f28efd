import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLexicon } from '../../src/tag/lexicon.js';
import { loadLabelled } from '../../src/tag/labelled.js';
import { loadScopeRules, ScopeGuard } from '../../src/tag/scope.js';
import { TagConfigSchema } from '../../src/tag/config.js';
import { dataPath } from '../../src/store/paths.js';
import { UserError } from '../../src/store/errors.js';
import { tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function file(name: string, content: unknown): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('lexicon validation', () => {
  it('accepts the shipped lexicon with every cause', () => {
    const lex = loadLexicon(dataPath('root_causes.json'));
    expect(lex.tags.map((t) => t.tag).sort()).toEqual(
      ['基础设施短板', '服务落实不到位', '权责交叉', '政策漏洞', '监管缺位'].sort(),
    );
  });

  it('names the file and the entry of an unknown tag', () => {
    const p = file('unknown.json', {
      tags: [
        { tag: '权责交叉', terms: [{ term: '推诿', weight: 2 }] },
        { tag: '天气原因', terms: [{ term: '下雨', weight: 1 }] },
      ],
    });
    const e = errorOf(() => loadLexicon(p));
    expect(e.message).toBe(
      `词表 ${p} 字段 tags.1.tag（天气原因）：未知标签 '天气原因'（可用：权责交叉、政策漏洞、基础设施短板、监管缺位、服务落实不到位）`,
    );
  });

  it('rejects malformed entries: empty term, zero weight, missing terms, duplicates, terms on 其他, bad JSON', () => {
    expect(
      errorOf(() => loadLexicon(file('a.json', { tags: [{ tag: '监管缺位', terms: [{ term: ' ', weight: 1 }] }] })))
        .message,
    ).toBe(`词表 ${join(tmp.dir, 'a.json')} 字段 tags.0.terms.0.term（监管缺位）：词条为空`);
    expect(
      errorOf(() => loadLexicon(file('b.json', { tags: [{ tag: '监管缺位', terms: [{ term: '无证', weight: 0 }] }] })))
        .message,
    ).toBe(`词表 ${join(tmp.dir, 'b.json')} 字段 tags.0.terms.0.weight（监管缺位）：权重不能为 0`);
    expect(errorOf(() => loadLexicon(file('c.json', { tags: [{ tag: '监管缺位' }] }))).message).toMatch(
      /^词表 \S+c\.json 字段 tags\.0\.terms（监管缺位）：.+$/,
    );
    expect(
      errorOf(() =>
        loadLexicon(
          file('d.json', {
            tags: [
              {
                tag: '监管缺位',
                terms: [
                  { term: '无证', weight: 1 },
                  { term: '无证', weight: 2 },
                ],
              },
            ],
          }),
        ),
      ).message,
    ).toBe(`词表 ${join(tmp.dir, 'd.json')} 字段 tags.0.terms（监管缺位）：词条 '无证' 出现了两次`);
    expect(
      errorOf(() => loadLexicon(file('e.json', { tags: [{ tag: '其他', terms: [{ term: '咨询', weight: 1 }] }] })))
        .message,
    ).toBe(`词表 ${join(tmp.dir, 'e.json')} 字段 tags.0.tag（其他）：其他 是兜底标签，不能有词条`);
    expect(errorOf(() => loadLexicon(file('f.json', '{"tags": ['))).message).toMatch(
      /^词表 \S+f\.json：不是有效的 JSON（.+）$/,
    );
    expect(
      errorOf(() =>
        loadLexicon(file('g.json', { tags: [{ tag: '监管缺位', terms: [{ term: '无证', weight: 1, wieght: 2 }] }] })),
      ).message,
    ).toMatch(/^词表 \S+g\.json 字段 tags\.0\.terms\.0（监管缺位）：.*wieght/);
    expect(errorOf(() => loadLexicon(join(tmp.dir, 'missing.json'))).message).toBe(
      `找不到词表：${join(tmp.dir, 'missing.json')}`,
    );
  });
});

describe('labelled sample', () => {
  it('has at least 1,500 orders, every tag in train and test, and a split by base', () => {
    const { orders } = loadLabelled(dataPath('labelled/root_causes.jsonl'));
    expect(orders.length).toBeGreaterThanOrEqual(1500);
    for (const split of ['train', 'test'] as const) {
      const part = orders.filter((o) => o.split === split);
      for (const tag of ['权责交叉', '政策漏洞', '基础设施短板', '监管缺位', '服务落实不到位'])
        expect(part.some((o) => o.tags.includes(tag as never))).toBe(true);
      expect(part.some((o) => o.tags.length === 0)).toBe(true);
    }
    const trainBases = new Set(orders.filter((o) => o.split === 'train').map((o) => o.base));
    expect(orders.filter((o) => o.split === 'test').every((o) => !trainBases.has(o.base))).toBe(true);
    const testShare = orders.filter((o) => o.split === 'test').length / orders.length;
    expect(testShare).toBeGreaterThan(0.15);
  });

  it('rejects unknown tags and a base in both parts, naming file and line', () => {
    const bad = file(
      'l1.jsonl',
      '{"id":"a","base":"b1","split":"train","content":"x","tags":["权责交叉"]}\n{"id":"b","base":"b2","split":"test","content":"y","tags":["天灾"]}\n',
    );
    expect(errorOf(() => loadLabelled(bad)).message).toBe(`标注样本 ${bad}:2 字段 tags：未知标签 '天灾'`);
    const mixed = file(
      'l2.jsonl',
      '{"id":"a","base":"b1","split":"train","content":"x","tags":["其他"]}\n{"id":"b","base":"b1","split":"test","content":"y","tags":["其他"]}\n',
    );
    expect(errorOf(() => loadLabelled(mixed)).message).toBe(
      `标注样本 ${mixed}:2 字段 split：base b1 同时在 train 和 test 中（应按 base 划分）`,
    );
    const missing = file('l3.jsonl', '{"id":"a","base":"b1","split":"train","tags":["其他"]}\n');
    expect(errorOf(() => loadLabelled(missing)).message).toMatch(/^标注样本 \S+l3\.jsonl:1 字段 content：.+$/);
  });
});

describe('scope rules', () => {
  const guard = new ScopeGuard(loadScopeRules(dataPath('scope_rules.json')).rules);

  it('marks private disputes by category and by keyword', () => {
    expect(guard.match('民事纠纷/邻里纠纷', '楼上楼下因为漏水吵起来了')).toBe('民事纠纷');
    expect(guard.match('政务服务/政策咨询', '朋友借钱不还，要求政府帮忙追讨')).toBe('私人借贷');
    expect(guard.match('市场监管/消费维权', '和装修公司有合同纠纷，想让政府做主')).toBe('合同纠纷');
  });

  it('keeps orders with a public angle in scope (exceptions) and leaves ordinary orders alone', () => {
    expect(guard.match('民事纠纷/邻里纠纷', '邻居在楼道堆杂物堵了消防通道')).toBeNull();
    expect(guard.match('政务服务/政策咨询', '借钱不还，对方是非法集资平台')).toBeNull();
    expect(guard.match('劳动权益/劳动合同', '公司不签劳动合同，存在合同纠纷')).toBeNull();
    expect(guard.match('城市管理/路灯照明', '路灯不亮')).toBeNull();
  });

  it('rejects a rule without categories or keywords, naming the rule', () => {
    const p = file('s.json', { rules: [{ id: '空规则', exceptions: ['x'] }] });
    expect(errorOf(() => loadScopeRules(p)).message).toBe(
      `负面清单规则 ${p} 字段 rules.0（空规则）：需要 categories 或 keywords`,
    );
  });
});

describe('config section', () => {
  it('rejects thresholds for unknown tags', () => {
    expect(TagConfigSchema.safeParse({ thresholds: { 天灾: 0.5 } }).success).toBe(false);
    expect(TagConfigSchema.parse({}).repeatWindowDays).toBe(30);
  });
});
