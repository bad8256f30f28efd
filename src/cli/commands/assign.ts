import type { Command } from 'commander';
import { resolve } from 'node:path';
import { board, localNow } from '../../assign/board.js';
import { assignConfig } from '../../assign/config.js';
import { exportLists } from '../../assign/export.js';
import { generateItems } from '../../assign/generate.js';
import { recipientsListed, syncRecipients } from '../../assign/recipients.js';
import { route } from '../../assign/items.js';
import { cityTimeZone, type Config } from '../../store/config.js';
import { parseAsOf } from '../../store/dates.js';
import { sql } from '../../store/sql.js';
import { asOfOption, withStore, stageContext } from '../env.js';
import { runForCommand } from '../run-stages.js';
import { commandGroup } from '../group.js';

/** The colours' "now": 0:00 of a given --as-of, else the city's wall clock now (config city.timezone). */
function nowFor(asOf: string | undefined, config: Config): string {
  return asOf ? `${parseAsOf(asOf)} 00:00:00` : localNow(new Date(), cityTimeZone(config));
}

export function register(program: Command): void {
  const group = commandGroup(program, 'assign', '选定选题和热点的交办清单');

  group
    .command('run')
    .description('生成截至某日的交办事项：本月选定的选题和当前热点，分派给接收人')
    .option('--as-of <date>', '截至日期 YYYY-MM-DD；默认今天')
    .option('--no-topics', '只生成热点事项')
    .option('--no-hotspots', '只生成选题事项')
    .action(async (opts: { asOf?: string; topics: boolean; hotspots: boolean }, cmd: Command) => {
      const asOfIn = asOfOption(opts.asOf);
      await withStore(cmd, async (env) => {
        const asOf = asOfIn(env.config);
        await runForCommand(env, 'assign', asOf, []);
        const ctx = stageContext(env, asOf);
        const counts = await env.store.tx(() => generateItems(ctx, { topics: opts.topics, hotspots: opts.hotspots }));
        if (env.json) env.emit({ as_of: asOf, ...counts });
        else {
          env.say(
            `交办（截至 ${asOf}）：选题 ${counts.topic ?? '无'}，新增选题事项 ${counts.topic_items ?? 0} 项、热点事项 ${counts.hotspot_items ?? 0} 项，分派 ${counts.routes} 次`,
          );
          if (opts.hotspots && counts.hotspot_rows === 0 && counts.hotspot_stage_ran === 1)
            env.say(`  截至 ${asOf} 没有发现热点网格：没有热点事项`);
          else if (opts.hotspots && counts.hotspot_rows === 0)
            env.say(`  库中没有截至 ${asOf} 的热点：请先运行 weisu hotspots --as-of ${asOf}（或每夜任务）`);
        }
      });
    });

  group
    .command('list')
    .description('列出事项及其状态和颜色（绿 / 黄 / 红），可只看一个接收人')
    .option('--as-of <date>', '按此日期 0 点判定颜色；默认现在')
    .option('--recipient <id>', '只看这个接收人的事项')
    .option('--status <status>', '只看处于此状态的事项（交办 排查 整改 办结 核验）')
    .action(async (opts: { asOf?: string; recipient?: string; status?: string }, cmd: Command) => {
      await withStore(cmd, async (env) => {
        const cfg = assignConfig(env.config);
        let items = await board(env.store, nowFor(opts.asOf, env.config), cfg.yellowAt, {
          recipientId: opts.recipient,
          asOf: opts.asOf ? parseAsOf(opts.asOf) : undefined,
        });
        if (opts.status) items = items.filter((i) => i.status === opts.status);
        if (env.json) env.emit({ as_of: opts.asOf ?? null, items });
        else
          for (const i of items) env.say(`${i.colour.padEnd(6)} ${i.item_id}  ${i.status}  ${i.deadline}  ${i.title}`);
      });
    });

  group
    .command('export')
    .description('为每个接收人写出自己的清单：CSV、JSON 和 Markdown（<out>/<接收人>.csv|json|md）')
    .option('--as-of <date>', '截至此日期的事项及颜色；默认今天')
    .option('--out <dir>', '输出文件夹（默认 <outDir>/assign/<截至日期>）')
    .option('--open-only', '不含已办结的事项')
    .action(async (opts: { asOf?: string; out?: string; openOnly?: boolean }, cmd: Command) => {
      const asOfIn = asOfOption(opts.asOf);
      await withStore(cmd, async (env) => {
        const asOf = asOfIn(env.config);
        const cfg = assignConfig(env.config);
        await syncRecipients(env.store, cfg, { listed: recipientsListed(env.config), log: env.log });
        await route(env.store, cfg);
        const lists = [];
        const recipients = await env.store.all<{ id: string; name: string; kind: string }>(
          sql('assign/recipients_list.sql'),
        );
        for (const r of recipients) {
          let items = await board(env.store, nowFor(opts.asOf, env.config), cfg.yellowAt, { recipientId: r.id, asOf });
          if (opts.openOnly) items = items.filter((i) => i.status !== '办结' && i.status !== '核验');
          lists.push({ id: r.id, name: r.name, kind: r.kind, items });
        }
        const dir = resolve(opts.out ?? `${env.outDir}/assign/${asOf}`);
        const files = exportLists(dir, asOf, lists);
        if (env.json)
          env.emit({ as_of: asOf, dir, recipients: lists.map((l) => ({ id: l.id, items: l.items.length })), files });
        else env.say(`已把 ${lists.length} 个接收人的清单导出到 ${dir}`);
      });
    });
}
