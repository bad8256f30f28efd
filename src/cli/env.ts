import type { Command } from 'commander';
import { resolve } from 'node:path';
import { Store } from '../store/db.js';
import { configPath, loadConfig, type Config } from '../store/config.js';
import { createLogger, type Logger } from '../store/log.js';
import { resolveSalt } from '../store/salt.js';
import { createProgress, type ProgressFn } from './progress.js';

export interface GlobalOptions {
  db: string;
  config?: string;
  json?: boolean;
  quiet?: boolean;
}

/** What a command gets: the open store, the config, a logger and the two output channels. */
export interface CliEnv {
  store: Store;
  config: Config;
  log: Logger;
  json: boolean;
  dbPath: string;
  outDir: string;
  salt: () => string;
  progress: ProgressFn;
  /** A line for a person (stdout), suppressed with --json or --quiet. */
  say: (line: string) => void;
  /** The one JSON document of a --json command (stdout). */
  emit: (doc: unknown) => void;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Open the store named by --db, run fn, and always close it. */
export async function withStore<T>(cmd: Command, fn: (env: CliEnv) => Promise<T>): Promise<T> {
  const g = globalOptions(cmd);
  const json = Boolean(g.json);
  const config = loadConfig(g.config);
  const dbPath = g.db === ':memory:' ? g.db : resolve(g.db);
  const log = createLogger({ cmd: cmd.name() });
  const store = await Store.open(dbPath);
  const bar = createProgress(!json && !g.quiet);
  let salt: string | undefined;
  const env: CliEnv = {
    store,
    config,
    log,
    json,
    dbPath,
    outDir: configPath(config, config.outDir),
    salt: () => (salt ??= resolveSalt(config, dbPath)),
    progress: bar.progress,
    say: (line) => {
      if (!json && !g.quiet) process.stdout.write(line + '\n');
    },
    emit: (doc) => {
      process.stdout.write(JSON.stringify(doc, null, json ? 2 : 2) + '\n');
    },
  };
  try {
    return await fn(env);
  } finally {
    bar.stop();
    store.close();
  }
}

/** A StageContext for a command that runs stages itself (ad-hoc analytical commands). */
export function stageContext(env: CliEnv, asOf: string, runId = `cli-${asOf}`): import('../store/stage.js').StageContext {
  return { store: env.store, asOf, runId, log: env.log.child({ run_id: runId, as_of: asOf }), config: env.config, outDir: env.outDir, progress: env.progress };
}
