import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TagConfigSchema, tagFiles } from '../../src/tag/config.js';
import { evaluate } from '../../src/tag/evaluate.js';
import { CAUSE_TAGS, LexiconScorer, loadLexicon } from '../../src/tag/lexicon.js';
import { loadLabelled } from '../../src/tag/labelled.js';
import { ScopeGuard } from '../../src/tag/scope.js';
import {
  Tagger,
  buildTagger,
  deserializeEvidence,
  serializeEvidence,
  type OrderEvidence,
} from '../../src/tag/tagger.js';
import { dataPath } from '../../src/store/paths.js';
import { testConfig, tempDir } from '../helpers.js';

// the model trained at run time on the team's labelled sample (tag.textModel 'team'); test/tag/linear.test.ts covers
// the one trained on real messages
const cfg = TagConfigSchema.parse({ textModel: 'team' });
let tagger: Tagger;
const tmp = tempDir();
afterAll(() => tmp.cleanup());

beforeAll(() => {
  tagger = buildTagger(tagFiles(testConfig(), cfg), cfg);
}, 120_000);

const plain = (content: string, extra: Partial<OrderEvidence> = {}): OrderEvidence => ({
  content,
  category: '城市管理/市容环境',
  dispatchCount: null,
  reopened: null,
  dept: null,
  repeatAfterClose: false,
  ...extra,
});
const lexScorer = () => new LexiconScorer(loadLexicon(dataPath('root_causes.json')), CAUSE_TAGS);
const conf = (t: Tagger, o: OrderEvidence, tag: string) => t.explain(o).find((e) => e.tag === tag)!.confidence;

describe('held-out evaluation', () => {
  // The calibration is fitted to the team's own texts, so at even thresholds it must read them well; the shipped
  // per-tag thresholds are set for precision on real messages (docs/tag.md) and trade some of this recall away.
  it('reaches macro-F1 ≥ 0.80 on the labelled test part it never trained on (even thresholds)', () => {
    const { orders } = loadLabelled(dataPath('labelled/root_causes.jsonl'));
    const test = orders.filter((o) => o.split === 'test');
    const even = new Tagger(tagger.fingerprint, lexScorer(), tagger.text, tagger.scope, { ...cfg, thresholds: {} });
    const ev = evaluate(even, test);
    expect(ev.orders).toBeGreaterThan(250);
    expect(ev.macroF1).toBeGreaterThanOrEqual(0.8);
    for (const m of ev.perTag) expect(m.f1, m.tag).toBeGreaterThan(0.6);
    // shipped: precision-first thresholds plus cue phrases alone for complaints (tuned on real messages)
    const shipped = evaluate(tagger, test);
    expect(shipped.macroF1).toBeGreaterThanOrEqual(0.8);
    for (const m of shipped.perTag.filter((x) => x.tag !== '其他')) expect(m.precision, m.tag).toBeGreaterThan(0.7);
  });

  it('scores poorly against rotated labels (so the assertion above can fail)', () => {
    const { orders } = loadLabelled(dataPath('labelled/root_causes.jsonl'));
    const test = orders.filter((o) => o.split === 'test');
    // Rotate labels between orders: the same tagger now scores poorly.
    const rotated = test.map((o, i) => ({ ...o, tags: test[(i + 97) % test.length].tags }));
    expect(evaluate(tagger, rotated).macroF1).toBeLessThan(0.5);
  });
});

