import type { Command } from 'commander';
import { resolve } from 'node:path';
import { exportStore } from '../../export/index.js';
import { addDays, parseAsOf, todayLocal } from '../../store/dates.js';
import { withStore } from '../env.js';

export function register(program: Command): void {
  program
    .command('export')
    .description('把数据库导出为按年/月分区的 Parquet（Hive 目录结构），以及最新汇总的 Arrow IPC')
    .requiredOption('--out <dir>', '目标文件夹')
    .option('--as-of <date>', '只导出此日期之前受理的工单（默认：全部）')
    .action(async (opts: { out: string; asOf?: string }, cmd: Command) => {
      await withStore(cmd, async (env) => {
        const before = opts.asOf ? parseAsOf(opts.asOf) : addDays(todayLocal(), 36_500);
        const summary = await exportStore(env.store, resolve(opts.out), { city: env.config.city.name, before });
        if (env.json) env.emit(summary);
        else
          env.say(
            `已导出 ${summary.orders} 件工单（按月 ${summary.partitions} 个分区）和 ${Object.keys(summary.aggregates).length} 张汇总表到 ${summary.dir}`,
          );
      });
    });
}
