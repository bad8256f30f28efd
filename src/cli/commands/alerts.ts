import type { Command } from 'commander';
import { alertStage } from '../../detect/stage.js';
import { readAlerts } from '../../detect/read-alerts.js';
import { testedMissingDays } from '../../detect/missing-days.js';
import { forecastStage } from '../../forecast/stage.js';
import { surgeStage } from '../../forecast/surge-stage.js';
import { dataEnd } from '../../store/data-end.js';
import { UserError } from '../../store/errors.js';
import { alertCounts, alertLines } from '../alert-sections.js';
import { categoryLevelFinder, withCategoryLevels } from '../category-levels.js';
import { asOfOption, withStore } from '../env.js';
import { runForCommand, unlessStored } from '../run-stages.js';

const KINDS = ['yoy', 'mom', 'trend', 'spike', 'surge_forecast', 'new_topic'];

export function register(program: Command): void {
  program
    .command('alerts')
    .description('全市、区县、街道范围内上升和新出现的诉求类别（同比、环比、趋势、突增、预测激增、新话题）')
    .option('--as-of <date>', '只用此日期之前受理的工单（YYYY-MM-DD）；默认今天')
    .option('--no-forecast', '不为“预测激增”预警运行预测步骤')
    .option('--kind <kinds>', `只看这些类型，逗号分隔（${KINDS.join(', ')}）`)
    .option('--limit <n>', '最多列出 n 条预警（得分高的在前）')
    .option('--all', '列出全部预警，包括只是重复上级或下级范围上升的（--json 总是包含全部）')
    .action(
      async (
        opts: { asOf?: string; forecast: boolean; kind?: string; limit?: string; all?: boolean },
        cmd: Command,
      ) => {
        const asOfIn = asOfOption(opts.asOf);
        const kinds = opts.kind ? opts.kind.split(',').map((k) => k.trim()) : null;
        for (const k of kinds ?? [])
          if (!KINDS.includes(k)) throw new UserError(`--kind：没有 '${k}' 这种预警类型（可选：${KINDS.join(', ')}）`);
        const limit = opts.limit === undefined ? Infinity : Number(opts.limit);
        if (!Number.isInteger(limit) && limit !== Infinity)
          throw new UserError(`--limit 应为非负整数，收到的是 '${opts.limit}'`);
        if (limit < 0) throw new UserError(`--limit 应为非负整数，收到的是 '${opts.limit}'`);
        await withStore(cmd, async (env) => {
          const asOf = asOfIn(env.config);
          // the derivations and the tests first: the end of the data is read from what they aggregate, so on a freshly
          // loaded store it is known only after them (read before, a fresh store printed data_end null)
          await runForCommand(env, 'alerts', asOf, [alertStage]);
          // an as-of past the end of the data: the tests ran up to where it ends (detect/compute.ts), and no surge is
          // forecast from there — a wave "2–8 weeks ahead" of a stale week is already here or gone
          const end = await dataEnd(env.store, asOf);
          const stale = end.asOf < asOf;
          // surge warnings need this as-of's forecasts: computed here when no run has stored them
          if (opts.forecast && !stale)
            await runForCommand(env, 'alerts', asOf, [
              ...(await unlessStored(env, 'forecasts', asOf, forecastStage)),
              surgeStage,
            ]);
          // days without a single order inside the weeks tested: an export not loaded, counted on the days seen
          const missing = await testedMissingDays(env.store, end.asOf);
          let alerts = await readAlerts(env.store, asOf);
          if (stale) alerts = alerts.filter((a) => a.kind !== 'surge_forecast');
          if (kinds) alerts = alerts.filter((a) => kinds.includes(a.kind));
          alerts = alerts.slice(0, limit);
          if (env.json) {
            // data_end: the last day with any order before the as-of; data_stale: the data stopped two or more whole
            // days before it (the tests then stand on the day after data_end, and no surge_forecast is given)
            // counts: of the alerts listed, how many start a rise this week and how many continue one reported before
            const levels = await categoryLevelFinder(env.store);
            const named = withCategoryLevels(alerts, levels);
            env.emit({
              as_of: asOf,
              data_end: end.lastDay,
              data_stale: stale,
              missing_days: missing,
              alerts: named,
              counts: alertCounts(alerts),
            });
            return;
          }
          if (stale)
            env.say(
              `数据截至${end.lastDay}（此后${end.missingDays}天无任何工单）：按${end.lastDay}之后一天分析，不做波峰预测`,
            );
          for (const m of missing)
            env.say(
              `${m.first_day === m.last_day ? m.first_day : `${m.first_day}至${m.last_day}`}全市无任何工单（${m.days}天，应为数据缺失）：这几天不按零计，所在周按有数据的天数比较`,
            );
          // the table lists the alerts to act on; the ones that repeat a rise seen at another scope are counted
          const shown = opts.all
            ? alerts
            : alerts.filter((a) => (a.details as { primary?: boolean } | undefined)?.primary !== false);
          const hidden = alerts.length - shown.length;
          env.say(
            `截至 ${asOf} 的预警：${alerts.length} 条${hidden ? `（其中 ${hidden} 条与另一范围或类别的上升重复，未列出；--all 全部列出）` : ''}`,
          );
          for (const l of alertLines(shown)) env.say(l);
        });
      },
    );
}
