import { describe, expect, it } from 'vitest';
import { CAUSE_TAGS, LexiconScorer, loadLexicon } from '../../src/tag/lexicon.js';
import { dataPath } from '../../src/store/paths.js';

// Rule: a stated shortfall of a utility's supply (gas, water, power, heat: 供应不足, 供气不足, 气源不足, 气压不足,
// 气量不足) is lexicon evidence of 基础设施短板, as 水压 / 电压 / 容量不足 already are. The texts are invented, written the
// way real 留言 about winter gas cut-offs put it; a gas company cutting one household for arrears is not a shortfall.
const lexicon = loadLexicon(dataPath('root_causes.json'));
const scorer = new LexiconScorer(lexicon, CAUSE_TAGS);
const infra = CAUSE_TAGS.indexOf('基础设施短板');

function infraScore(text: string): number {
  const out = new Float64Array(CAUSE_TAGS.length);
  scorer.score(text, out);
  return out[infra];
}

describe('a utility supply shortfall is infrastructure evidence', () => {
  it.each([
    '我村今年冬天上游企业供气不足，每晚都停，老人孩子冻得受不了',
    '了解到是因为燃气气压不足，做饭做到一半就没火了',
    '农村天然气供应不足，最冷的时候断了一个月',
    '气源不足导致整个镇限量供应',
    '小区燃气气量不足，壁挂炉打不着火',
  ])('%s', (text) => {
    expect(infraScore(text)).toBeGreaterThan(0);
  });

  it('a household cut for arrears gets no infrastructure evidence from these terms', () => {
    expect(infraScore('燃气公司说我欠费，没通知就远程把我家的气停了')).toBe(0);
  });
});
