import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Store } from '../store/db.js';
import { cityTimeZone, configPath, loadConfig, type Config } from '../store/config.js';
import { parseAsOf } from '../store/dates.js';
import { createLogger, type Logger } from '../store/log.js';
import { resolveSalt } from '../store/salt.js';
import { UserError } from '../store/errors.js';
import { assertNoRunLock } from '../pipeline/lock.js';
import { createProgress, type ProgressFn } from './progress.js';
import type { ProgressReporter } from '../pipeline/types.js';

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
  /** Progress of work the command does itself. */
  progress: ProgressFn;
  /** Progress of a run the command starts (run-stages.ts): the runner gives it the run's logger. */
  progressFor: ProgressReporter;
  /** A line for a person (stdout), suppressed with --json or --quiet. */
  say: (line: string) => void;
  /** The one JSON document of a --json command (stdout). */
  emit: (doc: unknown) => void;
}

/** The --db value as an absolute path (':memory:' stays as it is). */
export function dbPathOf(g: GlobalOptions): string {
  return g.db === ':memory:' ? g.db : resolve(g.db);
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/**
 * A store remembers the config it was last run with (settings key `config.path`, written by any command given
 * --config, and by `weisu demo`), so later commands on it need no --config. Without this, a command run once
 * without --config placed every order again against the default boundaries and wrote forecasts under the default
 * city name, which later runs with the config then read as stale.
 */
export async function rememberedConfig(store: Store): Promise<string | undefined> {
  const p = await storedConfigPath(store);
  return p && existsSync(p) ? p : undefined;
}

function storedConfigPath(store: Store): Promise<string | undefined> {
  return store.value<string>("SELECT value FROM settings WHERE key = 'config.path'");
}

/** Record --config as the store's config (a no-op when it already is). */
export async function rememberConfig(store: Store, path: string, log?: Logger): Promise<void> {
  const abs = resolve(path);
  const before = await storedConfigPath(store);
  if (before === abs) return;
  await store.exec("INSERT OR REPLACE INTO settings (key, value) VALUES ('config.path', $p)", { p: abs });
  log?.info(
    { event: 'config_remembered', config: abs, previous: before ?? null },
    'the store now remembers this config',
  );
}

/** The commands that may create a store; every other one reads an existing store. */
const CREATES_STORE = ['ingest', 'demo', 'synth'];
/** Commands that also work on no data (`tag explain --text`, `tag eval`): without a store they get an in-memory one. */
const WORKS_WITHOUT_STORE = ['tag'];

/** The top-level command a (sub)command belongs to: `weisu topics select` → topics. */
function topCommand(cmd: Command): string {
  let c = cmd;
  while (c.parent?.parent) c = c.parent;
  return c.name();
}

/**
 * Refuse a store that does not exist, unless the command creates one: a mistyped --db would otherwise create an
 * empty store and answer 'alerts: 0' as if the city were quiet.
 */
export function requireStore(dbPath: string, command: string): void {
  if (dbPath === ':memory:' || CREATES_STORE.includes(command) || existsSync(dbPath)) return;
  throw new UserError(`找不到数据库文件：${dbPath} — 请检查 --db（${CREATES_STORE.join('、')} 会新建数据库）`);
}

/** The store a command opens: --db, or an in-memory one for a command that needs no data when --db does not exist. */
function storeFor(dbPath: string, command: string): string {
  if (WORKS_WITHOUT_STORE.includes(command) && dbPath !== ':memory:' && !existsSync(dbPath)) return ':memory:';
  requireStore(dbPath, command);
  return dbPath;
}

/**
 * Open the store for a command, or fail with one Chinese line when another process holds it: the run lock's holder
 * (pipeline, pid, since) when a pipeline run holds it, else the pid DuckDB names. Exit 2 (a user error): the store is
 * busy, nothing is wrong with it, and DuckDB's own multi-line lock message names only a binary and a pid.
 */
export async function openForCommand(dbPath: string): Promise<Store> {
  if (dbPath === ':memory:') return Store.open(dbPath);
  assertNoRunLock(dbPath);
  try {
    return await Store.open(dbPath);
  } catch (err) {
    const msg = (err as Error).message;
    if (!/Could not set lock|in use by another process/i.test(msg)) throw err;
    assertNoRunLock(dbPath); // a run may have taken the lock file between the first check and the open
    const pid = /PID (\d+)/.exec(msg)?.[1];
    throw new UserError(`数据库 ${dbPath} 正被另一个进程使用${pid ? `（进程 ${pid}）` : ''}；请等它结束后再试`);
  }
}

/** Open the store named by --db, run fn, and always close it. */
export async function withStore<T>(cmd: Command, fn: (env: CliEnv) => Promise<T>): Promise<T> {
  const g = globalOptions(cmd);
  const json = Boolean(g.json);
  const dbPath = storeFor(dbPathOf(g), topCommand(cmd));
  const log = createLogger({ cmd: cmd.name() });
  const store = await openForCommand(dbPath);
  let config: Config;
  try {
    config = loadConfig(g.config ?? (await rememberedConfig(store)));
    if (g.config && dbPath !== ':memory:') await rememberConfig(store, g.config, log);
  } catch (err) {
    store.close();
    throw err;
  }
  const bar = createProgress(!json && !g.quiet, log);
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
    progressFor: bar.forRun,
    say: (line) => {
      if (!json && !g.quiet) process.stdout.write(line + '\n');
    },
    emit: (doc) => {
      process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
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
export function stageContext(
  env: CliEnv,
  asOf: string,
  runId = `cli-${asOf}`,
): import('../store/stage.js').StageContext {
  return {
    store: env.store,
    asOf,
    runId,
    log: env.log.child({ run_id: runId, as_of: asOf }),
    config: env.config,
    outDir: env.outDir,
    progress: env.progress,
  };
}

/**
 * The config for commands that open the store themselves (run, schedule): --config, else the remembered one. They
 * may start on a store that does not exist yet only when a drop folder is configured (the nightly's ingest creates it).
 */
export async function loadConfigFor(g: GlobalOptions): Promise<Config> {
  const dbPath = dbPathOf(g);
  if (dbPath === ':memory:') return loadConfig(g.config);
  if (!existsSync(dbPath)) {
    const config = loadConfig(g.config);
    if (!config.dropFolder) requireStore(dbPath, 'run');
    if (!g.config) return config;
  }
  // read-only when only reading: finding the remembered config must not write (a full disk would fail here, before
  // the run's lock and its failure record)
  const store = await Store.open(dbPath, { readOnly: !g.config });
  try {
    if (!g.config) return loadConfig(await rememberedConfig(store));
    const config = loadConfig(g.config);
    await rememberConfig(store, g.config);
    return config;
  } finally {
    store.close();
  }
}

/**
 * A command's --as-of: the date given, checked at once (before any store opens), else today in the city's zone
 * (config `city.timezone`, default Asia/Shanghai), which is known only once the config is read. A nightly started at
 * 02:00 in Toronto must name Toronto's day, not Shanghai's afternoon of the same day.
 */
export function asOfOption(value: string | undefined, now: () => Date = () => new Date()): (config: Config) => string {
  // an empty --as-of is a script's unset variable (--as-of "$DAY"), not a request for today: refused, not replaced
  if (value === '') throw new UserError('--as-of 为空：应为 YYYY-MM-DD 格式的日期（不写 --as-of 则为今天）');
  const given = value ? parseAsOf(value) : undefined;
  return (config) => given ?? parseAsOf(undefined, '--as-of', cityTimeZone(config), now());
}
