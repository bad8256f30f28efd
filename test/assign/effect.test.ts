import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { effectStage } from '../../src/assign/effect-stage.js';
import { mulberry32 as rng } from '../../src/stats/random.js';
import { addDays } from '../../src/store/dates.js';
import type { Store } from '../../src/store/db.js';

let store: Store;
let cleanup: () => void;
beforeEach(async () => ({ store, cleanup } = await tempStore()));
afterEach(() => cleanup());

const CAT = '城乡建设/供暖';
const STREETS = Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
const TREATED = ['S01', 'S02', 'S03'];
const ACTION_START = '2026-03-01';
const ACTION_END = '2026-03-15';

function poisson(lambda: number, r: () => number): number {
  // Knuth; lambdas here are small
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

/**
 * Daily counts for 12 streets with their own levels and a shared seasonal decline (the heating season ending),
 * where the treated streets drop by `effect` (and their repeat share halves) after the action ended.
 */
async function plant(effect: number, seed: number): Promise<void> {
  const r = rng(seed);
  const values: string[] = [];
  for (let d = 0; d < 140; d++) {
    const day = addDays('2026-01-01', d);
    const season = 1.4 - 0.6 * (d / 140);
    for (const [i, s] of STREETS.entries()) {
      const base = 2 + (i % 6) * 0.6;
      const after = TREATED.includes(s) && day >= ACTION_END;
      const n = poisson(base * season * (after ? 1 + effect : 1), r);
      let rep = 0;
      for (let k = 0; k < n; k++) if (r() < (after && effect !== 0 ? 0.1 : 0.2)) rep++;
      values.push(`('${day}', '城乡建设', '${CAT}', '东区', '${s}', ${n}, ${rep}, 0, 0, 0)`);
    }
  }
  await store.exec(
    `INSERT INTO daily_counts (day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed) VALUES ${values.join(',')}`,
  );
  for (const s of TREATED) {
    await store.exec(
      `INSERT INTO assignments (item_id, source, item_type, level, as_of, month, category, district, street, title, evidence, lead_unit, co_units,
         assigned_at, deadline, status, status_at, acknowledged_at, finished_at, verified_at)
       VALUES ($id, 'topic', 'topic', 'street', $a0::DATE, '2026-03', $cat, '东区', $s, 't', '{}', '市城市管理委员会', [],
         $a0::TIMESTAMP, '2026-04-01'::TIMESTAMP, '核验', $a1::TIMESTAMP, $a0::TIMESTAMP + INTERVAL 3 HOUR, $a1::TIMESTAMP, $a1::TIMESTAMP + INTERVAL 1 DAY)`,
      { id: 'T-' + s, a0: ACTION_START, a1: ACTION_END, cat: CAT, s },
    );
  }
}

interface Eff {
  measure: string;
  effect_pct: number;
  pct_lo: number;
  pct_hi: number;
  significant: boolean;
  treated_n: number;
  control_n: number;
  weeks_post: number;
  summary: string;
}

describe('effect (difference in differences)', () => {
  it('recovers a planted 40% decline within its interval, and a halved repeat share', async () => {
    await plant(-0.4, 7);
    const counts = await effectStage.run(testContext(store, '2026-05-10'));
    expect(counts.measured).toBe(1);
    const rows = await store.all<Eff>(`SELECT * FROM effects WHERE as_of = '2026-05-10' ORDER BY measure`);
    const cat = rows.find((r) => r.measure === 'category')!;
    expect(cat.treated_n).toBe(3);
    expect(cat.control_n).toBeGreaterThanOrEqual(5);
    expect(cat.weeks_post).toBe(8);
    expect(cat.pct_lo).toBeLessThan(-0.4);
    expect(cat.pct_hi).toBeGreaterThan(-0.4);
    expect(Math.abs(cat.effect_pct + 0.4)).toBeLessThan(0.12);
    expect(cat.significant).toBe(true);
    expect(cat.summary).toContain('下降');
    // repeats: 0.6 × half the share = −70%
    const rep = rows.find((r) => r.measure === 'repeat')!;
    expect(rep.pct_lo).toBeLessThan(-0.7);
    expect(rep.pct_hi).toBeGreaterThan(-0.7);

    const sc = await store.one<Record<string, number>>(
      `SELECT * FROM scorecard WHERE as_of = '2026-05-10' AND unit = '市城市管理委员会'`,
    );
    expect(sc).toMatchObject({
      month: '2026-03',
      assigned: 3,
      acknowledged_on_time: 3,
      returned_on_time: 3,
      checked_on_time: 3,
      finished: 3,
      verified: 3,
      overdue: 0,
      open: 0,
      effects_n: 1,
      significant_declines: 1,
    });
    expect(sc!.decline_pct).toBeCloseTo(cat.effect_pct, 10);
    // one item: its error is the item's own, read back from its interval
    expect(sc!.decline_se).toBeCloseTo((cat.pct_hi - cat.effect_pct) / 1.96, 2);
  });

  it('finds no effect where none was planted (the interval covers 0), despite the shared seasonal decline', async () => {
    await plant(0, 11);
    await effectStage.run(testContext(store, '2026-05-10'));
    const cat = await store.one<Eff>(`SELECT * FROM effects WHERE measure = 'category'`);
    expect(cat!.pct_lo).toBeLessThan(0);
    expect(cat!.pct_hi).toBeGreaterThan(0);
    expect(cat!.significant).toBe(false);
  });

  it('measures a topic once most of its items are finished, on the finished streets, keeping the open one out', async () => {
    await plant(-0.4, 7);
    // a fourth street of the topic still open: 3 of 4 finished is below the default 80 %
    await store.exec(
      `INSERT INTO assignments (item_id, source, item_type, level, as_of, month, category, district, street, title, evidence, lead_unit, co_units,
         assigned_at, deadline, status, status_at)
       VALUES ('T-S07', 'topic', 'topic', 'street', '2026-03-01', '2026-03', $cat, '东区', 'S07', 't', '{}', '市城市管理委员会', [],
         '2026-03-01'::TIMESTAMP, '2026-04-01'::TIMESTAMP, '交办', '2026-03-01'::TIMESTAMP)`,
      { cat: CAT },
    );
    expect((await effectStage.run(testContext(store, '2026-05-10'))).measured).toBe(0);
    expect(await store.value<number>(`SELECT count(*) FROM effects WHERE subject_kind = 'topic'`)).toBe(0);
    const counts = await effectStage.run(
      testContext(store, '2026-05-10', { assign: { effect: { minFinishedShare: 0.75 } } }),
    );
    expect(counts.measured).toBe(1);
    const cat = await store.one<Eff & { details: string }>(
      `SELECT *, details::VARCHAR AS details FROM effects WHERE measure = 'category'`,
    );
    const details = JSON.parse(cat!.details) as {
      treated: string[];
      controls: string[];
      open_items: number;
      items: number;
    };
    expect(details.treated.sort()).toEqual(['东区/S01', '东区/S02', '东区/S03']);
    expect(details.controls).not.toContain('东区/S07');
    expect(details).toMatchObject({ open_items: 1, items: 4 });
    expect(cat!.significant).toBe(true);
  });

  it('waits for enough weeks after the action, and re-runs leave the same rows', async () => {
    await plant(-0.4, 7);
    const early = await effectStage.run(testContext(store, '2026-03-25'));
    expect(early.pending).toBe(1);
    expect(await store.value<number>(`SELECT count(*) FROM effects`)).toBe(0);
    await effectStage.run(testContext(store, '2026-05-10'));
    const first = await store.all(`SELECT measure, effect, effect_lo, effect_hi FROM effects ORDER BY measure`);
    await effectStage.run(testContext(store, '2026-05-10'));
    expect(await store.all(`SELECT measure, effect, effect_lo, effect_hi FROM effects ORDER BY measure`)).toEqual(
      first,
    );
    expect(await store.value<number>(`SELECT count(*) FROM scorecard WHERE as_of = '2026-05-10'`)).toBe(1);
  });
});

describe('effect of a hotspot item (cells)', () => {
  it('measures the treated cell against comparable untreated cells of the same category', async () => {
    const r = rng(5);
    const o: string[] = [];
    const p: string[] = [];
    const f: string[] = [];
    let k = 0;
    for (let d = 0; d < 120; d++) {
      const day = addDays('2026-01-01', d);
      for (let c = 0; c < 10; c++) {
        const cell = `C${c}`;
        const n =
          poisson(1.5 + (c % 4) * 0.3, r) * (cell === 'C0' && day >= '2026-03-05' ? 0 : 1) +
          (cell === 'C0' && day >= '2026-03-05' ? poisson(1.5 * 0.5, r) : 0);
        for (let i = 0; i < n; i++) {
          const id = `O${k++}`;
          o.push(
            `('${id}', '${day} 10:00:00'::TIMESTAMP, '城市管理/路灯照明/路灯不亮', '城市管理', '城市管理/路灯照明', '路灯不亮', 1, 1, 1, now()::TIMESTAMP)`,
          );
          p.push(`('${id}', '${cell}', 'G${c}', '东区', '甲街道', 'point', 'inside', 1)`);
          f.push(`('${id}', false, false, 1)`);
        }
      }
    }
    await store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, row_hash, first_seq, seq, loaded_at) VALUES ${o.join(',')}`,
    );
    await store.exec(
      `INSERT INTO order_places (order_id, cell, grid_id, district, street, match, coord_status, seq) VALUES ${p.join(',')}`,
    );
    await store.exec(`INSERT INTO order_flags (order_id, is_repeat, out_of_scope, seq) VALUES ${f.join(',')}`);
    await store.exec(
      `INSERT INTO assignments (item_id, source, item_type, level, as_of, category, cell, grid_id, district, street, title, evidence, lead_unit, co_units,
         assigned_at, deadline, status, status_at, acknowledged_at, finished_at)
       VALUES ('H-c0', 'hotspot', 'facility', 'grid', '2026-03-01', '城市管理/路灯照明', 'C0', 'G0', '东区', '甲街道', 't', '{}', '市城市管理委员会', [],
         '2026-03-01 00:00:00', '2026-03-02 00:00:00', '办结', '2026-03-05 00:00:00', '2026-03-01 05:00:00', '2026-03-05 00:00:00')`,
    );
    await effectStage.run(testContext(store, '2026-04-30'));
    const cells = await store.one<Eff>(`SELECT * FROM effects WHERE subject_id = 'H-c0' AND measure = 'cells'`);
    expect(cells).toBeDefined();
    expect(cells!.treated_n).toBe(1);
    expect(cells!.control_n).toBeGreaterThanOrEqual(5);
    expect(cells!.pct_lo).toBeLessThan(-0.5);
    expect(cells!.pct_hi).toBeGreaterThan(-0.5);
    expect(cells!.significant).toBe(true);
    // returned late (finished after the 24 h deadline): counted overdue, not on time
    const sc = await store.one<Record<string, number>>(`SELECT * FROM scorecard WHERE as_of = '2026-04-30'`);
    expect(sc).toMatchObject({
      assigned: 1,
      acknowledged_on_time: 1,
      returned_on_time: 0,
      overdue: 1,
      finished: 1,
      effects_n: 1,
    });
  });
});
