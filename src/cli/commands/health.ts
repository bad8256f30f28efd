import type { Command } from 'commander';
import { schedules } from '../../../pipelines/schedules.js';
import { dueDates } from '../../pipeline/catchup.js';
import { cronOf } from '../../pipeline/job.js';
import { reapStaleRuns } from '../../pipeline/runner.js';
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
  const today = todayLocal(now);
  return Object.values(schedules).map((p) => {
    const cron = cronOf(p, env.config);
    // the latest as-of that should be done by now (due at least grace hours ago)
    const expected = dueDates(cron, addDays(today, -40), today, graceAgo).at(-1) ?? null;
    const r = last.get(p.name);
    let problem: string | null = null;
    if (!r) problem = 'never run';
    else if (r.status === 'failed' || r.status === 'interrupted') problem = `last run ${r.status}: ${r.error ?? ''}`;
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
}

export function register(program: Command): void {
  program
    .command('health')
    .description("exit non-zero when a pipeline's last run failed or a due run is missing (for monitoring)")
    .option('--grace-hours <h>', 'how long after its due time a run may still be missing', '6')
    .option(
      '--max-placeholder-share <x>',
      'fail when orders at geocoder default points exceed this share of the orders with coordinates (below: a warning)',
      '0.5',
    )
    .action(async (opts: { graceHours: string; maxPlaceholderShare: string }, cmd: Command) => {
      const maxShare = Number(opts.maxPlaceholderShare);
      if (!(maxShare >= 0 && maxShare <= 1))
        throw new UserError(`--max-placeholder-share must be a number from 0 to 1, got '${opts.maxPlaceholderShare}'`);
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
            ? `no orders after ${end!.lastDay}: ${end!.missingDays} days before the nightly as of ${nightlyOk} have none (has the export stopped?)`
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
              `${c.ok ? 'ok     ' : 'PROBLEM'} ${c.pipeline.padEnd(8)} last ok as of ${c.last_ok_as_of ?? '—'}${c.problem ? '  ' + c.problem : ''}`,
            );
          env.say(
            `${data.ok ? 'ok     ' : 'PROBLEM'} ${'data'.padEnd(8)} last order ${data.last_order_day ?? '—'}${data.problem ? '  ' + data.problem : ''}`,
          );
          for (const l of placesLines(places)) env.say(l);
        }
        if (!ok) {
          const problems = [
            ...checks.filter((c) => !c.ok).map((c) => `${c.pipeline} ${c.problem}`),
            ...(data.problem ? [`data: ${data.problem}`] : []),
            ...(places.problem ? [`places: ${places.problem}`] : []),
          ];
          if (!env.json) process.stderr.write(`weisu: health: ${problems.join('; ')}\n`);
          process.exitCode = 1;
        }
      });
    });
}
