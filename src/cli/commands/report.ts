import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeReport } from '../../report/stage.js';
import { parseMonth } from '../../store/dates.js';
import { stageContext, withStore } from '../env.js';
import { computeMonthTopics } from './topics.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('生成月度领导报告（HTML 和 Markdown，加 --pdf 另出 PDF），写到 <out>/reports/YYYY-MM/')
    .requiredOption('--month <YYYY-MM>', '报告的月份（选题按该月第一天计算）')
    .option('--out <dir>', '输出文件夹（默认：配置中的 outDir）')
    .option('--recompute', '即使已存有本月选题也重新计算')
    .option('--pdf', '另用无界面 Chromium 把报告打印成 A4 PDF（report.pdf）')
    .action(async (opts: { month: string; out?: string; recompute?: boolean; pdf?: boolean }, cmd: Command) => {
      const month = parseMonth(opts.month);
      await withStore(cmd, async (env) => {
        const asOf = `${month}-01`;
        const stored =
          (await env.store.value<number>('SELECT count(*) FROM topic_runs WHERE month = $month', { month })) ?? 0;
        // the report shows the month's topics: compute them first when they are not stored yet
        if (opts.recompute || stored === 0) await computeMonthTopics(env, month);
        const written = await env.store.tx(() =>
          writeReport(stageContext(env, asOf), opts.out ? resolve(opts.out) : env.outDir, { pdf: opts.pdf }),
        );
        if (env.json) env.emit(written);
        else {
          env.say(`${month} 月度报告：${written.html}`);
          env.say(`                  ${written.md}`);
          if (written.pdf) env.say(`                  ${written.pdf}`);
          env.say(`议题候选 ${written.candidates} 个，图表 ${written.charts} 张`);
        }
      });
    });
}
