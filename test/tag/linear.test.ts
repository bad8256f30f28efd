import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TagConfigSchema, tagFiles } from '../../src/tag/config.js';
import { CAUSE_TAGS, LexiconScorer, loadLexicon, type CauseTag } from '../../src/tag/lexicon.js';
import { chooseThreshold, fitLinear, defaultLinearOptions, type LinearDoc } from '../../src/tag/linear.js';
import { LO, SPAN } from '../../src/tag/features.js';
import {
  defaultLinearTrainOptions,
  fitLinearEvidence,
  heldOutBySource,
  thresholdRecord,
  trainLinear,
  type LinearExample,
} from '../../src/tag/linear-train.js';
import { loadTextModelFile, writeTextModelFile } from '../../src/tag/linear-file.js';
import { ScopeGuard } from '../../src/tag/scope.js';
import { GATE_TAG, Tagger, buildTagger } from '../../src/tag/tagger.js';
import { textOrder } from '../../src/tag/text-order.js';
import { testConfig, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const cfg = TagConfigSchema.parse({});
const lexicon = new LexiconScorer(loadLexicon(tagFiles(testConfig(), cfg).lexicon), CAUSE_TAGS);

describe('thresholds chosen on out-of-fold probabilities', () => {
  it('picks the cut with the best F1 among those reaching the precision, else abstains', () => {
    // ranked: + + + - + - - - ; at 0.7 precision the best cut keeps the top five (4/5 = 0.8, recall 1)
    const probs = [0.9, 0.85, 0.8, 0.75, 0.7, 0.4, 0.3, 0.2];
    const truth = [true, true, true, false, true, false, false, false];
    const c = chooseThreshold(probs, truth, 0.7);
    expect(c.threshold).toBeCloseTo(0.55, 10);
    expect([c.precision, c.recall]).toEqual([0.8, 1]);
    // no cut reaches precision 0.95 with three emitted: the cause abstains
    expect(chooseThreshold(probs, [true, false, true, false, true, false, false, false], 0.95).threshold).toBe(
      Infinity,
    );
  });

  it('with sources, each counts alike: a large source does not set the cut for a small one', () => {
    // source 0 (many, positives everywhere), source 1 (few, positives only at the top)
    const probs = [0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.95, 0.85, 0.45, 0.35];
    const truth = [true, true, true, true, true, true, false, false, true, true, false, false];
    const groups = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
    const pooled = chooseThreshold(probs, truth, 0);
    const balanced = chooseThreshold(probs, truth, 0, groups);
    // pooled: the big source's positives pull the cut down to 0.25; balanced stops earlier, where source 1's F1
    // is still 1
    expect(pooled.threshold).toBeLessThan(0.3);
    expect(balanced.threshold).toBeGreaterThan(0.45);
  });
});

// Invented messages in the register of real boards (none taken from a source): two sources with the same causes.
const A = [
  ['饭店油烟直排到居民楼，多次投诉，环保部门一直不来查处。', ['监管缺位']],
  ['小区旁边工厂夜里偷排废水，河里的鱼都死了，没人管。', ['监管缺位']],
  ['无证黑诊所在村里开了两年，举报了也没人来处理。', ['监管缺位']],
  ['路灯坏了半年没人修，晚上出门一片漆黑。', ['基础设施短板', '服务落实不到位']],
  ['下雨小区门口积水一米深，排水管道太细，年年如此。', ['基础设施短板']],
  ['村里没有公厕，老人小孩很不方便。', ['基础设施短板']],
  ['请问失业保险金怎么申请？需要什么材料？', []],
  ['咨询一下社保卡在哪里补办。', []],
] as const;
const B = [
  ['工地噪音扰民到半夜，城管说不归他们管，环保说找城管。', ['监管缺位', '权责交叉']],
  ['物业乱收费，住建部门接到举报后不作为。', ['监管缺位']],
  ['路面塌陷一个大坑，修了三次还是坏，道路老化严重。', ['基础设施短板']],
  ['老旧小区水管老化，经常停水，希望尽快改造。', ['基础设施短板']],
  ['想问一下孩子上学需要办哪些手续？', []],
  ['请问公积金提取的流程是什么？', []],
] as const;
const examples = (rows: ReadonlyArray<readonly [string, readonly string[]]>, source: string): LinearExample[] =>
  rows.map(([text, tags]) => ({ source, text, tags }));

describe('the linear model as the tagger scores it', () => {
  const opts = { ...defaultLinearTrainOptions, teamShare: 0, minDf: 1, epochs: 20 };
  const train = [...examples(A, 'a'), ...examples(B, 'b')];

  it('the tagger reproduces the trained model: learned causes come back, questions get none', () => {
    const evidence = fitLinearEvidence(train, lexicon, opts);
    expect(evidence.model.segWords?.length).toBeGreaterThan(10);
    expect(evidence.calibration.every((c) => c.lexAll?.length === 5 && c.acts?.length === 2)).toBe(true);
    const tagger = new Tagger('t', lexicon, evidence, new ScopeGuard([]), { ...cfg, lexiconAlone: {} });
    const conf = (text: string) => {
      tagger.evidence(textOrder(text));
      return Object.fromEntries(CAUSE_TAGS.map((t, i) => [t, tagger.conf[i]]));
    };
    const pollution = conf('饭店油烟直排到居民楼，多次投诉，环保部门一直不来查处。');
    expect(pollution['监管缺位']).toBeGreaterThan(0.5);
    expect(pollution['监管缺位']).toBeGreaterThan(pollution['基础设施短板']);
    const lamp = conf('路灯坏了半年没人修，晚上出门一片漆黑。');
    expect(lamp['基础设施短板']).toBeGreaterThan(lamp['监管缺位']);
    expect(Math.max(...Object.values(conf('请问失业保险金怎么申请？需要什么材料？')))).toBeLessThan(0.5);
  }, 60_000);

  it('a model file round-trips: same confidences, a cause with no threshold is never emitted', () => {
    const tr = trainLinear(train, lexicon, cfg, { ...opts, minPrecision: 0.7 });
    expect(tr.oof).toHaveLength(train.length);
    const file = join(tmp.dir, 'model.json');
    const strict = thresholdRecord(tr.strict);
    strict['监管缺位'] = null;
    writeTextModelFile(file, tr.evidence, strict, thresholdRecord(tr.bestF1), { note: 'test' });
    const loaded = loadTextModelFile(file);
    expect(loaded.thresholds['监管缺位']).toBe(Infinity);
    const tagger = buildTagger({ ...tagFiles(testConfig(), cfg), textModel: file }, cfg);
    const direct = new Tagger('d', lexicon, tr.evidence, new ScopeGuard([]), cfg);
    const text = '工地噪音扰民到半夜，多次举报没人管。';
    tagger.evidence(textOrder(text));
    direct.evidence(textOrder(text));
    for (let t = 0; t < 5; t++) expect(tagger.conf[t]).toBeCloseTo(direct.conf[t], 3);
    expect(tagger.tag(textOrder(text)).map((r) => r.tag)).not.toContain('监管缺位');
  }, 60_000);

  it('held out by source: each source is tagged by a model that never trained on it', () => {
    const messages = train.map((x, i) => ({
      id: `${x.source}:${i}`,
      source: x.source,
      text: x.text,
      act: x.tags.length ? 'C' : 'Q',
      tags: x.tags as CauseTag[],
    }));
    const held = heldOutBySource(messages, [], lexicon, cfg, opts);
    expect(held.map((h) => [h.source, h.messages.length, h.strict.length])).toEqual([
      ['a', A.length, A.length],
      ['b', B.length, B.length],
    ]);
    // trained on the other source only: its out-of-fold rows are that source's messages
    expect(held[0].training.oof).toHaveLength(B.length);
    expect(held[1].training.oof).toHaveLength(A.length);
  }, 60_000);
});

describe('options measured in round 4 (off by default)', () => {
  // one stage: these options act on the one model's columns
  const opts = { ...defaultLinearTrainOptions, teamShare: 0, minDf: 1, epochs: 20, twoStage: false };
  const train = [...examples(A, 'a'), ...examples(B, 'b')];
  const keysOf = (o: typeof opts) => new Set(fitLinearEvidence(train, lexicon, o).model.vocab.keys());

  it('minSources drops the features only one source uses', () => {
    const all = keysOf(opts);
    const shared = keysOf({ ...opts, minSources: 2 });
    expect(shared.size).toBeGreaterThan(0);
    expect(shared.size).toBeLessThan(all.size);
    for (const k of shared) expect(all.has(k)).toBe(true);
    // a character pair's key (features.ts): 油烟 is written in source a only, 举报 in both
    const key = (s: string) => SPAN + (s.charCodeAt(0) - LO) * SPAN + (s.charCodeAt(1) - LO);
    expect([all.has(key('油烟')), shared.has(key('油烟'))]).toEqual([true, false]);
    expect([all.has(key('举报')), shared.has(key('举报'))]).toEqual([true, true]);
  }, 60_000);

  it('idfPower 0 weighs every feature alike and records no training-text count; 1 records it (round 6)', () => {
    const plain = fitLinearEvidence(train, lexicon, opts).model;
    const flat = fitLinearEvidence(train, lexicon, { ...opts, idfPower: 0 }).model;
    expect(plain.docs).toBe(train.length);
    expect(new Set(plain.idf).size).toBeGreaterThan(1);
    expect(flat.docs).toBeUndefined();
    expect(Array.from(flat.idf).every((x) => x === 1)).toBe(true);
  }, 60_000);

  it('classBalance raises a rare cause against its negatives', () => {
    const text = '工地噪音扰民到半夜，城管说不归他们管，环保说找城管。';
    const conf = (o: typeof opts) => {
      const tagger = new Tagger('c', lexicon, fitLinearEvidence(train, lexicon, o), new ScopeGuard([]), {
        ...cfg,
        lexiconAlone: {},
      });
      tagger.evidence(textOrder(text));
      return tagger.conf[CAUSE_TAGS.indexOf('权责交叉')];
    };
    // 权责交叉 has one positive of 14: weighing it as much as the 13 negatives lifts its confidence
    expect(conf({ ...opts, classBalance: 1 })).toBeGreaterThan(conf(opts) + 0.05);
  }, 60_000);

  it('lexiconWords puts the lexicon phrases among the model words', () => {
    const plain = fitLinearEvidence(train, lexicon, opts).model.segWords ?? [];
    const withLex = fitLinearEvidence(train, lexicon, { ...opts, lexiconWords: true }).model.segWords ?? [];
    const phrases = lexicon.phrases.filter((p) => p.length >= 3 && /^[\u3400-\u9fff]+$/.test(p));
    expect(phrases.length).toBeGreaterThan(20);
    for (const p of phrases) expect(withLex).toContain(p);
    expect(phrases.some((p) => !plain.includes(p))).toBe(true);
  }, 60_000);

  it('seeds averages the weights of the fits with each shuffle seed', () => {
    const docs: LinearDoc[] = [0, 1, 2, 3].map((i) => ({
      cols: Int32Array.from([i % 2, 2]),
      vals: Float64Array.from([0.8, 0.6]),
      dense: Float64Array.from([i / 3]),
    }));
    const labels = [[true], [false], [true], [false]];
    const o = { ...defaultLinearOptions, epochs: 3 };
    const one = fitLinear(3, docs, labels, [1, 1, 1, 1], 1, o);
    const other = fitLinear(3, docs, labels, [1, 1, 1, 1], 1, { ...o, seed: o.seed + 1000 });
    const both = fitLinear(3, docs, labels, [1, 1, 1, 1], 1, { ...o, seeds: 2 });
    expect(one.weights[0]).not.toBeCloseTo(other.weights[0], 12);
    both.weights.forEach((w, i) => expect(w).toBeCloseTo((one.weights[i] + other.weights[i]) / 2, 12));
    expect(both.bias[0]).toBeCloseTo((one.bias[0] + other.bias[0]) / 2, 12);
  });
});

describe('two stages (twoStage): some cause at all, then which', () => {
  const opts = { ...defaultLinearTrainOptions, teamShare: 0, minDf: 1, epochs: 20, twoStage: true };
  const train = [...examples(A, 'a'), ...examples(B, 'b')];

  it('the gate is a sixth column; a cause is the gate times the cause; a file with it loads', () => {
    const evidence = fitLinearEvidence(train, lexicon, opts);
    expect(evidence.model.tags).toEqual([...CAUSE_TAGS, GATE_TAG]);
    expect(evidence.calibration).toHaveLength(6);
    const tagger = new Tagger('t', lexicon, evidence, new ScopeGuard([]), { ...cfg, lexiconAlone: {} });
    // the same columns without the gate: every cause's confidence is divided by the gate's probability
    const ungated = new Tagger(
      'u',
      lexicon,
      {
        model: { ...evidence.model, tags: [...CAUSE_TAGS, 'x'] },
        calibration: evidence.calibration,
      },
      new ScopeGuard([]),
      { ...cfg, lexiconAlone: {} },
    );
    const pollution = '饭店油烟直排到居民楼，多次投诉，环保部门一直不来查处。';
    const question = '请问失业保险金怎么申请？需要什么材料？';
    const gateOf = (text: string) => {
      tagger.evidence(textOrder(text));
      ungated.evidence(textOrder(text));
      const g = CAUSE_TAGS.map((_, t) => tagger.conf[t] / ungated.conf[t]);
      for (const x of g) expect(x).toBeCloseTo(g[0], 9);
      return g[0];
    };
    expect(gateOf(pollution)).toBeGreaterThan(0.5);
    expect(gateOf(question)).toBeLessThan(gateOf(pollution));
    tagger.evidence(textOrder(pollution));
    expect(tagger.conf[CAUSE_TAGS.indexOf('监管缺位')]).toBeGreaterThan(
      tagger.conf[CAUSE_TAGS.indexOf('基础设施短板')],
    );
    const file = join(tmp.dir, 'two-stage.json');
    writeTextModelFile(file, evidence, {}, {}, {});
    expect(loadTextModelFile(file).evidence.model.tags).toHaveLength(6);
  }, 60_000);
});
