import { describe, expect, it } from 'vitest';
import { fitWide, padWide } from '../../src/forecast/format.js';
import { modelZh } from '../../src/cli/words.js';
import { hotspotKindZh } from '../../src/spatial/hotspots.js';

describe('the text tables', () => {
  it('keep their columns in line: a long name is clipped with an ellipsis to the column width', () => {
    const width = (t: string) => [...t].reduce((a, c) => a + (/[\u2e80-\uffef]/.test(c) ? 2 : 1), 0);
    const long = 'Pflanzenwuchs/Verkehrsbehindernder Heckenwuchs, Sträucher';
    expect(fitWide(long, 30)).toBe('Pflanzenwuchs/Verkehrsbehinde…');
    expect(width(fitWide(long, 30))).toBe(30);
    expect(width(fitWide('城乡建设/供暖/暖气不热/整栋楼不热问题', 30))).toBe(30);
    expect(fitWide('城乡建设/供暖', 30)).toBe(padWide('城乡建设/供暖', 30));
  });

  it('name models and hotspot kinds in Chinese, and an unknown code as it is', () => {
    expect(modelZh('blend')).toBe('组合预测');
    expect(modelZh('rate')).toBe('日均折算');
    expect(modelZh('new_model')).toBe('new_model');
    expect(hotspotKindZh('persistent')).toBe('持续热点');
    expect(hotspotKindZh('emerging')).toBe('新发热点');
  });
});
