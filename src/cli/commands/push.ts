import type { Command } from 'commander';
import { localNow } from '../../assign/board.js';
import { cityTimeZone } from '../../store/config.js';
import { assignConfig } from '../../assign/config.js';
import { route } from '../../assign/items.js';
import { pushAll, pushPlan } from '../../assign/push.js';
import { recipientsListed, syncRecipients } from '../../assign/recipients.js';
import { pageLinker } from '../../assign/page/config.js';
import { asOfOption, withStore } from '../env.js';

const NO_RECIPIENTS =
  '没有可推送的收件人：配置中没有带推送地址（webhook）的收件人（recipients，见 docs/assign.md）；交办清单可用 weisu assign export 导出';

export function register(program: Command): void {
  program
    .command('push')
    .description('通过各接收人的 webhook（json、企业微信、钉钉）推送其未办结事项')
    .option('--as-of <date>', '截至此日期的事项；默认今天')
    .option('--dry-run', '只显示将要发送的内容，不发送也不记录')
    .option('--all', '重发全部未办结事项，而不只是接收人还没收到的')
    .option('--recipient <id...>', '只推送给这些接收人')
    .action(async (opts: { asOf?: string; dryRun?: boolean; all?: boolean; recipient?: string[] }, cmd: Command) => {
      const asOfIn = asOfOption(opts.asOf);
      await withStore(cmd, async (env) => {
        const asOf = asOfIn(env.config);
        const cfg = assignConfig(env.config);
        // a dry run syncs and routes too (newly configured recipients have no routes yet), inside a transaction
        // that is rolled back, so it previews what a real push would send and writes nothing
        const reports = await pushPlan(env.store, Boolean(opts.dryRun), async () => {
          await syncRecipients(env.store, cfg, { listed: recipientsListed(env.config), log: env.log });
          await route(env.store, cfg);
          return pushAll(env.store, cfg, {
            asOf,
            now: opts.asOf ? `${asOf} 00:00:00` : localNow(new Date(), cityTimeZone(env.config)),
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
        // nothing to push is said, not left as an empty screen: the usual case before recipients are configured
        else if (!reports.length) env.say(NO_RECIPIENTS);
        else
          for (const r of reports)
            env.say(
              `${r.recipient.padEnd(12)} ${String(r.items).padStart(4)} 项  ${r.skipped ?? (opts.dryRun ? `将发送 ${r.messages} 条消息（${r.format}）` : `已发送 ${r.sent}/${r.messages} 条消息${r.failed ? `，${r.failed} 条失败：${(r.errors ?? []).join('; ')}` : ''}`)}`,
            );
        if (opts.dryRun && !env.json)
          for (const r of reports)
            for (const p of r.preview ?? [])
              env.say(`--- ${r.recipient} → ${p.url} (${p.part}/${p.parts})\n${JSON.stringify(p.body, null, 2)}`);
        if (failed > 0) process.exitCode = 1;
      });
    });
}
