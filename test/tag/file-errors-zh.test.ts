import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/store/errors.js';
import { loadRealCalibration } from '../../src/tag/calibrate.js';
import { loadLabelled } from '../../src/tag/labelled.js';
import { loadLexicon } from '../../src/tag/lexicon.js';
import { loadTextModelFile } from '../../src/tag/linear-file.js';
import { loadRealMessages } from '../../src/tag/real-eval.js';
import { loadScopeRules } from '../../src/tag/scope.js';
import { tempDir } from '../helpers.js';

/** The whole message of the UserError `fn` throws: the one line a user reads. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('no error thrown');
}

describe('tag input files: each problem in one Chinese line naming file, line or entry, and field', () => {
  const tmp = tempDir('weisu-tag-errors-');
  afterAll(() => tmp.cleanup());
  const file = (name: string, content: unknown) => {
    const p = join(tmp.dir, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  const missing = join(tmp.dir, 'missing.json');

  it('a missing file is named with what it should hold', () => {
    expect(errorOf(() => loadLexicon(missing))).toBe(`找不到词表：${missing}`);
    expect(errorOf(() => loadScopeRules(missing))).toBe(`找不到负面清单规则：${missing}`);
    expect(errorOf(() => loadTextModelFile(missing))).toBe(`找不到文本模型：${missing}`);
    expect(errorOf(() => loadRealCalibration(missing))).toBe(`找不到标签校准文件：${missing}`);
    expect(errorOf(() => loadLabelled(missing))).toBe(`找不到标注样本：${missing}`);
    const labels = file('labels.tsv', 'x:1\tC\t监\n');
    expect(errorOf(() => loadRealMessages(missing, labels))).toBe(`找不到真实诉求文本：${missing}`);
    const texts = file('texts.jsonl', JSON.stringify({ id: 'x:1', detail: '路灯不亮' }) + '\n');
    expect(errorOf(() => loadRealMessages(texts, missing))).toBe(`找不到真实标注：${missing}`);
  });

  it('text model and calibration files', () => {
    const bad = file('model.json', '{"version": 1,');
    expect(errorOf(() => loadTextModelFile(bad))).toMatch(new RegExp(`^文本模型 ${bad}：不是有效的 JSON（.+）$`));
    const v2 = file('model2.json', {
      version: 2,
      thresholds: {},
      thresholdsBestF1: {},
      evidence: { tags: [], keys: [] },
    });
    expect(errorOf(() => loadTextModelFile(v2))).toMatch(new RegExp(`^文本模型 ${v2} 字段 version：.+$`));
    const cal = file('cal.json', '{');
    expect(errorOf(() => loadRealCalibration(cal))).toMatch(new RegExp(`^标签校准文件 ${cal}：不是有效的 JSON（.+）$`));
    const th = file('cal2.json', { thresholds: { 监管缺位: 1.5 } });
    expect(errorOf(() => loadRealCalibration(th))).toMatch(
      new RegExp(`^标签校准文件 ${th} 字段 thresholds\\.监管缺位：.+$`),
    );
  });

  it('the labelled sample: file:line and the field', () => {
    const line = (o: Record<string, unknown>) =>
      JSON.stringify({ id: 'a', base: 'b1', split: 'train', content: 'x', tags: ['其他'], ...o });
    const p = file('l.jsonl', [line({}), 'not json'].join('\n'));
    expect(errorOf(() => loadLabelled(p))).toBe(`标注样本 ${p}:2：不是有效的 JSON`);
    const twice = file('l2.jsonl', [line({}), line({})].join('\n'));
    expect(errorOf(() => loadLabelled(twice))).toBe(`标注样本 ${twice}:2 字段 id：'a' 出现了两次`);
    const both = file('l3.jsonl', line({ tags: ['其他', '监管缺位'] }));
    expect(errorOf(() => loadLabelled(both))).toBe(`标注样本 ${both}:1 字段 tags：其他 不能与原因标签同时出现`);
    const none = file('l4.jsonl', line({ tags: [] }));
    expect(errorOf(() => loadLabelled(none))).toBe(`标注样本 ${none}:1 字段 tags：没有标签（无原因时写 ["其他"]）`);
    const empty = file('l5.jsonl', '\n\n');
    expect(errorOf(() => loadLabelled(empty))).toBe(`标注样本 ${empty}：没有任何工单`);
  });

  it('real texts and labels: entry or line, and the field', () => {
    const texts = file('t.jsonl', JSON.stringify({ id: 'x:1', detail: '路灯不亮' }) + '\n');
    const noId = file('t2.jsonl', JSON.stringify({ id: 'x:1', detail: 'a' }) + '\n' + JSON.stringify({ detail: 'b' }));
    const labels = file('l.tsv', 'x:1\tC\t监\n');
    expect(errorOf(() => loadRealMessages(noId, labels))).toBe(
      `真实诉求文本 ${noId} 第 2 条 字段 id：缺少，或不是字符串`,
    );
    const notJson = file('t3.jsonl', '{"id": "x:1"');
    expect(errorOf(() => loadRealMessages(notJson, labels))).toMatch(
      new RegExp(`^真实诉求文本 ${notJson}：不是 JSON 或 JSON Lines（.+）$`),
    );
    const short = file('l2.tsv', 'x:1\tC\n');
    expect(errorOf(() => loadRealMessages(texts, short))).toBe(
      `真实标注 ${short}:1：应有 id、act、causes 三列（以 Tab 分隔）`,
    );
    const act = file('l3.tsv', 'x:1\tX\t监\n');
    expect(errorOf(() => loadRealMessages(texts, act))).toBe(`真实标注 ${act}:1 字段 act：'X' 不是 C Q S P D 之一`);
  });

  it('scope rules and lexicon: the entry and the field', () => {
    const bad = file('s.json', '{"rules": [');
    expect(errorOf(() => loadScopeRules(bad))).toMatch(new RegExp(`^负面清单规则 ${bad}：不是有效的 JSON（.+）$`));
    const twice = file('s2.json', {
      rules: [
        { id: 'r', keywords: ['借钱'] },
        { id: 'r', keywords: ['欠款'] },
      ],
    });
    expect(errorOf(() => loadScopeRules(twice))).toBe(`负面清单规则 ${twice} 字段 rules.1.id（r）：出现了两次`);
    const blank = file('s3.json', { rules: [{ id: 'r', keywords: [' '] }] });
    expect(errorOf(() => loadScopeRules(blank))).toBe(`负面清单规则 ${blank} 字段 rules.0.keywords.0（r）：关键词为空`);
    const lex = file('x.json', {
      tags: [
        { tag: '监管缺位', terms: [{ term: '无证', weight: 1 }] },
        { tag: '监管缺位', terms: [{ term: '无照', weight: 1 }] },
      ],
    });
    expect(errorOf(() => loadLexicon(lex))).toBe(`词表 ${lex} 字段 tags.1.tag（监管缺位）：标签 '监管缺位' 出现了两次`);
    const noTags = file('y.json', { tags: [] });
    expect(errorOf(() => loadLexicon(noTags))).toBe(`词表 ${noTags} 字段 tags：没有任何标签`);
  });
});
