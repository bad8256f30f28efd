// A nightly on a machine whose clock is behind the exports: ingest quarantines every order as dated in the future and
// records the files as ingested, so once the clock is right they are never read again. Measured on an unseen city
// with the clock at 2026-11-28 and the drop holding 2026-12-01 … 12-05: 176 of 176 rows quarantined, the run "ok",
// exit 0; after the clock was fixed the files were skipped and the orders stayed out of the store.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestDropStage } from '../../src/ingest/drop-stage.js';
import { withClockGuard } from '../../src/pipeline/clock-guard.js';
import { runJob } from '../../src/pipeline/job.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import type { Stage } from '../../src/store/stage.js';
import { Store } from '../../src/store/db.js';
import { addDays, todayLocal } from '../../src/store/dates.js';
import { createLogger } from '../../src/store/log.js';
import { tempDir, testConfig } from '../helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const HEADER = '工单编号,受理时间,诉求分类,诉求内容';
const night: Pipeline = {
  name: 'nightly',
  description: '',
  cron: '30 2 * * *',
  stages: [withClockGuard(ingestDropStage)],
};

/** A drop folder with `future` orders dated ten days ahead of the clock and `past` orders of yesterday. */
function drop(dir: string, name: string, future: number, past: number): void {
  const ahead = addDays(todayLocal(), 10);
  const yesterday = addDays(todayLocal(), -1);
  const rows = [
    ...Array.from({ length: future }, (_, i) => `F${name}${i},${ahead} 09:00:00,城乡建设/道路,路灯不亮`),
    ...Array.from({ length: past }, (_, i) => `P${name}${i},${yesterday} 09:00:00,城乡建设/道路,路灯不亮`),
  ];
  writeFileSync(join(dir, `${name}.csv`), [HEADER, ...rows].join('\n') + '\n');
}

async function setup(): Promise<{ db: string; folder: string; opts: Parameters<typeof runJob>[2] }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const folder = join(t.dir, 'drop');
  mkdirSync(folder);
  const db = join(t.dir, 'c.duckdb');
  (await Store.open(db)).close();
  const config = testConfig({ dropFolder: folder });
  return { db, folder, opts: { dbPath: db, config, log: createLogger(), outDir: t.dir, retries: 0 } };
}

async function counts(db: string): Promise<{ orders: number; files: number }> {
  const s = await Store.open(db);
  try {
    const orders = Number(await s.value('SELECT count(*) FROM orders'));
    const files = Number(await s.value('SELECT count(*) FROM ingested_files'));
    return { orders, files };
  } finally {
    s.close();
  }
}

describe('a nightly whose new rows are mostly dated after tomorrow', () => {
  it('fails in one line naming the clock, loads and records nothing, and reads the files again next time', async () => {
    const { db, folder, opts } = await setup();
    drop(folder, 'a', 8, 2);
    const r = await runJob(night, todayLocal(), opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /^ingest: 新文件的 10 行中有 8 行受理时间晚于 \d{4}-\d\d-\d\d（首个：.*a\.csv 第 \d+ 行（.+）.*时钟是否慢了/,
    );
    expect(r.error).not.toMatch(/\n/);
    expect(await counts(db)).toEqual({ orders: 0, files: 0 });
    // not recorded as ingested: the same files are read on the next run (here still failing, the clock unchanged)
    const again = await runJob(night, todayLocal(), opts);
    expect(again.error).toMatch(/10 行中有 8 行/);
  });

  it('still fires when the reason text is reworded: it reads the reason code, not the words', async () => {
    const { db, folder, opts } = await setup();
    drop(folder, 'c', 8, 2);
    // the reasons as a translation or a rewording would leave them, before the guard looks
    const reworded: Stage = {
      ...ingestDropStage,
      async run(ctx) {
        const counts = await ingestDropStage.run(ctx);
        await ctx.store.exec("UPDATE quarantine SET reason = 'Created after the accepted date range', field = NULL");
        return counts;
      },
    };
    const r = await runJob({ ...night, stages: [withClockGuard(reworded)] }, todayLocal(), opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /^ingest: 新文件的 10 行中有 8 行受理时间晚于 \d{4}-\d\d-\d\d（首个：.*c\.csv 第 \d+ 行（Created after/,
    );
    expect(await counts(db)).toEqual({ orders: 0, files: 0 });
  });

  it('keeps a few future-dated rows among many as ordinary quarantine', async () => {
    const { db, folder, opts } = await setup();
    drop(folder, 'b', 2, 8);
    const r = await runJob(night, todayLocal(), opts);
    expect(r.status, r.error).toBe('ok');
    expect(r.counts.ingest).toMatchObject({ read: 10, loaded: 8, quarantined: 2 });
    expect(await counts(db)).toEqual({ orders: 8, files: 1 });
  });
});
