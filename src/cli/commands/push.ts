import type { Command } from 'commander';
import { localNow } from '../../assign/board.js';
import { assignConfig } from '../../assign/config.js';
import { route } from '../../assign/items.js';
import { pushAll, pushPlan } from '../../assign/push.js';
import { recipientsListed, syncRecipients } from '../../assign/recipients.js';
import { parseAsOf } from '../../store/dates.js';
import { pageLinker } from '../../assign/page/config.js';
import { withStore } from '../env.js';

export function register(program: Command): void {
  program
    .command('push')
    .description('send each recipient its own open items through its webhook (json, wecom, dingtalk)')
    .option('--as-of <date>', 'items up to this date; default today')
    .option('--dry-run', 'print what would be sent; send and record nothing')
    .option('--all', 'resend every open item, not only those a recipient has not yet received')
    .option('--recipient <id...>', 'only these recipients')
    .action(async (opts: { asOf?: string; dryRun?: boolean; all?: boolean; recipient?: string[] }, cmd: Command) => {
      const asOf = parseAsOf(opts.asOf);
      await withStore(cmd, async (env) => {
        const cfg = assignConfig(env.config);
        // a dry run syncs and routes too (newly configured recipients have no routes yet), inside a transaction
        // that is rolled back, so it previews what a real push would send and writes nothing
        const reports = await pushPlan(env.store, Boolean(opts.dryRun), async () => {
          await syncRecipients(env.store, cfg, { listed: recipientsListed(env.config), log: env.log });
          await route(env.store, cfg);
          return pushAll(env.store, cfg, {
            asOf,
            now: opts.asOf ? `${asOf} 00:00:00` : localNow(),
            dryRun: Boolean(opts.dryRun),
            onlyNew: !opts.all,
            recipientIds: opts.recipient,
            runId: `cli-push-${asOf}`,
            log: env.log,
            link: pageLinker(env.config),
          });
        });
        const failed = reports.reduce((s, r) => s + r.failed, 0);
        if (env.json) env.emit({ as_of: asOf, dry_run: Boolean(opts.dryRun), recipients: reports });
        else
          for (const r of reports)
            env.say(
              `${r.recipient.padEnd(12)} ${String(r.items).padStart(4)} items  ${r.skipped ?? (opts.dryRun ? `would send ${r.messages} message(s) (${r.format})` : `${r.sent}/${r.messages} message(s) sent${r.failed ? `, ${r.failed} FAILED: ${(r.errors ?? []).join('; ')}` : ''}`)}`,
            );
        if (opts.dryRun && !env.json)
          for (const r of reports)
            for (const p of r.preview ?? [])
              env.say(`--- ${r.recipient} → ${p.url} (${p.part}/${p.parts})\n${JSON.stringify(p.body, null, 2)}`);
        if (failed > 0) process.exitCode = 1;
      });
    });
}
