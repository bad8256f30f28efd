import { describe, expect, it } from 'vitest';
import { fdrCounts, rowsToList, scorecardQ, withItemQ } from '../../src/report/effect-rows.js';
import type { EffectRow, PooledEffectRow } from '../../src/report/data.js';

const row = (
  id: string,
  kind: 'topic' | 'hotspot',
  measure: string,
  effect: number,
  halfWidth: number,
  extra: Partial<EffectRow> = {},
): EffectRow => ({
  subject_kind: kind,
  subject_id: id,
  category: 'a/b',
  lead_unit: 'u',
  measure,
  method: measure === 'forecast' ? 'forecast' : 'did',
  action_start: '2026-09-01',
  action_end: '2026-09-30',
  effect_pct: effect / 10,
  pct_lo: (effect - halfWidth) / 10,
  pct_hi: (effect + halfWidth) / 10,
  significant: Math.abs(effect) > halfWidth,
  summary: id,
  effect,
  effect_lo: effect - halfWidth,
  effect_hi: effect + halfWidth,
  control_n: 20,
  ...extra,
});

describe('effect rows', () => {
  // 100 items with no effect: seven just past 95% by chance (|z| ≈ 2.1), one very clear fall (z ≈ 8)
  const items = [
    ...Array.from({ length: 92 }, (_, i) => row(`H-${i}`, 'hotspot', 'cells', i % 2 ? 0.5 : -0.5, 2)),
    ...Array.from({ length: 7 }, (_, i) => row(`H-c${i}`, 'hotspot', 'cells', 2.15, 2)),
    row('H-real', 'hotspot', 'cells', -8, 1.96),
  ];
  const rows = withItemQ([
    row('2026-09:a/b', 'topic', 'category', -1, 5),
    row('2026-09:a/b', 'topic', 'forecast', -1, 2),
    ...items,
  ]);

  it('holds items to a false-discovery rate: chance findings drop out, a clear one stays', () => {
    expect(rows.filter((r) => r.significant && r.subject_kind === 'hotspot')).toHaveLength(8);
    const q = new Map(rows.map((r) => [r.subject_id, r.q]));
    expect(q.get('H-real')).toBeLessThan(0.001);
    for (let i = 0; i < 7; i++) expect(q.get(`H-c${i}`)).toBeGreaterThan(0.05);
    expect(q.get('2026-09:a/b')).toBeNull();
    const pooled = {
      subject_kind: 'hotspot',
      measure: 'cells',
      items: 100,
      significant_declines: 1,
      significant_rises: 7,
    } as PooledEffectRow;
    expect(fdrCounts(rows, pooled)).toEqual({ declines: 1, rises: 0 });
  });

  it('lists the topic rows, then only the items found after FDR control', () => {
    expect(rowsToList(rows, 12).map((r) => `${r.subject_id}:${r.measure}`)).toEqual([
      '2026-09:a/b:category',
      '2026-09:a/b:forecast',
      'H-real:cells',
    ]);
  });
});

describe('scorecard', () => {
  it('holds the units\u2019 changes to the same false-discovery rate: one z of 2.1 among 23 is chance, a z of 5 is not', () => {
    const rows = Array.from({ length: 23 }, (_, i) => ({
      decline_pct: i === 0 ? 0.294 : i === 1 ? -0.5 : 0.02 * ((i % 5) - 2),
      decline_se: i === 0 ? 0.14 : i === 1 ? 0.1 : 0.1,
    }));
    const q = scorecardQ([...rows, { decline_pct: null, decline_se: null }]);
    expect(q[0]).toBeGreaterThan(0.05);
    expect(q[1]).toBeLessThan(0.001);
    expect(q[23]).toBeNull();
  });

  it('tests each month’s units as one family, whatever other months the table lists', () => {
    // z = 2.6 (p ≈ 0.009): significant as one unit of its month, not among 22 units of chance-sized changes
    const noise = Array.from({ length: 22 }, (_, i) => ({
      month: '2026-10',
      decline_pct: 0.02 * ((i % 5) - 2),
      decline_se: 0.1,
    }));
    const alone = { month: '2026-11', decline_pct: -0.26, decline_se: 0.1 };
    expect(scorecardQ([alone, ...noise])[0]).toBeLessThan(0.05);
    expect(scorecardQ([{ ...alone, month: '2026-10' }, ...noise])[0]).toBeGreaterThan(0.05);
  });
});