describe('each evidence type moves the right tag', () => {
  it('lexicon: a term added for 监管缺位 raises 监管缺位 and nothing else', () => {
    const text = '楼下那家店的招牌霸王条款很多，居民意见大';
    const lex = loadLexicon(dataPath('root_causes.json'));
    const edited = {
      ...lex,
      tags: lex.tags.map((t) =>
        t.tag === '监管缺位' ? { ...t, terms: [...t.terms, { term: '霸王条款', weight: 3 }] } : t,
      ),
    };
    const withTerm = new Tagger('x', new LexiconScorer(edited, CAUSE_TAGS), tagger.text, new ScopeGuard([]), cfg);
    expect(conf(withTerm, plain(text), '监管缺位')).toBeGreaterThan(conf(tagger, plain(text), '监管缺位') + 0.2);
    for (const t of CAUSE_TAGS.filter((t) => t !== '监管缺位'))
      expect(conf(withTerm, plain(text), t)).toBeCloseTo(conf(tagger, plain(text), t), 9);
  });

  it('lexicon negation: a negated term does not count', () => {
    const e1 = tagger.explain(plain('各部门互相推诿')).find((e) => e.tag === '权责交叉')!;
    const e2 = tagger.explain(plain('各部门没有推诿')).find((e) => e.tag === '权责交叉')!;
    expect(e1.lexiconScore).toBeGreaterThan(0);
    expect(e2.lexicon).not.toContain('推诿');
  });

  it('model: text with no lexicon term still gets its cause from the classifier', () => {
    // No lexicon term in these texts; the model alone has to carry them.
    const text = '物业让我们找社区，社区让我们找街道办，街道办又让我们回去找物业';
    const e = tagger.explain(plain(text)).find((x) => x.tag === '权责交叉')!;
    expect(e.margin).toBeGreaterThan(0);
    expect(tagger.tag(plain(text)).map((r) => r.tag)).toContain('权责交叉');
  });

  it('structure: re-dispatch raises 权责交叉; reopening and a repeat after closure raise 服务落实不到位', () => {
    const text = '今天上午公园东侧的长椅被人刷了油漆';
    const base = plain(text);
    for (const t of CAUSE_TAGS) expect(conf(tagger, base, t), t).toBeLessThan(0.5);
    expect(conf(tagger, plain(text, { dispatchCount: 3 }), '权责交叉')).toBeGreaterThan(
      conf(tagger, base, '权责交叉') + 0.3,
    );
    expect(conf(tagger, plain(text, { dept: '区城管局→街道办事处' }), '权责交叉')).toBeGreaterThan(
      conf(tagger, base, '权责交叉') + 0.3,
    );
    expect(conf(tagger, plain(text, { dispatchCount: 1 }), '权责交叉')).toBeCloseTo(conf(tagger, base, '权责交叉'), 9);
    expect(conf(tagger, plain(text, { reopened: true }), '服务落实不到位')).toBeGreaterThan(
      conf(tagger, base, '服务落实不到位') + 0.3,
    );
    expect(conf(tagger, plain(text, { repeatAfterClose: true }), '服务落实不到位')).toBeGreaterThan(
      conf(tagger, base, '服务落实不到位') + 0.3,
    );
    expect(conf(tagger, plain(text, { reopened: true }), '政策漏洞')).toBeCloseTo(conf(tagger, base, '政策漏洞'), 9);
    const r = tagger.tag(plain(text, { dispatchCount: 4 })).find((x) => x.tag === '权责交叉');
    expect(r?.sources).toContain('structure');
  });

  it('an order with no cause gets 其他 with 1 − the best confidence', () => {
    const r = tagger.tag(plain('咨询一下护照在哪里办理'));
    expect(r.map((x) => x.tag)).toEqual(['其他']);
    expect(r[0].confidence).toBeGreaterThan(0.5);
  });

  it('the trained evidence survives a round trip through JSON unchanged', () => {
    const back = deserializeEvidence(serializeEvidence(tagger.text));
    const t2 = new Tagger(
      'y',
      new LexiconScorer(loadLexicon(dataPath('root_causes.json')), CAUSE_TAGS),
      back,
      new ScopeGuard([]),
      tagger.cfg,
    );
    const o = plain('路灯老化多次报修没人修，各部门推诿');
    expect(t2.tag(o)).toEqual(tagger.tag(o));
  });

  it('a replacement lexicon with an unknown tag stops the build with a clear message', () => {
    const p = join(tmp.dir, 'lex.json');
    writeFileSync(p, JSON.stringify({ tags: [{ tag: '监管不力', terms: [{ term: '无证', weight: 1 }] }] }));
    expect(() => buildTagger({ ...tagFiles(testConfig(), cfg), lexicon: p }, cfg)).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: `词表 ${p} 字段 tags.0.tag（监管不力）：未知标签 '监管不力'（可用：权责交叉、政策漏洞、基础设施短板、监管缺位、服务落实不到位）`,
      }),
    );
  });
});
