import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/stats/fdr.js';
import { mulberry32 } from '../../src/stats/random.js';

// The definition, quadratic: q_i = min over every p_j ≥ p_i of p_j · m / rank_j (rank_j = how many p ≤ p_j), capped at 1.
function byDefinition(p: number[]): number[] {
  const m = p.length;
  const rank = (v: number) => p.filter((x) => x <= v).length;
  return p.map((pi) => Math.min(1, ...p.filter((pj) => pj >= pi).map((pj) => (pj * m) / rank(pj))));
}

describe('Benjamini–Hochberg', () => {
  it('gives the textbook q-values, ties included', () => {
    // Benjamini & Hochberg (1995)-style worked example: m = 5
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
    expect(Array.from(q).map((x) => +x.toFixed(6))).toEqual([0.025, 0.05, 0.05, 0.025, 0.5]);
  });

  it('matches the definition on random p-values with many ties and ones', () => {
    const rand = mulberry32(7);
    for (let t = 0; t < 20; t++) {
      const p = Array.from({ length: 200 }, () =>
        rand() < 0.4 ? 1 : rand() < 0.3 ? 0.05 : Math.round(rand() * 1000) / 1000,
      );
      const got = Array.from(benjaminiHochberg(p));
      const want = byDefinition(p);
      for (let i = 0; i < p.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 12);
    }
  });
});
