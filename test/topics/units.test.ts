import { describe, expect, it } from 'vitest';
import { knownUnitsOnly } from '../../src/store/units.js';
import { suggestUnits } from '../../src/topics/units.js';

const mapping = {
  '城市管理/市容环境': { lead: '市城市管理委员会', co: ['环卫企业', '街道办事处'] },
  '城乡建设/排水': { lead: '市水务局', co: ['市城市管理委员会', '区排水管理所'] },
};

describe('the embedded unit mapping on another city', () => {
  it('keeps only units the city\u2019s own departments are, or end with', () => {
    const depts = ['市水务局', '东区排水管理所', '沙湾街道办事处', '市城市管理和综合执法局'];
    const known = knownUnitsOnly(mapping, depts);
    // 市城市管理委员会 does not exist there: its entry goes, and it is no supporting unit either
    expect(known).toEqual({ '城乡建设/排水': { lead: '市水务局', co: ['区排水管理所'] } });
    const handled = [{ dept: '市城市管理和综合执法局', n: 80, share: 0.8 }];
    expect(suggestUnits('城市管理/市容环境', '城市管理', known, handled)).toEqual({
      lead: '市城市管理和综合执法局',
      co: [],
    });
  });

  it('is kept whole when the store names no department at all', () => {
    expect(knownUnitsOnly(mapping, [])).toBe(mapping);
  });
});
