import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TagConfigSchema, tagFiles } from '../../src/tag/config.js';
import { CAUSE_TAGS as CAUSES } from '../../src/tag/lexicon.js';
import { cohensKappa, loadRealMessages, scoreReal } from '../../src/tag/real-eval.js';
import { speechAct } from '../../src/tag/speech-act.js';
import { buildTagger, type Tagger } from '../../src/tag/tagger.js';
import { testConfig, tempDir } from '../helpers.js';
import { textOrder } from '../../src/tag/text-order.js';

// Texts written for this test in the register of real 问政 messages (not taken from any source): the failure
// modes seen on real boards — questions tagged 政策漏洞, reworded cues missed, pollution read as 其他.
const cfg = TagConfigSchema.parse({});
let tagger: Tagger;
const tmp = tempDir();
afterAll(() => tmp.cleanup());
beforeAll(() => {
  tagger = buildTagger(tagFiles(testConfig(), cfg), cfg);
}, 120_000);

const tags = (text: string) => tagger.tag(textOrder(text)).map((r) => r.tag);

describe('what a message does comes first', () => {
  it.each([
    ['请问失业保险金怎么申请？需要带什么材料？', 'question'],
    ['咨询一下今年的最低工资标准是多少，病假工资按什么标准发？', 'question'],
    ['在这里生活了三十多年，想问问老年证在哪里办理。', 'question'],
    ['感谢城管局的王师傅，半夜帮我们疏通了下水道，表扬！', 'praise'],
    ['建议在实验小学门口增设一个红绿灯，方便孩子们过马路。', 'suggestion'],
    ['楼下饭店的油烟直接排到居民窗户，为什么没人管？', 'complaint'],
    ['咨询一下，公司拖欠工资三个月还不签合同，投诉到哪里？', 'complaint'],
  ])('%s reads as %s', (text, act) => {
    expect(speechAct(text).act).toBe(act);
  });

  it('questions, praise and suggestions get no cause even when they name a policy or a facility', () => {
    for (const text of [
      '请问失业保险金怎么申请？需要带什么材料？',
      '咨询一下今年的最低工资标准是多少，病假工资按什么标准发？',
      '在这里生活了三十多年，想问问老年证在哪里办理。',
      '感谢城管局的王师傅，半夜帮我们疏通了下水道，表扬！',
      '建议在实验小学门口增设一个红绿灯，方便孩子们过马路。',
    ])
      expect(tags(text), text).toEqual(['其他']);
  });

  it('the same grievance stated as a complaint gets its cause (so the test above can fail)', () => {
    expect(tags('公司拖欠我们三个月工资，也不签劳动合同。')).toContain('监管缺位');
    expect(tags('楼下饭店的油烟直接排到居民窗户，为什么没人管？')).toContain('监管缺位');
  });
});

describe('cues with variants and negation', () => {
  it('reworded bouncing is 权责交叉; a negated one is not', () => {
    expect(tags('这件事各部门都当皮球踢，谁都不管。')).toContain('权责交叉');
    expect(tags('找了街道又找城管，几个部门推三阻四，到现在没人处理。')).toContain('权责交叉');
    expect(tags('社区说归街道管，街道说归区住建局管，来回推。')).toContain('权责交叉');
    expect(tags('街道办没有踢皮球，当天就派人来处理了。')).not.toContain('权责交叉');
  });

  it('pollution, flooding and missing lights get their causes', () => {
    expect(tags('化工厂烟囱天天冒浓浓的黑烟，附近果树都枯死了，也没有脱硫设备。')).toContain('监管缺位');
    expect(tags('一下大雨路口积水有一米深，车都熄火了，排水太差。')).toContain('基础设施短板');
    expect(tags('广场两个公厕都没有灯，晚上一片漆黑。')).toContain('基础设施短板');
  });

  it('a single character no longer carries a cause (the model reads character pairs)', () => {
    const keys = [...tagger.text.model.vocab.keys()];
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.every((k) => k >= 0xa000 - 0x3400)).toBe(true);
  });
});

