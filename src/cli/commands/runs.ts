import type { Command } from 'commander';
import { reapStaleRuns } from '../../pipeline/runner.js';
import { sql } from '../../store/sql.js';
import { withStore } from '../env.js';

interface RunRow {
  run_id: string;
  pipeline: string;
  as_of: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  seconds: number;
  counts: string | null;
  error: string | null;
}

type StageCountsByStage = Record<string, Record<string, number | string>>;

/** One figure per stage, its first count (orders tagged, alerts written, items made …): `tag 3000 · alerts 12`. */
export function summariseCounts(counts: StageCountsByStage | null): string {
  if (!counts) return '';
  return Object.entries(counts)
    .map(([stage, c]) => {
      const first = Object.entries(c ?? {}).find(([, v]) => typeof v === 'number');
      return first ? `${stage} ${first[1]} ${first[0]}` : stage;
    })
    .join(' · ');
}

export function register(program: Command): void {
  program
    .command('runs')
    .description('任务运行记录：用时和各步骤数量')
    .option('--limit <n>', '列出多少次运行', '20')
    .option('--pipeline <name>', '只看这个任务')
    .action(async (opts: { limit: string; pipeline?: string }, cmd: Command) => {
      await withStore(cmd, async (env) => {
        await reapStaleRuns(env.store);
        const rows = await env.store.all<RunRow>(sql('pipeline/runs_history.sql'), {
          pipeline: opts.pipeline ?? null,
          limit: Number(opts.limit),
        });
        const runs = rows.map((r) => ({
          ...r,
          counts: r.counts ? (JSON.parse(r.counts) as StageCountsByStage) : null,
        }));
        // the store writes its times in its own zone (Store.open sets it), whatever the machine's
        const timezone = await env.store.value<string>("SELECT current_setting('TimeZone')");
        if (env.json) return env.emit({ timezone, runs });
        if (!runs.length) return env.say('no runs yet');
        env.say(`runs, newest first (times in ${timezone})`);
        env.say(`${'started'.padEnd(19)}  pipeline as of        status      seconds  counts`);
        for (const r of runs) {
          env.say(
            `${r.started_at.slice(0, 19)}  ${r.pipeline.padEnd(8)} ${r.as_of}  ${r.status.padEnd(11)} ${String(r.seconds).padStart(7)}  ${r.error ? r.error.split('\n')[0] : summariseCounts(r.counts)}`,
          );
        }
      });
    });
}
