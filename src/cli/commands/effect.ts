import type { Command } from 'commander';
import { assignConfig } from '../../assign/config.js';
import { computeEffects, writeEffects, writeScorecard } from '../../assign/effect.js';
import { sql } from '../../store/sql.js';
import { asOfOption, withStore } from '../env.js';

export function register(program: Command): void {
  program
    .command('effect')
    .description('已办结选题和热点事项的成效，以及各单位的月度考核')
    .option('--as-of <date>', '截至日期 YYYY-MM-DD；默认今天')
    .action(async (opts: { asOf?: string }, cmd: Command) => {
      const asOfIn = asOfOption(opts.asOf);
      await withStore(cmd, async (env) => {
        const asOf = asOfIn(env.config);
        const cfg = assignConfig(env.config);
        const summary = await env.store.tx(async () => {
          const { rows, summary } = await computeEffects(env.store, cfg, asOf);
          await writeEffects(env.store, asOf, rows);
          await writeScorecard(env.store, cfg, asOf);
          return summary;
        });
        const effects = await env.store.all(sql('assign/effects_list.sql'), { as_of: asOf });
        const scorecard = await env.store.all(sql('assign/scorecard_list.sql'), { as_of: asOf });
        if (env.json) env.emit({ as_of: asOf, ...summary, effects, scorecard });
        else {
          const withheld = summary.withheld ? `，${summary.withheld} 项此前数据不足、不作评估` : '';
          env.say(`成效（截至 ${asOf}）：已评估 ${summary.measured} 项，${summary.pending} 项等待数据${withheld}`);
          for (const e of effects as Array<{ subject_id: string; measure: string; summary: string }>)
            env.say(`  ${e.subject_id} [${e.measure}] ${e.summary}`);
        }
      });
    });
}
