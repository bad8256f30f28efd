import { describe, expect, it } from 'vitest';
import { formatEvaluation, type Evaluation } from '../../src/tag/evaluate.js';
import { formatRealEvaluation, sourceLabel, type RealEvaluation } from '../../src/tag/real-eval.js';
import { CAUSE_TAGS } from '../../src/tag/lexicon.js';

// `weisu tag eval` prints for users: Chinese headers and words; only "F1" and the figures are not Chinese
const latinWords = (line: string) => (line.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => w !== 'F1');

const metric = (tag: string, i: number) => ({
  tag,
  support: 10 + i,
  predicted: 8 + i,
  tp: 5,
  precision: 5 / (8 + i),
  recall: 5 / (10 + i),
  f1: 0.5,
});

describe('tag eval prints Chinese', () => {
  it('the own-text figures', () => {
    const ev: Evaluation = {
      orders: 455,
      perTag: [...CAUSE_TAGS, '其他'].map(metric),
      macroF1: 0.635,
      macroF1Causes: 0.6,
      exactMatch: 0.5,
    };
    const lines = formatEvaluation(ev);
    expect(lines[0]).toContain('455 件');
    expect(lines[0]).toContain('0.635');
    expect(lines).toHaveLength(7);
    for (const l of lines) expect(latinWords(l), l).toEqual([]);
  });

  it('the real-message figures, with every source name readable', () => {
    const ev: RealEvaluation = {
      messages: 300,
      perTag: CAUSE_TAGS.map((t, i) => ({ ...metric(t, i), tag: t })),
      macroF1: 0.414,
      questionsTagged: 7,
      questions: 163,
      othersTagged: 23,
      others: 125,
    };
    const lines = formatRealEvaluation(`真实留言，${sourceLabel('all (pooled)')}，留出评估（用其余来源训练）`, ev);
    expect(lines[0]).toContain('300 条留言');
    expect(lines[0]).toContain('7/163');
    expect(lines[1]).toMatch(/根因.*标注.*打出.*准确率.*召回率.*F1/);
    for (const l of lines) expect(latinWords(l), l).toEqual([]);
    expect(sourceLabel('all')).toBe('全部来源');
    // a source's own id (from the user's file) is printed as it is
    expect(sourceLabel('wz-a2')).toBe('来源 wz-a2');
  });
});
