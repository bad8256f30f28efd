import type { Command } from 'commander';
import { schedules } from '../../../pipelines/schedules.js';
import { dueDates } from '../../pipeline/catchup.js';
import { cronOf } from '../../pipeline/job.js';
import { reapStaleRuns } from '../../pipeline/runner.js';
import { addDays, todayLocal } from '../../store/dates.js';
import { sql } from '../../store/sql.js';
import { withStore } from '../env.js';
import { dataEnd } from '../../store/data-end.js';

interface LastRun {
  pipeline: string;
  run_id: string;
  status: string;
  as_of: string;
  started_at: string;
  error: string | null;
  last_ok_as_of: string | null;
}

export function register(program: Command): void {
  program
    .command('health')
    .description("exit non-zero when a pipeline's last run failed or a due run is missing (for monitoring)")
    .option('--grace-hours <h>', 'how long after its due time a run may still be missing', '6')
    .action(async (opts: { graceHours: string }, cmd: Command) => {
      await withStore(cmd, async (env) => {
        await reapStaleRuns(env.store);
        const last = new Map((await env.store.all<LastRun>(sql('pipeline/last_runs.sql'))).map((r) => [r.pipeline, r]));
        const now = new Date();
        const graceAgo = new Date(now.getTime() - Number(opts.graceHours) * 3_600_000);
        const today = todayLocal(now);
        const checks = Object.values(schedules).map((p) => {
          const cron = cronOf(p, env.config);
          // the latest as-of that should be done by now (due at least grace hours ago)
          const expected = dueDates(cron, addDays(today, -40), today, graceAgo).at(-1) ?? null;
          const r = last.get(p.name);
          let problem: string | null = null;
          if (!r) problem = 'never run';
          else if (r.status === 'failed' || r.status === 'interrupted')
            problem = `last run ${r.status}: ${r.error ?? ''}`;
          else if (expected && (!r.last_ok_as_of || r.last_ok_as_of < expected))
            problem = `overdue: expected a run as of ${expected}, last ok as of ${r.last_ok_as_of ?? 'never'}`;
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
            ? `no orders after ${end!.lastDay}: ${end!.missingDays} days before the nightly as of ${nightlyOk} have none (has the export stopped?)`
            : null,
        };
        const ok = checks.every((c) => c.ok) && data.ok;
        if (env.json) env.emit({ ok, checks, data });
        else {
          for (const c of checks)
            env.say(
              `${c.ok ? 'ok     ' : 'PROBLEM'} ${c.pipeline.padEnd(8)} last ok as of ${c.last_ok_as_of ?? '—'}${c.problem ? '  ' + c.problem : ''}`,
            );
          env.say(
            `${data.ok ? 'ok     ' : 'PROBLEM'} ${'data'.padEnd(8)} last order ${data.last_order_day ?? '—'}${data.problem ? '  ' + data.problem : ''}`,
          );
        }
        if (!ok) {
          const problems = [
            ...checks.filter((c) => !c.ok).map((c) => `${c.pipeline} ${c.problem}`),
            ...(data.problem ? [`data: ${data.problem}`] : []),
          ];
          if (!env.json) process.stderr.write(`weisu: health: ${problems.join('; ')}\n`);
          process.exitCode = 1;
        }
      });
    });
}
