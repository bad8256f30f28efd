import type { Command } from 'commander';
import { assignConfig, type AssignConfig } from '../../assign/config.js';
import { route } from '../../assign/items.js';
import { recipientsListed, syncRecipients } from '../../assign/recipients.js';
import { createFeedbackServer } from '../../assign/server.js';
import { cityTimeZone, loadConfig } from '../../store/config.js';
import { Store } from '../../store/db.js';
import { UserError } from '../../store/errors.js';
import { createLogger, type Logger } from '../../store/log.js';
import { pageOptions, type PageOptions } from '../../assign/page/config.js';
import { dbPathOf, globalOptions, rememberConfig, rememberedConfig, requireStore, type GlobalOptions } from '../env.js';

/**
 * The config (--config, else the one the store remembers), and recipients and routes brought up to date once.
 * Without any config the stored recipients are kept: serving must never lock the workers out.
 */
async function prepareStore(
  g: GlobalOptions,
  dbPath: string,
  log: Logger,
): Promise<{ cfg: AssignConfig; page: PageOptions | null; timeZone: string }> {
  requireStore(dbPath, 'serve');
  const store = await Store.open(dbPath);
  try {
    const file = g.config ?? (await rememberedConfig(store));
    const config = loadConfig(file);
    const cfg = assignConfig(config);
    if (g.config) await rememberConfig(store, g.config, log);
    if (!file) log.warn({ event: 'no_config' }, '未指定 --config，数据库也未记住配置：按已存的接收人提供服务');
    await store.tx(async () => {
      await syncRecipients(store, cfg, { listed: Boolean(file) && recipientsListed(config), log });
      await route(store, cfg);
    });
    return { cfg, page: pageOptions(config), timeZone: cityTimeZone(config) };
  } finally {
    store.close();
  }
}

/**
 * What the operator who started `serve` reads: the address, which opens the service's index page, and the same
 * two pointers that page gives (grid workers use their own link; the API's documentation).
 */
export function startupText(shown: string): string {
  return (
    `weisu 网格交办服务已启动：http://${shown}（在浏览器中打开为服务说明页）\n` +
    '网格员、街道和承办单位请打开推送消息中发给本人的链接查看和回传事项；接口 /items（需令牌）说明见 docs/assign.md 的 “HTTP endpoint” 一节。\n'
  );
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('HTTP 服务：各接收人凭自己的令牌查看和回传自己的事项（只在有请求时打开数据库）')
    .option('--port <n>', '端口', '8345')
    .option('--host <addr>', '监听地址', '127.0.0.1')
    .action(async (opts: { port: string; host: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UserError(`--port 应为 0–65535 之间的整数，收到的是 '${opts.port}'`);
      const dbPath = dbPathOf(g);
      const log = createLogger({ cmd: 'serve' });
      const { cfg, page, timeZone } = await prepareStore(g, dbPath, log);
      const server = createFeedbackServer({ dbPath, cfg, log, page, timeZone });
      await new Promise<void>((res, rej) => server.once('error', rej).listen(port, opts.host, () => res()));
      const addr = server.address();
      const shown = typeof addr === 'object' && addr ? `${addr.address}:${addr.port}` : String(addr);
      log.info({ event: 'listening', address: shown }, `weisu 网格交办服务已启动：http://${shown}`);
      if (g.json) process.stdout.write(JSON.stringify({ listening: `http://${shown}` }) + '\n');
      else if (!g.quiet) process.stdout.write(startupText(shown));
      await new Promise<void>((res) => {
        const stop = () => server.close(() => res());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
