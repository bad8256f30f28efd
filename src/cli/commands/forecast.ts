import type { Command } from 'commander';
import { dataEnd } from '../../store/data-end.js';
import { forecastStage } from '../../forecast/stage.js';
import { readForecasts } from '../../forecast/read.js';
import { weekStart } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { categoryLevelFinder, withCategoryLevels } from '../category-levels.js';
import { asOfOption, withStore } from '../env.js';
import { runForCommand } from '../run-stages.js';
import { fitWide, padWide } from '../../forecast/format.js';
import { modelZh } from '../words.js';

export function register(program: Command): void {
  program
    .command('forecast')
    .description('每个一级、二级类别的每周预测（周一起算）及 80% 区间，季节性类别另按区县预测')
    .option('--as-of <date>', '只用此日期之前受理的工单（YYYY-MM-DD）；默认今天')
    .option('--horizon-weeks <n>', '向前预测几周，1–13', '8')
    .option('--category <name>', '只显示这个类别（一级名称或二级路径）')
    .action(async (opts: { asOf?: string; horizonWeeks: string; category?: string }, cmd: Command) => {
      const asOfIn = asOfOption(opts.asOf);
      const horizon = Number(opts.horizonWeeks);
      if (!Number.isInteger(horizon) || horizon < 1 || horizon > 13)
        throw new UserError(`--horizon-weeks 应为 1 到 13 之间的整数，收到的是 '${opts.horizonWeeks}'`);
      await withStore(cmd, async (env) => {
        const asOf = asOfIn(env.config);
        // The stage writes at least the weeks asked for, whatever the config's horizon.
        const raw = env.config.raw;
        const section = (raw.forecast ?? {}) as Record<string, unknown>;
        const configured = typeof section.horizonWeeks === 'number' ? section.horizonWeeks : 13;
        const config = {
          ...env.config,
          raw: { ...raw, forecast: { ...section, horizonWeeks: Math.max(configured, horizon) } },
        };
        const counts = (await runForCommand(env, 'forecast', asOf, [forecastStage], { config }))[forecastStage.name];
        let all = await readForecasts(env.store, asOf, horizon);
        if (opts.category) {
          all = all.filter((s) => s.category === opts.category);
          if (all.length === 0)
            throw new UserError(`--category：截至 ${asOf} 没有「${opts.category}」的预测（该日期之前没有此类工单？）`);
        }
        const city = all.filter((s) => s.scope.level === 'city');
        const districts = all.filter((s) => s.scope.level === 'district');
        if (env.json) {
          // data_end / data_stale as in alerts: past the data's end the weeks between are forecast, not read as zeros
          const end = await dataEnd(env.store, asOf);
          const levels = await categoryLevelFinder(env.store);
          env.emit({
            as_of: asOf,
            data_end: end.lastDay,
            data_stale: end.asOf < asOf,
            first_week: weekStart(asOf),
            horizon_weeks: horizon,
            series: withCategoryLevels(city, levels),
            districts: withCategoryLevels(districts, levels),
            notes: forecastNotes(city, end.lastDay, asOf),
          });
          return;
        }
        for (const note of forecastNotes(city, (await dataEnd(env.store, asOf)).lastDay, asOf)) env.say(note);
        env.say(
          `截至 ${asOf} 的预测：${city.length} 个类别，${districts.length} 个城区序列（首周 ${counts.first_week}；每周工单数，方括号内为 80% 预测区间）`,
        );
        const shifted = all.filter((s) => s.level_shift).length;
        if (shifted) env.say(`  ${shifted} 个序列近期偏离了常年水平，按新水平预测（模型 ×系数）`);
        const shown = Math.min(horizon, 4);
        for (const s of [...city, ...districts]) {
          const where = s.scope.level === 'city' ? '' : `${s.scope.name} `;
          const cells = s.points
            .slice(0, shown)
            .map((p) => `${p.week_start.slice(5)} ${fmt(p.yhat)} [${fmt(p.lo)}–${fmt(p.hi)}]`);
          // a shifted series: its model, rescaled to the level of the weeks since the break
          const model = s.level_shift ? `${modelZh(s.model)}×${s.level_shift.factor.toFixed(2)}` : modelZh(s.model);
          env.say(`  ${fitWide(where + s.category, 30)} ${padWide(model, 14)} ${cells.join('  ')}`);
        }
      });
    });
}

function fmt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/**
 * Why a forecast has no series, in the user's words: a series is forecast from complete weeks (Monday to Sunday)
 * before the as-of's week, so an export of a few days — an open-data sample — has none yet, and `series: []` alone
 * read as a failure.
 */
/**
 * What a reader must know before the numbers: none at all (no order, or none before the as-of's week), or only
 * forecasts from the daily rate of the few days seen (no complete week yet: every series is a `rate` one).
 */
function forecastNotes(city: ReadonlyArray<{ model?: string }>, lastDay: string | null, asOf: string): string[] {
  if (!city.length) return [noForecastWhy(lastDay, asOf)];
  if (city.every((s) => s.model === 'rate'))
    return [`${asOf}所在周之前还没有一个完整的周（周一至周日）的工单，预测按已有几天的日均工单数推算，仅供参考。`];
  return [];
}

export function noForecastWhy(lastDay: string | null, asOf: string): string {
  if (!lastDay) return `${asOf}之前没有工单，无法预测。`;
  return `${asOf}所在周之前还没有一个完整的周（周一至周日）的工单（最新工单日期${lastDay}），暂不预测；积累满一周后即有预测。`;
}
