import type { Command } from 'commander';
import { resolve } from 'node:path';
import { assignConfig } from '../../assign/config.js';
import { route } from '../../assign/items.js';
import { syncRecipients } from '../../assign/recipients.js';
import { createFeedbackServer } from '../../assign/server.js';
import { pageOptions } from '../../assign/page/config.js';
import { loadConfig } from '../../store/config.js';
import { Store } from '../../store/db.js';
import { UserError } from '../../store/errors.js';
import { createLogger } from '../../store/log.js';
import { globalOptions } from '../env.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'HTTP endpoint where each recipient reads and updates its own items with its bearer token (opens the store per request)',
    )
    .option('--port <n>', 'port', '8345')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: string; host: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UserError(`--port must be 0–65535, got '${opts.port}'`);
      const config = loadConfig(g.config);
      const cfg = assignConfig(config);
      const dbPath = resolve(g.db);
      const log = createLogger({ cmd: 'serve' });
      // bring recipients and routes up to date once, then let the file go
      const store = await Store.open(dbPath);
      try {
        await syncRecipients(store, cfg);
        await route(store, cfg);
      } finally {
        store.close();
      }
      const server = createFeedbackServer({ dbPath, cfg, log, page: pageOptions(config) });
      await new Promise<void>((res, rej) => server.once('error', rej).listen(port, opts.host, () => res()));
      const addr = server.address();
      const shown = typeof addr === 'object' && addr ? `${addr.address}:${addr.port}` : String(addr);
      log.info({ event: 'listening', address: shown }, `weisu serve listening on http://${shown}`);
      if (g.json) process.stdout.write(JSON.stringify({ listening: `http://${shown}` }) + '\n');
      else if (!g.quiet) process.stdout.write(`listening on http://${shown}\n`);
      await new Promise<void>((res) => {
        const stop = () => server.close(() => res());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
