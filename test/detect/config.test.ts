import { describe, expect, it } from 'vitest';
import { configFrom } from '../../src/store/config.js';
import { detectConfig } from '../../src/detect/config.js';

describe('detect config', () => {
  it('a single fdr number sets every kind; per-kind alpha defaults can be switched off', () => {
    const c = detectConfig(configFrom({ detect: { fdr: 0.1, alpha: { spike: 0, mom: 0, yoy: 0, trend: 0 } } }));
    expect(c.fdr).toEqual({ spike: 0.1, mom: 0.1, yoy: 0.1, trend: 0.1 });
    expect(c.alpha).toEqual({ spike: 0, mom: 0, yoy: 0, trend: 0 });
    expect(c.fdrFamilies).toBe('kind');
  });

  it('defaults: BH 5% per kind, per-test alpha with yoy strictest, trend gates CUSUM ≥ 3 and 3 of 6 weeks', () => {
    const c = detectConfig(configFrom({}));
    expect(c.fdr).toEqual({ spike: 0.05, mom: 0.05, yoy: 0.05, trend: 0.05 });
    expect(c.alpha.yoy).toBeLessThan(c.alpha.spike);
    expect(c.trendMinCusum).toBe(3);
    expect(c.trendMinWeeksAbove).toBe(3);
    expect(c.newTopic.fdr).toBe(0.05);
  });

  it('rejects an fdr outside (0, 1)', () => {
    expect(() => detectConfig(configFrom({ detect: { fdr: 1.5 } }))).toThrow();
    expect(() => detectConfig(configFrom({ detect: { fdr: { spike: 0 } } }))).toThrow();
  });
});
