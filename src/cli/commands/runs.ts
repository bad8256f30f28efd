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

export function register(program: Command): void {
  program
    .command('runs')
    .description('history of pipeline runs with durations and counts')
    .option('--limit <n>', 'how many runs', '20')
    .option('--pipeline <name>', 'only this pipeline')
    .action(async (opts: { limit: string; pipeline?: string }, cmd: Command) => {
      await withStore(cmd, async (env) => {
        await reapStaleRuns(env.store);
        const rows = await env.store.all<RunRow>(sql('pipeline/runs_history.sql'), {
          pipeline: opts.pipeline ?? null,
          limit: Number(opts.limit),
        });
        const runs = rows.map((r) => ({ ...r, counts: r.counts ? (JSON.parse(r.counts) as unknown) : null }));
        if (env.json) return env.emit({ runs });
        if (!runs.length) return env.say('no runs yet');
        for (const r of runs) {
          env.say(
            `${r.started_at.slice(0, 19)}  ${r.pipeline.padEnd(8)} as of ${r.as_of}  ${r.status.padEnd(11)} ${String(r.seconds).padStart(7)}s  ${r.error ?? ''}`,
          );
        }
      });
    });
}
