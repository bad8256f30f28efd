/**
 * node --import tsx bench/alerts-burst.ts — what the burst rule (detect.burst: a series under spike's volume gate
 * alarms when its week holds ≥ minCount orders at a Bonferroni level over the series under the gate) adds on a store:
 * every weekly as-of in [BENCH_FROM, BENCH_TO], the count alerts with the rule and without it (familyAlpha 0), and
 * each burst alert with its last 9 weeks newest first, so one can judge whether it is a real burst (docs/detect.md).
 *
 * Env: BENCH_DB (a store, opened read-only; skipped with a message when absent), BENCH_CONFIG (a config file;
 * default: the one the store remembers), BENCH_FROM, BENCH_TO (Mondays), BENCH_DETECT (a `detect` section as JSON).
 * Real exports used: Boston 311 (/tmp/bos/b.duckdb built per docs/detect.md), 人民网 rm-gas (bench/real-mappings).
 */
import { existsSync } from 'node:fs';
import { Store } from '../src/store/db.js';
import { configFrom, loadConfig } from '../src/store/config.js';
import { rememberedConfig } from '../src/cli/env.js';
import { addDays } from '../src/store/dates.js';
import { decideCountAlerts, runCountTests } from '../src/detect/compute.js';
import type { Alert } from '../src/detect/alert.js';

const key = (a: Alert) => `${a.kind}|${a.category}|${a.scope.level}|${a.scope.name}`;

async function main(): Promise<void> {
  const { BENCH_DB: db, BENCH_FROM: from, BENCH_TO: to } = process.env;
  if (!db || !existsSync(db)) {
    console.log(`burst bench skipped: store ${db ?? '(BENCH_DB unset)'} not found`);
    return;
  }
  if (!from || !to) throw new Error('set BENCH_FROM and BENCH_TO (Mondays)');
  const store = await Store.open(db, { readOnly: true });
  const base = loadConfig(process.env.BENCH_CONFIG ?? (await rememberedConfig(store)));
  const detect = { ...JSON.parse(process.env.BENCH_DETECT ?? '{}'), newTopic: { enabled: false } };
  const raw = base.raw as Record<string, unknown> & { detect?: Record<string, unknown> };
  const on = configFrom({ ...raw, detect: { ...raw.detect, ...detect } }, base.baseDir);
  const off = configFrom({ ...raw, detect: { ...raw.detect, ...detect, burst: { familyAlpha: 0 } } }, base.baseDir);
  let bursts = 0;
  let primary = 0;
  let withRule = 0;
  let without = 0;
  let tested = 0;
  let weeks = 0;
  for (let asOf = from; asOf <= to; asOf = addDays(asOf, 7)) {
    const tests = await runCountTests(store, asOf, on);
    const a = decideCountAlerts(tests, on);
    const offAlerts = decideCountAlerts(tests, off);
    const b = new Set(offAlerts.map(key));
    withRule += a.length;
    without += offAlerts.length;
    tested += tests.tested.length;
    weeks++;
    const ys = new Map(tests.results.spike.map((r) => [r.series.key, r.series.y]));
    for (const x of a.filter((x) => x.details.significance === 'burst')) {
      bursts++;
      if (x.details.primary) primary++;
      const s = tests.results.spike.find(
        (r) => r.series.category === x.category && r.series.scopeName === x.scope.name && r.extra.below_gate === 1,
      );
      const y = s ? Array.from(ys.get(s.series.key)!.slice(0, 9)).join(' ') : '';
      const also = b.has(key(x)) ? '' : ' (new)';
      console.log(
        `${asOf} burst${also} ${x.category} @ ${x.scope.name}: ${x.observed} vs ${x.expected}, p ${x.p_value!.toExponential(2)}, q ${x.q_value!.toExponential(2)} (${tests.belowGate} under the gate), primary ${String(x.details.primary)}; weeks ${y}`,
      );
    }
  }
  console.log(
    `${weeks} weekly runs, ${tested} series tested in all: count alerts ${without} without the rule, ${withRule} with it; ${bursts} burst alerts (${primary} primary)`,
  );
  store.close();
}

await main();
