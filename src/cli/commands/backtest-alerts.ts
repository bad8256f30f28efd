import type { Command } from 'commander';
import { backtestAlerts, formatReport } from '../../detect/backtest.js';
import { loadTruth } from '../../detect/truth-file.js';
import { parseAsOf } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { commandGroup } from '../group.js';
import { withStore } from '../env.js';
import { runForCommand } from '../run-stages.js';

export function register(program: Command): void {
  commandGroup(program, 'backtest', '在过去的日期上重演一个步骤，并与已知事件对照打分')
    .command('alerts')
    .description('在 [from, to] 内逐周重演上升类别预警：检出率、延迟、误报')
    .requiredOption('--from <date>', '第一个截至日期（YYYY-MM-DD）；逐周的截至日期为 [from, to] 内的各个周一')
    .requiredOption('--to <date>', '最后一个截至日期（YYYY-MM-DD）')
    .option('--truth <file>', '已知事件文件 truth.json（默认：weisu demo 记下的那个）')
    .action(async (opts: { from: string; to: string; truth?: string }, cmd: Command) => {
      const from = parseAsOf(opts.from, '--from');
      const to = parseAsOf(opts.to, '--to');
      if (to < from) throw new UserError(`--to ${to} 早于 --from ${from}`);
      await withStore(cmd, async (env) => {
        const { truth, path } = await loadTruth(env.store, opts.truth);
        await runForCommand(env, 'backtest', to, []);
        const { report } = await backtestAlerts(env.store, env.config, truth, from, to, env.progress);
        if (env.json) env.emit({ truth: path, ...report });
        else for (const line of formatReport(report)) env.say(line);
      });
    });
}
