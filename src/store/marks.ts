import type { Store } from './db.js';
import { sql } from './sql.js';

/** The highest orders.seq the stage has processed (0 when it never ran). */
export async function getMark(store: Store, stage: string): Promise<number> {
  return (await store.value<number>('SELECT seq FROM stage_marks WHERE stage = $stage', { stage })) ?? 0;
}

/** Record that the stage has processed every order in the store. */
export async function setMark(store: Store, stage: string): Promise<void> {
  await store.script(sql('store/stage_mark.sql'), { stage });
}

/** Forget the mark so the next run recomputes everything (full rebuild). */
export async function resetMark(store: Store, stage: string): Promise<void> {
  await store.exec('DELETE FROM stage_marks WHERE stage = $stage', { stage });
}