describe('real-message evaluation files', () => {
  it('joins labels to texts by id and scores per cause; a bad line names file and line', () => {
    const texts = join(tmp.dir, 'texts.jsonl');
    const labels = join(tmp.dir, 'labels.tsv');
    writeFileSync(
      texts,
      [
        { id: 'x:1', source: 'x', title: '油烟扰民', detail: '饭店油烟直排，多次投诉没人管' },
        { id: 'x:2', source: 'x', title: '咨询', detail: '请问社保卡在哪里办？' },
        { id: 'y:1', source: 'y', text: '路灯坏了半年' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    writeFileSync(labels, 'x:1\tC\t监,服\nx:2\tQ\t-\n# comment\ny:1\tC\t基\n');
    const ms = loadRealMessages(texts, labels);
    expect(ms.map((m) => [m.id, m.source, m.act, m.tags])).toEqual([
      ['x:1', 'x', 'C', ['监管缺位', '服务落实不到位']],
      ['x:2', 'x', 'Q', []],
      ['y:1', 'y', 'C', ['基础设施短板']],
    ]);
    expect(ms[0].text).toBe('油烟扰民。饭店油烟直排，多次投诉没人管');
    const ev = scoreReal(ms, [new Set(['监管缺位']), new Set(['政策漏洞']), new Set<string>()]);
    const by = Object.fromEntries(ev.perTag.map((m) => [m.tag, m]));
    expect(by['监管缺位']).toMatchObject({ support: 1, predicted: 1, tp: 1, precision: 1, recall: 1 });
    expect(by['服务落实不到位']).toMatchObject({ support: 1, predicted: 0, recall: 0 });
    expect(by['政策漏洞']).toMatchObject({ support: 0, predicted: 1, precision: 0 });
    expect([ev.questionsTagged, ev.questions]).toEqual([1, 1]);
    writeFileSync(labels, 'x:1\tC\t监\nx:9\tC\t监\n');
    expect(() => loadRealMessages(texts, labels)).toThrow(
      expect.objectContaining({ name: 'UserError', message: `真实标注 ${labels}:2 字段 id：找不到 'x:9' 的文本` }),
    );
    writeFileSync(labels, 'x:1\tC\t灾\n');
    expect(() => loadRealMessages(texts, labels)).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: `真实标注 ${labels}:1 字段 causes：未知原因 '灾'（可用 权 政 基 监 服 或 -）`,
      }),
    );
    // comma lists: texts pooled, a later label file's line for an id replaces the earlier one
    const texts2 = texts.replace(/\.json[l]?$/, '') + '-2.jsonl';
    const labels2 = labels + '.2';
    writeFileSync(texts2, JSON.stringify({ id: 'z:1', source: 'z', detail: '工地夜间施工扰民' }) + '\n');
    writeFileSync(labels, 'x:1\tC\t监\ny:1\tC\t基\n');
    writeFileSync(labels2, 'z:1\tC\t监\nx:1\tC\t服\nz:2\tC\t监\n');
    expect(() => loadRealMessages(`${texts},${texts2}`, `${labels},${labels2}`)).toThrow(
      expect.objectContaining({ name: 'UserError', message: `真实标注 ${labels2}:3 字段 id：找不到 'z:2' 的文本` }),
    );
    const skipped = { count: 0 };
    const pooled = loadRealMessages(`${texts}, ${texts2}`, `${labels},${labels2}`, { skipMissing: true, skipped });
    expect(pooled.map((m) => [m.id, m.source, m.tags])).toEqual([
      ['y:1', 'y', ['基础设施短板']],
      ['z:1', 'z', ['监管缺位']],
      ['x:1', 'x', ['服务落实不到位']],
    ]);
    expect(skipped.count).toBe(1);
  });

  it("Cohen's kappa: 1 for identical ratings, 0 for agreement no better than chance", () => {
    expect(cohensKappa([true, false, true, false], [true, false, true, false])).toBe(1);
    expect(cohensKappa([true, true, false, false], [true, false, true, false])).toBeCloseTo(0, 12);
    expect(cohensKappa([true, true, true, false], [true, true, false, false])).toBeCloseTo(0.5, 12);
  });
});

