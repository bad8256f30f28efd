import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeReport } from '../../report/stage.js';
import { parseMonth } from '../../store/dates.js';
import { stageContext, withStore } from '../env.js';
import { computeMonthTopics } from './topics.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('write the monthly leadership report (HTML + Markdown, and PDF with --pdf) to <out>/reports/YYYY-MM/')
    .requiredOption('--month <YYYY-MM>', 'the month of the report (its topics are computed as of the first day)')
    .option('--out <dir>', 'output folder (default: config outDir)')
    .option('--recompute', "recompute the month's topics even if they are stored")
    .option('--pdf', 'also print the report to an A4 PDF (report.pdf) through headless Chromium')
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
