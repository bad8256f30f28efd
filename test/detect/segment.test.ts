import { describe, expect, it } from 'vitest';
import { segmentTerms, terms } from '../../src/detect/segment.js';

describe('terms', () => {
  it('are the terms of the whole text, in the same order, though segmented clause by clause', () => {
    const texts = [
      '网友留言：近半个月来，长租公寓押金退不了，新旧政策衔接不上，卡在中间谁也办不了。请尽快派人解决。',
      '上次的工单已经显示办结，但问题依旧，今年以来，韩庄村人行道上停满了车。联系电话151****2205。',
      '之前已反映过，天山路220号附近交通标志被树挡住，说好来修一直没来。',
      '3号楼A座电梯坏了。。请修',
      '２０２４年第３季度暖气费',
      'Wi-Fi信号差：小区里',
      '市民反映：“暖气不热”，室温只有十三四度！',
      '〇号线地铁站',
      '居民称  停车\t难\n请处理',
      'ｱｲｳ汉字カタカナ混合・测试',
      '一、二、三、',
      '汉\uFE0F字',
      '汉字\u200D😀测试，好的',
      'e.g.小区',
      '小区e.g.',
      '路灯·不亮',
      '（括号里）【方括号】《书名号》',
      '',
      '。。。',
      '12345热线',
    ];
    for (const text of texts) expect([...terms(text)]).toEqual([...segmentTerms(text)]);
  });

  it('are cached per text and per clause without changing what a repeated clause gives', () => {
    const a = terms('小区电梯故障维修不及时，请尽快处理。');
    const b = terms('道路积水影响出行，请尽快处理。');
    expect([...b]).toEqual([...segmentTerms('道路积水影响出行，请尽快处理。')]);
    expect(terms('小区电梯故障维修不及时，请尽快处理。')).toBe(a);
  });
});
