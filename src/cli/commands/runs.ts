import type { Command } from 'commander';
import { reapStaleRuns } from '../../pipeline/runner.js';
import { sql } from '../../store/sql.js';
import { padWide } from '../../forecast/format.js';
import { cityTimeZone } from '../../store/config.js';
import { localDateTime, localInstant } from '../../store/dates.js';
import { withStore } from '../env.js';
import { countZh, stageZh } from '../stage-words.js';
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

/** One figure per stage, its first count (orders tagged, alerts written, items made …): `标签 3000 件工单 · 上升预警 12 条预警`. */
export function summariseCounts(counts: StageCountsByStage | null): string {
  if (!counts) return '';
  return Object.entries(counts)
    .map(([stage, c]) => {
      const first = Object.entries(c ?? {}).find(([, v]) => typeof v === 'number');
      return first ? `${stageZh(stage)} ${countZh(first[0], first[1] as number)}` : stageZh(stage);
    })
    .join(' · ');
}

/** A store time ('YYYY-MM-DD HH:MM:SS' on the store's clock) on the city's clock, as the report footer gives it. */
export function onCityClock(stored: string, storeZone: string, cityZone: string): string {
  if (storeZone === cityZone) return stored.slice(0, 19);
  const [h, m, sec] = stored.slice(11, 19).split(':').map(Number);
  const at = localInstant(stored.slice(0, 10), h, m, storeZone).getTime() + (sec || 0) * 1000;
  return localDateTime(new Date(at), cityZone);
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
        // the table is read on the city's clock (the JSON keeps the store's times and names its zone)
        const city = cityTimeZone(env.config);
        env.say(`运行记录，最新的在前（时间为 ${city}）`);
        env.say(
          `${padWide('开始时间', 19)}  ${padWide('任务', 8)} ${padWide('截至日期', 10)}  ${padWide('状态', 6)} ${padWide('用时(秒)', 8)}  各步骤数量`,
        );
        for (const r of runs) {
          env.say(
            `${onCityClock(r.started_at, timezone ?? city, city)}  ${r.pipeline.padEnd(8)} ${r.as_of}  ${padWide(statusZh(r.status), 6)} ${String(r.seconds).padStart(8)}  ${r.error ? r.error.split('\n')[0] : summariseCounts(r.counts)}`,
          );
        }
      });
    });
}
