import type { Command } from 'commander';
import { heatingOverride } from '../../forecast/heating.js';
import { backtestSeries, loadAllSeries, summarize } from '../../forecast/backtest.js';
import { parseAsOf } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { padWide } from '../../forecast/format.js';
import { commandGroup } from '../group.js';
import { withStore, type CliEnv } from '../env.js';
import { runForCommand } from '../run-stages.js';

type Summary = ReturnType<typeof summarize>;

/** The per-category table and the summary lines, for a person. */
function printTable(
  env: CliEnv,
  run: { from: string; to: string; step: number; origins: number },
  rows: Summary['rows'],
  summary: Summary['summary'],
): void {
  const f = (v: number | null, d = 3) => (v === null ? '–' : v.toFixed(d));
  env.say(`forecast backtest, origins ${run.from}..${run.to} every ${run.step} week(s), ${run.origins} origins`);
  env.say(
    `  ${'category'.padEnd(26)} ${'h'.padStart(2)} ${'n'.padStart(4)} ${'MASE'.padStart(6)} ${'snaive'.padStart(6)} ${'cover'.padStart(6)}  models`,
  );
  for (const r of rows) {
    const name = (r.scope.level === 'city' ? '' : r.scope.name + ' ') + r.category + (r.seasonal ? ' *' : '');
    env.say(
      `  ${padWide(name, 26)} ${String(r.horizon).padStart(2)} ${String(r.origins).padStart(4)} ${f(r.mase).padStart(6)} ${f(r.mase_snaive).padStart(6)} ${f(r.coverage, 2).padStart(6)}  ${Object.entries(
        r.models,
      )
        .map(([m, n]) => `${m}:${n}`)
        .join(' ')}`,
    );
  }
  env.say('  (* seasonal; MASE scaled by the in-sample 52-week seasonal naive error)');
  for (const s of summary) {
    env.say(
      `  h=${s.horizon} ${s.group.padEnd(8)} series ${s.series}: MASE ${f(s.mase)} vs seasonal naive ${f(s.mase_snaive)} (${s.improvement === null ? '–' : `${Math.abs(100 * s.improvement).toFixed(1)}% ${s.improvement >= 0 ? 'lower' : 'higher'}`}; per series ×${s.relative_geomean === null ? '–' : s.relative_geomean.toFixed(2)} geometric mean), 80% interval coverage ${s.coverage === null ? '–' : (100 * s.coverage).toFixed(1) + '%'}`,
    );
  }
}

export function register(program: Command): void {
  commandGroup(program, 'backtest', '在过去的日期上重演一个步骤，并与已知事件对照打分')
    .command('forecast')
    .description('每周预测的滚动回测：与“照搬去年同周”相比的误差，以及 80% 区间的覆盖率')
    .requiredOption('--from <date>', '第一个预测起点（YYYY-MM-DD）；起点为 [from, to] 内的周一')
    .requiredOption('--to <date>', '最后一个预测起点（YYYY-MM-DD）')
    .option('--horizons <list>', '提前几周，逗号分隔（1–13）', '4,8')
    .option('--step-weeks <n>', '相邻起点间隔的周数', '2')
    .option('--districts', '同时给季节性类别的各区县序列打分')
    .option('--points', '配合 --json：输出每一个打过分的预测')
    .action(
      async (
        opts: { from: string; to: string; horizons: string; stepWeeks: string; districts?: boolean; points?: boolean },
        cmd: Command,
      ) => {
        const from = parseAsOf(opts.from, '--from');
        const to = parseAsOf(opts.to, '--to');
        if (to < from) throw new UserError(`--to ${to} 早于 --from ${from}`);
        const horizons = opts.horizons.split(',').map((h) => Number(h.trim()));
        if (horizons.some((h) => !Number.isInteger(h) || h < 1 || h > 13))
          throw new UserError(`--horizons 应为 1 到 13 之间的整数（逗号分隔），收到的是 '${opts.horizons}'`);
        const step = Number(opts.stepWeeks);
        if (!Number.isInteger(step) || step < 1)
          throw new UserError(`--step-weeks 应为不小于 1 的整数，收到的是 '${opts.stepWeeks}'`);
        await withStore(cmd, async (env) => {
          await runForCommand(env, 'backtest', '9999-12-31', []);
          const { series, end } = await loadAllSeries(env.store, env.config.city.name);
          if (series.length === 0) throw new UserError('backtest forecast：数据库中没有工单');
          // the heating start as the data before the first origin shows it: no look-ahead into the replayed seasons
          const override = await heatingOverride(env.store, env.config, from);
          const points = backtestSeries(series, end, env.config, {
            from,
            to,
            horizons: horizons.sort((a, b) => a - b),
            stepWeeks: step,
            districts: opts.districts,
            progress: env.progress,
            override,
          });
          if (points.length === 0)
            throw new UserError(`backtest forecast：[${from}, ${to}] 内没有一个起点之后有 ${horizons[0]} 周的数据`);
          const { rows, summary } = summarize(points);
          if (env.json) {
            env.emit({
              from,
              to,
              horizons,
              step_weeks: step,
              origins: new Set(points.map((p) => p.origin)).size,
              summary,
              categories: rows,
              ...(opts.points ? { points } : {}),
            });
            return;
          }
          printTable(env, { from, to, step, origins: new Set(points.map((p) => p.origin)).size }, rows, summary);
        });
      },
    );
}
