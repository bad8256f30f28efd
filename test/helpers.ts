import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Store } from '../src/store/db.js';
import { configFrom, type Config } from '../src/store/config.js';
import { createLogger } from '../src/store/log.js';
import type { StageContext } from '../src/store/stage.js';
import { packageRoot } from '../src/store/paths.js';

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'weisu-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new store in a temp directory (migrated). */
export async function tempStore(): Promise<{ store: Store; dir: string; dbPath: string; cleanup: () => void }> {
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, 'test.duckdb');
  const store = await Store.open(dbPath);
  return {
    store,
    dir,
    dbPath,
    cleanup: () => {
      try {
        store.close();
      } catch {
        /* already closed */
      }
      cleanup();
    },
  };
}

/**
 * A config for tests. Drop-folder files are read however recently they were written (ingest.settle_minutes 0):
 * tests write a file and run the night at once; test/ingest/drop-night.test.ts tests the wait itself.
 */
export function testConfig(raw: Record<string, unknown> = {}): Config {
  const ingest = { settle_minutes: 0, ...(raw.ingest as Record<string, unknown> | undefined) };
  return configFrom({ salt: 'test-salt-0123456789', ...raw, ingest });
}

export function testContext(
  store: Store,
  asOf: string,
  raw: Record<string, unknown> = {},
  outDir = tmpdir(),
): StageContext {
  return {
    store,
    asOf,
    runId: 'test-' + asOf,
    log: createLogger({ test: true }),
    config: testConfig(raw),
    outDir,
    progress: () => {},
  };
}

/** tsx's loader by its file URL: `--import tsx` resolves from the child's cwd, which is not always this package. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI from source (tsx) in a child process, as a user would run it. */
export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): CliResult {
  const res = spawnSync(process.execPath, ['--import', TSX, join(packageRoot, 'src/cli/main.ts'), ...args], {
    cwd: opts.cwd ?? packageRoot,
    env: { ...process.env, WEISU_LOG_LEVEL: 'warn', WEISU_SALT: 'test-salt-0123456789', ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/**
 * runCli without blocking the test worker: long commands (the demo) must not hold vitest's event loop, or its
 * worker RPC times out while the child runs.
 */
export function runCliAsync(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, join(packageRoot, 'src/cli/main.ts'), ...args], {
      cwd: opts.cwd ?? packageRoot,
      env: { ...process.env, WEISU_LOG_LEVEL: 'warn', WEISU_SALT: 'test-salt-0123456789', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Starts `server` on a free loopback port; returns its base URL (`http://127.0.0.1:<port>`) and the port. */
export async function listenLocal(server: Server): Promise<{ base: string; port: number }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, port };
}
