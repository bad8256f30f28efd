import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * A hotspot item whose cell was expected to get 0.2 orders a week without the work, and got 7.4, read "+3735%" in the
 * effect table and "+893.9%" for its unit in the scorecard (a generated city, seed 35, July 2026). Under one expected
 * order a week a change is given in orders a week; a measure on a larger base keeps its percentage.
 */
const AS_OF = '2025-11-01';

describe('report gives a change on a base under one order a week in orders, not percent', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let md: string;
  beforeAll(async () => {
    env = await tempStore();
    await seedOrders(
      env.store,
      [{ cat2: '城市管理/占道经营', perDay: steady(20), texts: ['占道'] }],
      '2025-08-01',
      AS_OF,
    );
    await env.store.exec(
      `INSERT INTO assignments (item_id, source, item_type, level, as_of, category, cell, district, street, title,
                                evidence, lead_unit, co_units, assigned_at, deadline, status, status_at)
       VALUES ('H-small', 'hotspot', 'general', 'grid', '2025-09-01', '城市管理/占道经营', '882a306603fffff', '北区',
               '幸福街道', 't', '{}', '市城管局', [], '2025-09-01', '2025-09-11', '办结', '2025-09-10'),
              ('H-large', 'hotspot', 'general', 'grid', '2025-09-01', '城市管理/占道经营', '882a306607fffff', '北区',
               '和平街道', 't', '{}', '市交通局', [], '2025-09-01', '2025-09-11', '办结', '2025-09-10');
       INSERT INTO effects (as_of, subject_kind, subject_id, category, lead_unit, measure, method, action_start,
         action_end, pre_start, post_end, weeks_pre, weeks_post, treated_n, control_n, treated_pre, treated_post,
         counterfactual, effect, effect_lo, effect_hi, effect_pct, pct_lo, pct_hi, significant, summary)
       VALUES ('2025-11-01', 'hotspot', 'H-small', '城市管理/占道经营', '市城管局', 'cells', 'did', '2025-09-01',
               '2025-09-10', '2025-07-06', '2025-10-31', 8, 7, 1, 8, 0.625, 7.375, 0.192, 7.183, 4.79, 9.576, 37.35,
               24.9, 49.8, true, '热点处置后热点区块内同类诉求每周7.4件，较无整治的预期0.2件上升3735%'),
              ('2025-11-01', 'hotspot', 'H-large', '城市管理/占道经营', '市交通局', 'cells', 'did', '2025-09-01',
               '2025-09-10', '2025-07-06', '2025-10-31', 8, 7, 1, 8, 12, 6, 10, -4, -6, -2, -0.4, -0.6, -0.2, true,
               '热点处置后热点区块内同类诉求每周6件，较无整治的预期10件下降40%');
       INSERT INTO scorecard (as_of, month, unit, assigned, acknowledged_on_time, returned_on_time, checked_on_time,
         finished, verified, overdue, open, on_time_rate, effects_n, decline_pct, significant_declines, decline_se)
       VALUES ('2025-11-01', '2025-09', '市城管局', 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 37.35, 0, 6.2),
              ('2025-11-01', '2025-09', '市交通局', 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, -0.4, 1, 0.1);`,
    );
    const counts = await reportStage.run(testContext(env.store, AS_OF, {}, join(env.dir, 'out')));
    md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  }, 60_000);
  afterAll(() => env.cleanup());

  const row = (needle: string) =>
    md
      .split('\n')
      .find((l) => l.startsWith('|') && l.includes(needle))
      ?.split('|')
      .map((c) => c.trim());

  it('shows the item on a tiny base in orders a week, with why', () => {
    expect(md).not.toContain('3735%');
    expect(md).toContain('每周+7.2件');
    expect(md).toContain('+4.8件～+9.6件');
    expect(md).toContain('基数不足每周1件');
  });

  it('shows the unit on a tiny base in orders a week in the scorecard', () => {
    expect(md).not.toContain('+3735%');
    expect(row('| 2025-09 | 市城管局')?.at(-2)).toBe('每周+7.2件');
  });

  it('keeps percentages on a base of one order a week or more', () => {
    expect(md).toContain('-40%');
    expect(row('| 2025-09 | 市交通局')?.at(-2)).toBe('-40%');
  });
});