describe('calibration on real labelled orders', () => {
  it('tag calibrate fits per-tag weights and thresholds; a tagger built with the file uses them', async () => {
    const { fitRealCalibration, loadRealCalibration } = await import('../../src/tag/calibrate.js');
    const { loadTaggerInputs, makeTagger } = await import('../../src/tag/tagger.js');
    const texts = join(tmp.dir, 'cal-texts.jsonl');
    const labels = join(tmp.dir, 'cal-labels.tsv');
    // written for the test: pollution complaints are 监管缺位, the rest are not
    const rows = [
      ['工厂晚上偷排废水，河里的鱼都死了', '监'],
      ['砖厂烟囱冒黑烟，附近菜地都是灰', '监'],
      ['饭店油烟直排进居民家，多次投诉没人管', '监'],
      ['养殖场粪水直接排进水库', '监'],
      ['采石场粉尘很大，村民咳嗽', '监'],
      ['工地通宵施工，噪音扰民', '监'],
      ['路灯坏了一个月没人修', '基'],
      ['小区门口没有红绿灯，孩子过马路危险', '基'],
      ['补贴申请了半年没有下文', '服'],
      ['窗口工作人员态度很差', '服'],
      ['新政策一刀切，我们这种情况没法办', '政'],
      ['社区说归街道管，街道说归区里管', '权'],
    ];
    writeFileSync(texts, rows.map(([t], i) => JSON.stringify({ id: `c:${i}`, source: 'c', text: t })).join('\n'));
    writeFileSync(labels, rows.map(([, c], i) => `c:${i}\tC\t${c}`).join('\n'));
    // tag calibrate refits the team-text model's probability layer (tag.textModel 'team')
    const teamCfg = TagConfigSchema.parse({ textModel: 'team' });
    const fit = fitRealCalibration(
      buildTagger(tagFiles(testConfig(), teamCfg), teamCfg),
      loadRealMessages(texts, labels),
    );
    expect(Object.keys(fit.calibration).sort()).toEqual([...CAUSES].sort());
    for (const t of Object.values(fit.thresholds)) expect(t).toBeGreaterThanOrEqual(0.3);
    const file = join(tmp.dir, 'cal.json');
    writeFileSync(file, JSON.stringify({ ...fit, thresholds: { ...fit.thresholds, 监管缺位: 0.42 } }));
    expect(loadRealCalibration(file).thresholds['监管缺位']).toBe(0.42);
    const inputs = loadTaggerInputs({ ...tagFiles(testConfig(), teamCfg), calibration: file }, teamCfg);
    const withFile = makeTagger(inputs);
    expect(withFile.explain(textOrder('工厂偷排废水')).find((e) => e.tag === '监管缺位')!.threshold).toBe(0.42);
    expect(withFile.text.calibration[CAUSES.indexOf('监管缺位')]).toEqual(fit.calibration['监管缺位']);
    // thresholds set in the config still win over the file's
    const own = loadTaggerInputs(
      { ...tagFiles(testConfig(), teamCfg), calibration: file },
      {
        ...teamCfg,
        thresholds: { 监管缺位: 0.6 },
      },
    );
    expect(own.cfg.thresholds['监管缺位']).toBe(0.6);
    writeFileSync(file, JSON.stringify({ calibration: { 监管缺位: { a: 'x' } } }));
    expect(() => loadRealCalibration(file)).toThrow(/^标签校准文件 \S+cal\.json 字段 calibration\.监管缺位\.a：.+$/);
    // a calibration belongs to the team-text model: with a trained model it is a one-line error
    expect(() => loadTaggerInputs({ ...tagFiles(testConfig(), cfg), calibration: file }, cfg)).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: `配置 tag 部分：calibration（${file}）是为 team 文本模型重新校准的，须配 textModel 'team'（训练出的模型自带阈值）`,
      }),
    );
  });
});
