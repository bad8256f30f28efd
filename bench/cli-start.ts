/**
 * npm run bench:cli — what a command costs before it does any work: wall and CPU seconds and peak memory of
 * `weisu --help`, `weisu runs` and `weisu health` on a small store, medians of several runs (target < 0.5 s).
 *
 *   WEISU_BENCH_RUNS=7   runs per command (median reported)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/store/paths.js';
import { tempDir } from '../test/helpers.js';

const RUNS = Number(process.env.WEISU_BENCH_RUNS ?? 7);
const BIN = join(packageRoot, 'bin', 'weisu.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Sample {
  wall: number;
  cpu: number;
  rssMb: number;
}

/** One run under GNU time's format: elapsed, user + system seconds, peak resident KB. */
function sample(args: string[]): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, BIN, ...args], { encoding: 'utf8' });
  const [wall, user, sys, kb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: kb / 1024 };
}

const tmp = tempDir('weisu-bench-cli-');
try {
  const db = join(tmp.dir, 'bench.duckdb');
  spawnSync(process.execPath, [
    BIN,
    '--db',
    db,
    '-q',
    'ingest',
    join(packageRoot, 'test/fixtures/ingest/canonical.csv'),
  ]);
  spawnSync(process.execPath, [BIN, '--db', db, '-q', 'run', 'nightly', '--as-of', '2026-01-02']);
  console.log(`command start-up, median of ${RUNS} runs (target < 0.5 s)`);
  for (const args of [['--help'], ['--db', db, 'runs'], ['--db', db, 'health']]) {
    const runs = Array.from({ length: RUNS }, () => sample(args));
    const m = (k: keyof Sample) => median(runs.map((r) => r[k]));
    const label = args.filter((a) => a !== db && a !== '--db').join(' ');
    console.log(
      `  weisu ${label.padEnd(8)} wall ${m('wall').toFixed(2)} s  cpu ${m('cpu').toFixed(2)} s  peak ${m('rssMb').toFixed(0)} MB`,
    );
  }
} finally {
  tmp.cleanup();
}
