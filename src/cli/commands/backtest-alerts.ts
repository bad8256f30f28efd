import type { Command } from 'commander';
import { backtestAlerts, formatReport } from '../../detect/backtest.js';
import { loadTruth } from '../../detect/truth-file.js';
import { parseAsOf } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { commandGroup } from '../group.js';
import { withStore } from '../env.js';
import { runForCommand } from '../run-stages.js';

export function register(program: Command): void {
  commandGroup(program, 'backtest', 'replay a stage over past dates and score it against planted truth')
    .command('alerts')
    .description(
      'replay rising-category detection weekly over [from, to]: probability of detection, delay, false alarms',
    )
    .requiredOption('--from <date>', 'first as-of date (YYYY-MM-DD); weekly as-of dates are the Mondays in [from, to]')
    .requiredOption('--to <date>', 'last as-of date (YYYY-MM-DD)')
    .option('--truth <file>', 'truth.json of planted events (default: the one recorded by `weisu demo`)')
    .action(async (opts: { from: string; to: string; truth?: string }, cmd: Command) => {
      const from = parseAsOf(opts.from, '--from');
      const to = parseAsOf(opts.to, '--to');
      if (to < from) throw new UserError(`--to ${to} is before --from ${from}`);
      await withStore(cmd, async (env) => {
        const { truth, path } = await loadTruth(env.store, opts.truth);
        await runForCommand(env, 'backtest', to, []);
        const { report } = await backtestAlerts(env.store, env.config, truth, from, to, env.progress);
        if (env.json) env.emit({ truth: path, ...report });
        else for (const line of formatReport(report)) env.say(line);
      });
    });
}
