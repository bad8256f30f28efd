import type { Command } from 'commander';
import { resolve } from 'node:path';
import { importFeedback } from '../../assign/feedback-file.js';
import { localNow } from '../../assign/board.js';
import { cityTimeZone } from '../../store/config.js';
import { applyUpdate, futureAtError, parseAt } from '../../assign/status.js';
import { simulateFeedback } from '../../assign/simulate.js';
import { UserError } from '../../store/errors.js';
import { asOfOption, withStore } from '../env.js';
import { commandGroup } from '../group.js';

export function register(program: Command): void {
  const group = commandGroup(program, 'feedback', '网格员和承办单位的回传');

  group
    .command('import')
    .description(
      '导入状态更新文件（表头为 item_id,status,note,at[,recipient] 的 CSV、JSON 数组或 JSON Lines）；要么全部生效，要么都不生效',
    )
    .argument('<file>', '回传文件')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      await withStore(cmd, async (env) => {
        const summary = await importFeedback(env.store, resolve(file), { timeZone: cityTimeZone(env.config) });
        if (env.json) env.emit({ file, ...summary });
        else env.say(`${file}：共 ${summary.read} 行，生效 ${summary.applied} 行，${summary.duplicates} 行此前已记录`);
      });
    });

  group
    .command('set')
    .description('手工记录一次状态更新')
    .argument('<item>', '事项编号')
    .argument('<status>', '交办 | 排查 | 整改 | 办结 | 核验')
    .option('--note <text>', '处置情况说明')
    .option('--at <time>', '发生时间（YYYY-MM-DD[ HH:MM]）；默认现在')
    .action(async (item: string, status: string, opts: { note?: string; at?: string }, cmd: Command) => {
      await withStore(cmd, async (env) => {
        // the city's wall clock (config city.timezone): the clock deadlines are kept in
        const zone = cityTimeZone(env.config);
        const at = opts.at ? parseAt(opts.at, zone) : localNow(new Date(), zone);
        if (!at) throw new UserError(`--at：'${opts.at}' 不是日期或时间`);
        const future = futureAtError(at, localNow(new Date(), zone));
        if (future) throw new UserError(`--at：${future}`);
        const res = await env.store.tx(() =>
          applyUpdate(env.store, { itemId: item, to: status, note: opts.note, at, source: 'cli' }),
        );
        if (!res.ok) throw new UserError(`${item}：${res.error}`);
        if (env.json) env.emit({ item_id: item, ...res });
        else env.say(`${item}：${res.from} → ${res.to}${res.duplicate ? '（此前已记录）' : ''}`);
      });
    });

  group
    .command('simulate')
    .description('仅供演示：为截至日期前交办的未办结事项模拟回传（来源记为 simulated）')
    .option('--as-of <date>', '截至日期 YYYY-MM-DD；默认今天')
    .option('--seed <n>', '随机种子', '1')
    .action(async (opts: { asOf?: string; seed: string }, cmd: Command) => {
      const asOfIn = asOfOption(opts.asOf);
      await withStore(cmd, async (env) => {
        const asOf = asOfIn(env.config);
        const s = await env.store.tx(() => simulateFeedback(env.store, asOf, Number(opts.seed) || 1));
        if (env.json) env.emit({ as_of: asOf, simulated: true, ...s });
        else env.say(`已为 ${s.items} 项未办结事项模拟 ${s.updates} 次状态更新（来源记为 simulated）`);
      });
    });
}
