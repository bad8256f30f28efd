import type { Command } from 'commander';
import { resolve } from 'node:path';
import { exportStore } from '../../export/index.js';
import { addDays, parseAsOf, todayLocal } from '../../store/dates.js';
import { withStore } from '../env.js';

export function register(program: Command): void {
  program
    .command('export')
    .description(
      'write the store as Parquet partitioned by year/month (Hive layout) plus Arrow IPC of the latest aggregates',
    )
    .requiredOption('--out <dir>', 'target folder')
    .option('--as-of <date>', 'export only orders created before this date (default: everything)')
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
