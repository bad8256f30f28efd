import type { Command } from 'commander';
import { schedules } from '../../../pipelines/schedules.js';
import { dueDates } from '../../pipeline/catchup.js';
import { cronOf } from '../../pipeline/job.js';
import { reapStaleRuns } from '../../pipeline/runner.js';
import { cityTimeZone } from '../../store/config.js';
import { addDays, todayLocal } from '../../store/dates.js';
import { sql } from '../../store/sql.js';
import { withStore, type CliEnv } from '../env.js';
import { dataEnd } from '../../store/data-end.js';
import { UserError } from '../../store/errors.js';
import { placeholderPoints, placeQuality } from '../../spatial/stage.js';
import { placesHealth, placesLines } from '../placeholder-health.js';

interface LastRun {
  pipeline: string;
  run_id: string;
  status: string;
  as_of: string;
  started_at: string;
  error: string | null;
  last_ok_as_of: string | null;
}

interface PipelineCheck {
  pipeline: string;
  cron: string;
  ok: boolean;
  problem: string | null;
  last_status: string | null;
  last_as_of: string | null;
  last_ok_as_of: string | null;
  expected_as_of: string | null;
}

/** Each pipeline's last run: failed, interrupted, never run or overdue is a problem. */
async function pipelineChecks(env: CliEnv, graceHours: number): Promise<PipelineCheck[]> {
  const last = new Map((await env.store.all<LastRun>(sql('pipeline/last_runs.sql'))).map((r) => [r.pipeline, r]));
  const now = new Date();
  const graceAgo = new Date(now.getTime() - graceHours * 3_600_000);
  const zone = cityTimeZone(env.config);
  const today = todayLocal(now, zone);
  return Object.values(schedules).map((p) => {
    const cron = cronOf(p, env.config);
    // the latest as-of that should be done by now (due at least grace hours ago)
    const expected = dueDates(cron, addDays(today, -40), today, graceAgo, zone).at(-1) ?? null;
    const r = last.get(p.name);
    let problem: string | null = null;
    if (!r) problem = '从未运行';
    else if (r.status === 'failed' || r.status === 'interrupted')
      problem = `上次运行${r.status === 'failed' ? '失败' : '被中断'}：${r.error ?? ''}`;
    else if (expected && (!r.last_ok_as_of || r.last_ok_as_of < expected))
      problem = `已逾期：应有截至 ${expected} 的运行，最近一次成功截至 ${r.last_ok_as_of ?? '无'}`;
    return {
      pipeline: p.name,
      cron,
      ok: problem === null,
      problem,
      last_status: r?.status ?? null,
      last_as_of: r?.as_of ?? null,
      last_ok_as_of: r?.last_ok_as_of ?? null,
      expected_as_of: expected,
    };
  });
}

export function register(program: Command): void {
  program
    .command('health')
    .description('任务上次运行失败或该运行的没有运行时以非零码退出（用于监控）')
    .option('--grace-hours <h>', '到点后允许任务晚多少小时', '6')
    .option(
      '--max-placeholder-share <x>',
      '落在地理编码默认点上的工单超过有坐标工单的这一比例时报错（未超过只提示）',
      '0.5',
    )
    .action(async (opts: { graceHours: string; maxPlaceholderShare: string }, cmd: Command) => {
      const maxShare = Number(opts.maxPlaceholderShare);
      if (!(maxShare >= 0 && maxShare <= 1))
        throw new UserError(`--max-placeholder-share 应为 0 到 1 之间的数，收到的是 '${opts.maxPlaceholderShare}'`);
      await withStore(cmd, async (env) => {
        await reapStaleRuns(env.store);
        const checks = await pipelineChecks(env, Number(opts.graceHours));
        // runs that succeed on an export that stopped arriving are no health: the orders must reach the last nightly as-of
        const nightlyOk = checks.find((c) => c.pipeline === 'nightly')?.last_ok_as_of ?? null;
        const end = nightlyOk ? await dataEnd(env.store, nightlyOk) : null;
        // dataEnd moves the as-of back exactly when the data stopped (store/data-end.ts)
        const stale = end !== null && end.asOf < nightlyOk!;
        const data = {
          ok: !stale,
          last_order_day: end?.lastDay ?? null,
          missing_days: end?.missingDays ?? null,
          problem: stale
            ? `${end!.lastDay} 之后没有工单：截至 ${nightlyOk} 的夜间任务之前有 ${end!.missingDays} 天没有任何工单（导出是否已停止？）`
            : null,
        };
        // points that name no place: a warning per point; a failure only when they hold most located orders
        const places = placesHealth(
          await placeQuality(env.store),
          await placeholderPoints(env.store, 1_000_000),
          maxShare,
        );
        const ok = checks.every((c) => c.ok) && data.ok && places.ok;
        if (env.json) env.emit({ ok, checks, data, places });
        else {
          for (const c of checks)
            env.say(
              `${c.ok ? '正常' : '异常'} ${c.pipeline.padEnd(8)} 最近一次成功截至 ${c.last_ok_as_of ?? '—'}${c.problem ? '  ' + c.problem : ''}`,
            );
          env.say(
            `${data.ok ? '正常' : '异常'} ${'data'.padEnd(8)} 最新工单 ${data.last_order_day ?? '—'}${data.problem ? '  ' + data.problem : ''}`,
          );
          for (const l of placesLines(places)) env.say(l);
        }
        if (!ok) {
          const problems = [
            ...checks.filter((c) => !c.ok).map((c) => `${c.pipeline} ${c.problem}`),
            ...(data.problem ? [`data: ${data.problem}`] : []),
            ...(places.problem ? [`places: ${places.problem}`] : []),
          ];
          if (!env.json) process.stderr.write(`weisu: 健康检查：${problems.join('；')}\n`);
          process.exitCode = 1;
        }
      });
    });
}
