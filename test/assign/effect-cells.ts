import { poissonDraw as poisson, mulberry32 as rng } from '../../src/stats/random.js';
import { addDays } from '../../src/store/dates.js';
import type { Store } from '../../src/store/db.js';

/**
 * A hotspot item on one H3 cell among 12 of the same category, each with its own level of about four orders a week.
 * The item is assigned on ASSIGNED with the default 28-day hotspot window as its evidence, finished on FINISHED, and
 * measured on AS_OF (8 full weeks later). The treated cell's orders follow the scenario:
 * - none: no change; drop: falls to a fifth from 办结 on (a real effect);
 * - rise: four times its level from two weeks before assignment, and it stays there (no effect);
 * - burst: four times its level in the two weeks before assignment only (no effect: it passes by itself);
 * - rise-drop: the rise, then a fifth of its first level from 办结 on (a real effect in either case).
 */
export type Scenario = 'none' | 'drop' | 'rise' | 'burst' | 'rise-drop';
export const ASSIGNED = '2026-04-01';
export const FINISHED = '2026-04-05';
export const AS_OF = '2026-05-31';
const RISE_FROM = addDays(ASSIGNED, -14);
const DAYS = 151;

function factor(s: Scenario, day: string): number {
  const rising = day >= RISE_FROM && (s === 'rise' || ((s === 'burst' || s === 'rise-drop') && day < FINISHED));
  if (rising) return 4;
  if ((s === 'drop' || s === 'rise-drop') && day >= FINISHED) return 0.2;
  return 1;
}

export async function plantCells(store: Store, scenario: Scenario, seed: number): Promise<void> {
  const r = rng(seed);
  const o: string[] = [];
  const p: string[] = [];
  let k = 0;
  for (let d = 0; d < DAYS; d++) {
    const day = addDays('2026-01-01', d);
    for (let c = 0; c < 12; c++) {
      const n = poisson((0.5 + 0.1 * (c % 4)) * (c === 0 ? factor(scenario, day) : 1), r);
      for (let i = 0; i < n; i++) {
        const id = `O${k++}`;
        o.push(
          `('${id}', '${day} 10:00:00'::TIMESTAMP, '城市管理/路灯照明', '城市管理', '城市管理/路灯照明', '路灯不亮', 1, 1, 1, now()::TIMESTAMP)`,
        );
        p.push(`('${id}', 'C${c}', 'G${c}', '东区', '甲街道', 'point', 'inside', 1)`);
      }
    }
  }
  await store.exec(
    `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, row_hash, first_seq, seq, loaded_at) VALUES ${o.join(',')}`,
  );
  await store.exec(
    `INSERT INTO order_places (order_id, cell, grid_id, district, street, match, coord_status, seq) VALUES ${p.join(',')}`,
  );
  await store.exec(
    `INSERT INTO order_flags (order_id, is_repeat, out_of_scope, seq) SELECT order_id, false, false, 1 FROM orders`,
  );
  await store.exec(
    `INSERT INTO assignments (item_id, source, item_type, level, as_of, category, cell, grid_id, district, street, title, evidence, lead_unit, co_units,
       assigned_at, deadline, status, status_at, acknowledged_at, finished_at)
     VALUES ('H-c0', 'hotspot', 'facility', 'grid', $a::DATE, '城市管理/路灯照明', 'C0', 'G0', '东区', '甲街道', 't', $ev::JSON, '市城市管理委员会', [],
       $a::TIMESTAMP, $f::TIMESTAMP, '办结', $f::TIMESTAMP, $a::TIMESTAMP, $f::TIMESTAMP)`,
    { a: ASSIGNED, f: FINISHED, ev: JSON.stringify({ window_start: addDays(ASSIGNED, -28), window_end: ASSIGNED }) },
  );
}

/** Empties what plantCells wrote, so one store serves many runs. */
export async function clearCells(store: Store): Promise<void> {
  for (const t of ['effects', 'scorecard', 'assignments', 'order_flags', 'order_places', 'orders'])
    await store.exec(`DELETE FROM ${t}`);
}
