/**
 * A missing export on a real 311 export: Boston 311 2015 (WEISU_REALDATA, default /work/realdata; nothing of it is
 * committed) is loaded twice, once whole and once without three weekdays of orders (an export that was not loaded),
 * and the alerts of the runs that see the hole are compared: the alerts the hole adds are its doing.
 *   nice -n 10 npx tsx bench/alerts-missing-days.ts [hole first day, default 2015-10-14] [days, default 3]
 * Skips with a message when the export is absent. Runs with whatever detection code is checked out, so the same
 * command on an earlier commit gives that commit's figure.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateStage } from '../src/aggregate/stage.js';
import type { Alert } from '../src/detect/alert.js';
import { detectAlerts } from '../src/detect/compute.js';
import { configFrom } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { loadBoston } from './boston-store.js';

const ROOT = process.env.WEISU_REALDATA ?? '/work/realdata';
const SOURCE = join(ROOT, 'boston311-2015', 'cartoDB_data');
const HOLE_START = process.argv[2] ?? '2015-10-14';
const HOLE_DAYS = Number(process.argv[3] ?? 3);
const log = createLogger({ bench: true });

async function build(dir: string): Promise<string> {
  const file = join(dir, 'whole.duckdb');
  const store = await Store.open(file);
  const ctx = await loadBoston(store, SOURCE, dir, log);
  await store.tx(() => aggregateStage.run(ctx));
  store.close();
  return file;
}

const key = (a: Alert) => `${a.kind} ${a.category} @ ${a.scope.name}`;

async function main(): Promise<void> {
  if (!existsSync(SOURCE)) {
    console.log(`alerts-missing-days: skipped, ${SOURCE} is absent (WEISU_REALDATA)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'weisu-bench-missing-'));
  try {
    const whole = await build(dir);
    const holed = join(dir, 'hole.duckdb');
    copyFileSync(whole, holed);
    const hole = await Store.open(holed);
    const last = addDays(HOLE_START, HOLE_DAYS);
    await hole.exec('DELETE FROM orders WHERE created_at >= $a::DATE AND created_at < $b::DATE', {
      a: HOLE_START,
      b: last,
    });
    for (const t of ['daily_counts', 'daily_leaf_counts'])
      await hole.exec(`DELETE FROM ${t} WHERE day >= $a::DATE AND day < $b::DATE`, { a: HOLE_START, b: last });
    const full = await Store.open(whole);
    const config = configFrom({ city: { name: 'Boston' }, detect: { newTopic: { enabled: false } } });
    console.log(`Boston 311 2015, ${HOLE_DAYS} days from ${HOLE_START} removed`);
    let added = 0;
    let removed = 0;
    for (let i = 1; i <= 3; i++) {
      const asOf = addDays(HOLE_START, 7 * i - ((new Date(HOLE_START + 'T00:00:00Z').getUTCDay() + 6) % 7));
      const a = (await detectAlerts(full, asOf, config)).alerts.map(key);
      const h = (await detectAlerts(hole, asOf, config)).alerts;
      const hk = h.map(key);
      const plus = hk.filter((k) => !a.includes(k));
      const minus = a.filter((k) => !hk.includes(k));
      added += plus.length;
      removed += minus.length;
      const noted = h.filter((x) => x.details.missing_days !== undefined).length;
      console.log(
        `  as-of ${asOf}: whole ${a.length} alerts, with the hole ${h.length} (${noted} say missing_days); added ${plus.length}, removed ${minus.length}`,
      );
      for (const k of plus) console.log(`    + ${k}`);
      for (const k of minus) console.log(`    - ${k}`);
    }
    console.log(`three runs: the hole added ${added} alerts and removed ${removed}`);
    full.close();
    hole.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
