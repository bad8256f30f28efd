import { Command, CommanderError } from 'commander';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../store/errors.js';
import { packageRoot } from '../store/paths.js';

/** A command module in ./commands exports `register(program)`. */
export interface CommandModule {
  register(program: Command): void;
}

// Defence in depth for --json: a dependency that loads dotenv (natural's index does) must not print on stdout.
process.env.DOTENV_CONFIG_QUIET ??= 'true';

// Commands are discovered from ./commands, so each stage owns its command file and none edits a shared list.
async function loadCommands(program: Command): Promise<void> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as Partial<CommandModule>;
    if (typeof mod.register === 'function') mod.register(program);
  }
}

export function buildProgram(): Command {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return new Command('weisu')
    .description('未诉先办 early warning over 12345 hotline work orders')
    .version(pkg.version)
    .option('--db <file>', 'the DuckDB store', process.env.WEISU_DB ?? './weisu.duckdb')
    .option('--config <file>', 'configuration file (JSON)')
    .option('--json', 'print exactly one JSON document on stdout (logs stay on stderr)')
    .option('-q, --quiet', 'no progress bar or summary lines')
    .showHelpAfterError()
    .exitOverride();
}

/** Entry point; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  await loadCommands(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end here too, with code 0
      return err.exitCode;
    }
    if (err instanceof UserError) {
      process.stderr.write(`weisu: ${err.message}\n`);
      return 2;
    }
    const e = err as Error;
    process.stderr.write(`weisu: error: ${e.message.split('\n')[0]}\n`);
    if (process.env.WEISU_DEBUG) process.stderr.write((e.stack ?? '') + '\n');
    return 1;
  }
}

// Run directly (tsx src/cli/main.ts …) as well as through bin/weisu.js.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv);
}
