import type { Command } from 'commander';
import { resolve } from 'node:path';
import { importFeedback } from '../../assign/feedback-file.js';
import { localNow } from '../../assign/board.js';
import { applyUpdate, futureAtError, parseAt } from '../../assign/status.js';
import { simulateFeedback } from '../../assign/simulate.js';
import { parseAsOf } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { withStore } from '../env.js';
import { commandGroup } from '../group.js';

export function register(program: Command): void {
  const group = commandGroup(program, 'feedback', 'results returned by grid workers and units (回传)');

  group
    .command('import')
    .description(
      'apply a file of status updates (CSV with header item_id,status,note,at[,recipient], JSON array or JSON Lines); all or nothing',
    )
    .argument('<file>')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      await withStore(cmd, async (env) => {
        const summary = await importFeedback(env.store, resolve(file));
        if (env.json) env.emit({ file, ...summary });
        else
          env.say(`${file}: ${summary.read} rows, ${summary.applied} applied, ${summary.duplicates} already recorded`);
      });
    });

  group
    .command('set')
    .description('record one status update by hand')
    .argument('<item>', 'item id')
    .argument('<status>', '交办 | 排查 | 整改 | 办结 | 核验')
    .option('--note <text>')
    .option('--at <time>', 'when it happened (YYYY-MM-DD[ HH:MM]); default now')
    .action(async (item: string, status: string, opts: { note?: string; at?: string }, cmd: Command) => {
      const at = opts.at ? parseAt(opts.at) : localNow();
      if (!at) throw new UserError(`--at：'${opts.at}' 不是日期或时间`);
      const future = futureAtError(at, localNow());
      if (future) throw new UserError(`--at: ${future}`);
      await withStore(cmd, async (env) => {
        const res = await env.store.tx(() =>
          applyUpdate(env.store, { itemId: item, to: status, note: opts.note, at, source: 'cli' }),
        );
        if (!res.ok) throw new UserError(`${item}: ${res.error}`);
        if (env.json) env.emit({ item_id: item, ...res });
        else env.say(`${item}: ${res.from} → ${res.to}${res.duplicate ? ' (already recorded)' : ''}`);
      });
    });

  group
    .command('simulate')
    .description(
      'DEMO ONLY: play plausible 回传 for open items assigned before the as-of (recorded as source simulated)',
    )
    .option('--as-of <date>', 'YYYY-MM-DD; default today')
    .option('--seed <n>', 'seed', '1')
    .action(async (opts: { asOf?: string; seed: string }, cmd: Command) => {
      const asOf = parseAsOf(opts.asOf);
      await withStore(cmd, async (env) => {
        const s = await env.store.tx(() => simulateFeedback(env.store, asOf, Number(opts.seed) || 1));
        if (env.json) env.emit({ as_of: asOf, simulated: true, ...s });
        else env.say(`simulated ${s.updates} status updates on ${s.items} open items (source 'simulated')`);
      });
    });
}
