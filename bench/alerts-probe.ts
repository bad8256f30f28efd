/**
 * node --import tsx bench/alerts-probe.ts — every count test of the series whose key matches a pattern, at given
 * as-ofs, as the backtest runs them (observed, expected, p, dispersion, the kind's numbers, the last 9 weeks newest
 * first): where a catch another method makes sits for weisu (docs/detect.md, fifth round).
 *
 * Env: BENCH_DB (a store, read-only), BENCH_CITY (the generated city folder, for its name in truth.json), BENCH_AS_OFS
 * (comma-separated dates), BENCH_SERIES (a regular expression over series keys 'level|category|scope|place'),
 * BENCH_DETECT (a `detect` config section as JSON, e.g. '{"minExpectedWeek":0.3}' to see series under the gate).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../src/store/db.js';
import { configFrom } from '../src/store/config.js';
import { runCountTests } from '../src/detect/compute.js';
import { COUNT_KINDS, type TestResult } from '../src/detect/kinds.js';
import type { Truth } from '../src/synth/truth.js';

function line(asOf: string, r: TestResult): string {
  const extra = Object.fromEntries(Object.entries(r.extra).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  return [
    asOf,
    r.kind,
    r.series.key,
    `observed ${r.observed}`,
    `expected ${r.expected.toFixed(2)}`,
    `p ${r.p.toExponential(2)}`,
    `dispersion ${r.phi.toFixed(3)}`,
    JSON.stringify(extra),
    `weeks ${Array.from(r.series.y.slice(0, 9)).join(' ')}`,
  ].join('  ');
}

async function main(): Promise<void> {
  const { BENCH_DB: db, BENCH_CITY: city, BENCH_AS_OFS: asOfs, BENCH_SERIES: pattern } = process.env;
  if (!db || !city || !asOfs || !pattern) {
    console.error('set BENCH_DB, BENCH_CITY, BENCH_AS_OFS (dates) and BENCH_SERIES (a pattern over series keys)');
    process.exit(2);
  }
  const truth = JSON.parse(readFileSync(join(city, 'truth.json'), 'utf8')) as Truth;
  const detect = { ...JSON.parse(process.env.BENCH_DETECT ?? '{}'), newTopic: { enabled: false } };
  const config = configFrom({ city: { name: truth.city }, detect });
  const re = new RegExp(pattern);
  const store = await Store.open(db, { readOnly: true });
  for (const asOf of asOfs.split(',')) {
    const tests = await runCountTests(store, asOf, config);
    for (const kind of COUNT_KINDS)
      for (const r of tests.results[kind]) if (re.test(r.series.key)) console.log(line(asOf, r));
  }
  store.close();
}

await main();
