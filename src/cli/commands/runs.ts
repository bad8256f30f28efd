import type { Command } from 'commander';
import { reapStaleRuns } from '../../pipeline/runner.js';
import { sql } from '../../store/sql.js';
import { padWide } from '../../forecast/format.js';
import { withStore } from '../env.js';
import { statusZh } from '../words.js';

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
        if (!runs.length) return env.say('还没有运行记录');
        env.say(`运行记录，最新的在前（时间为 ${timezone}）`);
        env.say(
          `${padWide('开始时间', 19)}  ${padWide('任务', 8)} ${padWide('截至日期', 10)}  ${padWide('状态', 6)} ${padWide('用时(秒)', 8)}  各步骤数量`,
        );
        for (const r of runs) {
          env.say(
            `${r.started_at.slice(0, 19)}  ${r.pipeline.padEnd(8)} ${r.as_of}  ${padWide(statusZh(r.status), 6)} ${String(r.seconds).padStart(8)}  ${r.error ? r.error.split('\n')[0] : summariseCounts(r.counts)}`,
          );
        }
      });
    });
}
