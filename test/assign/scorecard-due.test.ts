import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { writeScorecard } from '../../src/assign/effect.js';
import { assignConfig } from '../../src/assign/config.js';
import { configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';

let store: Store;
let cleanup: () => void;
beforeEach(async () => ({ store, cleanup } = await tempStore()));
afterEach(() => cleanup());

const cfg = assignConfig(configFrom({}));

/** One assigned item of `unit` in March 2026 with its deadline and (optional) 办结 time. */
async function item(id: string, unit: string, deadline: string, finished: string | null): Promise<void> {
  await store.exec(
    `INSERT INTO assignments (item_id, source, item_type, level, as_of, category, cell, grid_id, district, street, title,
       evidence, lead_unit, co_units, assigned_at, deadline, status, status_at, finished_at)
     VALUES ($id, 'hotspot', 'facility', 'grid', '2026-03-01', '城市管理/路灯照明', 'C0', 'G0', '东区', '甲街道', 't',
       '{}', $unit, [], '2026-03-01 00:00:00', $deadline::TIMESTAMP, $status, '2026-03-01 00:00:00', $finished::TIMESTAMP)`,
    { id, unit, deadline, finished, status: finished ? '办结' : '交办' },
  );
}

type Row = { unit: string; assigned: number; returned_on_time: number; overdue: number; on_time_rate: number | null };

describe('scorecard 按时回传率', () => {
  it('is over the items due by the as-of, and null when none is due (not 0 %)', async () => {
    // 甲: one due and returned on time, one due and missed, one due exactly at the as-of (not passed), one returned
    // early and one open, both with the deadline still ahead: 1 on time of the 2 due
    await item('A1', '甲单位', '2026-03-20 00:00:00', '2026-03-10 00:00:00');
    await item('A2', '甲单位', '2026-03-20 00:00:00', null);
    await item('A3', '甲单位', '2026-04-01 00:00:00', null);
    await item('A4', '甲单位', '2026-04-10 00:00:00', '2026-03-25 00:00:00');
    await item('A5', '甲单位', '2026-04-10 00:00:00', null);
    // 乙: three items, none due yet (the real-export case: deadline = the as-of)
    for (const id of ['B1', 'B2', 'B3']) await item(id, '乙单位', '2026-04-01 00:00:00', null);
    await writeScorecard(store, cfg, '2026-04-01');
    const rows = await store.all<Row>(
      `SELECT unit, assigned, returned_on_time, overdue, on_time_rate FROM scorecard WHERE as_of = '2026-04-01' ORDER BY unit`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.unit, r]));
    expect(by['甲单位']).toMatchObject({ assigned: 5, returned_on_time: 2, overdue: 1 });
    expect(by['甲单位']!.on_time_rate).toBeCloseTo(1 / 2, 9);
    expect(by['乙单位']).toMatchObject({ assigned: 3, returned_on_time: 0, overdue: 0, on_time_rate: null });
  });
});
