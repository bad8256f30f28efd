import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { effectStage } from '../../src/assign/effect-stage.js';
import type { Store } from '../../src/store/db.js';
import { AS_OF, plantCells } from './effect-cells.js';

let store: Store;
let cleanup: () => void;
beforeEach(async () => ({ store, cleanup } = await tempStore()));
afterEach(() => cleanup());

interface Row {
  effect: number;
  significant: boolean;
  pre_start: string;
  details: string;
}

async function cellsRow(): Promise<Row & { d: Record<string, { lo: number; hi: number }> & { baseline: string } }> {
  await effectStage.run(testContext(store, AS_OF));
  const row = await store.one<Row>(
    `SELECT effect, significant, CAST(pre_start AS VARCHAR) AS pre_start, CAST(details AS VARCHAR) AS details
     FROM effects WHERE measure = 'cells'`,
  );
  expect(row).toBeDefined();
  return { ...row!, d: JSON.parse(row!.details) };
}

describe('effect of an item assigned because its place rose', () => {
  it('claims no effect when the rise began two weeks before assignment and went on', async () => {
    await plantCells(store, 'rise', 3);
    const row = await cellsRow();
    // the baseline ends where the 28-day evidence window began: 8 weeks before 2026-03-04
    expect(row.pre_start).toBe('2026-01-07');
    // against the level before the rise alone the continuing rise reads as a clear increase …
    expect(row.d.before_trigger.lo).toBeGreaterThan(0);
    // … but the rise was there before the action, so no change is claimed
    expect(row.significant).toBe(false);
  });

  it('claims no effect when a burst before assignment passed by itself', async () => {
    await plantCells(store, 'burst', 4);
    const row = await cellsRow();
    expect(row.d.trigger.hi).toBeLessThan(0);
    expect(row.significant).toBe(false);
  });

  it('still finds a real drop below the level before the rise', async () => {
    await plantCells(store, 'rise-drop', 5);
    const row = await cellsRow();
    expect(row.significant).toBe(true);
    expect(row.effect).toBeLessThan(0);
  });

  it('withholds the effect when the store begins less than 4 weeks before the evidence window', async () => {
    await plantCells(store, 'rise-drop', 5);
    // the store's first day (daily_counts): 2026-02-20, two weeks before the window that began on 2026-03-04
    await store.exec(
      `INSERT INTO daily_counts (day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed)
       VALUES ('2026-02-20', '城市管理', '城市管理/路灯照明', '东区', '甲街道', 1, 0, 0, 0, 0)`,
    );
    const summary = await effectStage.run(testContext(store, AS_OF));
    expect(summary).toMatchObject({ subjects: 1, measured: 0, withheld: 1, pending: 0 });
    expect(await store.value<number>(`SELECT count(*) FROM effects`)).toBe(0);
  });
});
