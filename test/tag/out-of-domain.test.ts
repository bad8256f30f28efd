import { beforeAll, describe, expect, it } from 'vitest';
import { TagConfigSchema, tagFiles } from '../../src/tag/config.js';
import { CAUSE_TAGS } from '../../src/tag/lexicon.js';
import { ModelScorer, SUPPORTED_TEXTS, documentFrequencies, type TextModel } from '../../src/tag/model.js';
import { SPAN, LO } from '../../src/tag/features.js';
import { buildTagger, deserializeEvidence, serializeEvidence, type Tagger } from '../../src/tag/tagger.js';
import { textOrder } from '../../src/tag/text-order.js';
import { testConfig } from '../helpers.js';

// Texts written for this test. Car-fault titles in the style of a consumer-complaint site (brand, model, fault; the
// brands and models are invented): a domain the shipped model never saw, whose few familiar words (发动机, 故障)
// it ties to 监管缺位. Beside them, city-service complaints of the kind it was trained on.
const CAR_FAULTS = [
  '蓝鲸牌S7冷启动时发动机抖动严重',
  '雷霆E5高速上发动机故障灯常亮',
  '飞燕T8发动机烧机油每千公里一升',
  '银河SUV变速箱换挡顿挫发动机异响',
  '远航M2发动机舱漏油仪表盘报警',
];
const CITY = [
  '小区楼下的烧烤店每天晚上油烟很大，多次投诉没人管',
  '建筑工地夜间施工噪音扰民，凌晨两点还在打桩',
  '公司拖欠工资半年，劳动监察大队推来推去',
  '小区二期暖气不热，供热公司一直不派人来',
  '幸福路的路灯坏了三个月一直没人修',
];

const taggerWith = (minKnownShare?: number): Tagger => {
  const cfg = TagConfigSchema.parse(minKnownShare === undefined ? {} : { minKnownShare });
  return buildTagger(tagFiles(testConfig(), cfg), cfg);
};
const causes = (tagger: Tagger, text: string) =>
  tagger
    .tag(textOrder(text))
    .map((r) => r.tag)
    .filter((t) => t !== '其他');

let off: Tagger;
let on: Tagger;
beforeAll(() => {
  off = taggerWith(0);
  on = taggerWith();
}, 120_000);

describe('a text from a domain the model was not trained on', () => {
  it('without the rule the shipped model gives car faults a cause on words it learned in another sense', () => {
    // the failure the rule is for: if the model stopped doing this, the next test would prove nothing
    const tagged = CAR_FAULTS.filter((t) => causes(off, t).includes('监管缺位'));
    expect(tagged.length).toBeGreaterThanOrEqual(4);
  });

  it('with the rule (the default) a car fault with no cue phrase gets no cause', () => {
    for (const t of CAR_FAULTS) {
      expect(causes(on, t), t).toEqual([]);
      expect(on.knownShare, t).toBeLessThan(on.cfg.minKnownShare);
    }
  });

  it('city-service complaints are tagged exactly as without the rule', () => {
    for (const t of CITY) {
      const a = off.tag(textOrder(t));
      const b = on.tag(textOrder(t));
      expect(b, t).toEqual(a);
      expect(on.knownShare, t).toBeGreaterThanOrEqual(on.cfg.minKnownShare);
    }
  });

  it('the rule only ever lowers a confidence: unknown words may argue against a cause, never for one', () => {
    for (const t of [...CAR_FAULTS, ...CITY, '某品牌汽车4S店承诺免费更换配件却一直不兑现']) {
      off.evidence(textOrder(t));
      const before = Array.from(off.conf);
      on.evidence(textOrder(t));
      CAUSE_TAGS.forEach((_, i) => expect(on.conf[i], `${t} ${CAUSE_TAGS[i]}`).toBeLessThanOrEqual(before[i] + 1e-12));
    }
  });

  it('cue phrases still count out of domain: a promise not kept is a service failure in any trade', () => {
    const t = '某品牌汽车4S店承诺免费更换配件却一直不兑现';
    expect(causes(on, t)).toContain('服务落实不到位');
  });
});

describe('what the model knows well', () => {
  // a two-feature model: 推诿 seen in 40 of 100 training texts, 发动 in 4
  const pair = (s: string) => SPAN + (s.charCodeAt(0) - LO) * SPAN + (s.charCodeAt(1) - LO);
  const docs = 100;
  const idf = (df: number) => 1 + Math.log(docs / (1 + df));
  const model: TextModel = {
    tags: ['a'],
    vocab: new Map([
      [pair('推诿'), 0],
      [pair('发动'), 1],
    ]),
    idf: Float64Array.from([idf(40), idf(4)]),
    weights: Float64Array.from([1, 1]),
    bias: Float64Array.from([0]),
    docs,
  };

  it('reads each feature’s document frequency back from its IDF', () => {
    expect(Array.from(documentFrequencies(model)!)).toEqual([40, 4]);
    expect(documentFrequencies({ ...model, docs: undefined })).toBeNull();
  });

  it('counts the character pairs of a text and those seen in enough training texts, repeats included', () => {
    const s = new ModelScorer(model);
    const out = new Float64Array(1);
    // pairs: 推诿 诿推 推诿 | 发动 动机 (the comma ends a run): 5 pairs, 推诿 twice is well known, 发动 is rare
    s.margins('推诿推诿，发动机', out);
    expect(s.pairs).toBe(5);
    expect(SUPPORTED_TEXTS).toBeGreaterThan(4);
    expect(s.knownPairs).toBe(2);
    // a model that does not say how many texts it learned from: every feature counts as known
    const old = new ModelScorer({ ...model, docs: undefined });
    old.margins('推诿推诿，发动机', out);
    expect(old.knownPairs).toBe(3);
  });

  it('a model file keeps its number of training texts', () => {
    const back = deserializeEvidence(serializeEvidence({ model, calibration: [{ a: 1, b: 0, c: 0 }] }));
    expect(back.model.docs).toBe(docs);
  });
});
