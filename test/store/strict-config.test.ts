import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configFrom, section } from '../../src/store/config.js';
import { detectConfig } from '../../src/detect/config.js';
import { spatialConfig } from '../../src/spatial/config.js';

describe('config is strict everywhere', () => {
  it('refuses a misspelt key in a section and suggests the nearest', () => {
    const config = configFrom({ detect: { fdrr: 0.1 } });
    expect(() => detectConfig(config)).toThrow(/未知的键 'detect\.fdrr'（是否想写 'fdr'？）/);
  });

  it('refuses a misspelt top-level section', () => {
    expect(() => configFrom({ detcet: {} })).toThrow(/未知的键 'detcet'（是否想写 'detect'？）/);
  });

  it('refuses an unknown key nested inside a section object', () => {
    const config = configFrom({ spatial: { boundaries: { district: 'd.geojson' } } });
    expect(() => spatialConfig(config)).toThrow(/未知的键 'spatial\.boundaries\.district'（是否想写 'districts'？）/);
  });

  it('names no suggestion when nothing is close, and lists the valid keys', () => {
    const schema = z.object({ alpha: z.number().default(1) });
    const config = configFrom({ detect: { zzzzzz: 1 } });
    expect(() => section(config, 'detect', schema)).toThrow(/未知的键 'detect\.zzzzzz'（可用：alpha）/);
  });

  it('leaves records and objects declared open alone, and accepts valid keys', () => {
    const schema = z.object({
      weights: z.record(z.string(), z.number()).default({}),
      open: z.object({}).loose().prefault({}),
    });
    const config = configFrom({ detect: { weights: { anything: 1 }, open: { x: 1 } } });
    expect(section(config, 'detect', schema)).toEqual({ weights: { anything: 1 }, open: { x: 1 } });
  });

  it('lets comment keys through', () => {
    const config = configFrom({ '//': 'the city of X', detect: { $comment: 'tuned in 2026', fdr: 0.1 } });
    expect(detectConfig(config).fdr.spike).toBe(0.1);
  });
});
