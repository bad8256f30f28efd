import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../store/errors.js';
import { commandName, registerCommands } from './commands/index.js';
import { CHINESE_HELP } from './help-zh.js';
import { packageRoot } from '../store/paths.js';

// Defence in depth for --json: a dependency that loads dotenv (natural's index does) must not print on stdout.
process.env.DOTENV_CONFIG_QUIET ??= 'true';

export function buildProgram(): Command {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return new Command('weisu')
    .description('未诉先办：12345 热线工单的预警、调度选题与交办闭环')
    .version(pkg.version, '-V, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .configureHelp(CHINESE_HELP)
    .option('--db <file>', '数据库文件（DuckDB）', process.env.WEISU_DB ?? './weisu.duckdb')
    .option('--config <file>', '配置文件（JSON）')
    .option('--json', '标准输出只输出一个 JSON 文档（日志仍写到标准错误）')
    .option('-q, --quiet', '不显示进度条和摘要行')
    .configureOutput({ outputError: (str, write) => write(usageLine(str)) })
    .exitOverride();
}

/**
 * A usage error (missing or unknown option, unknown command) is bad input like any other: one line on stderr and
 * exit 2 (CONTRACT §3), with the way to the help instead of the whole help text after it.
 */
export function usageLine(commanderMessage: string): string {
  const reason = commanderMessage
    .replace(/^error:\s*/i, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return `weisu: ${inChinese(reason)}（用法见 weisu help）\n`;
}

/** Commander's usage messages, said in Chinese (the user's language; option names stay as typed). */
const USAGE_ZH: [RegExp, string][] = [
  [/^unknown option '([^']*)'/, "未知选项 '$1'"],
  [/^unknown command '([^']*)'/, "未知命令 '$1'"],
  [/^required option '([^']*)' not specified/, "缺少必需的选项 '$1'"],
  [/^option '([^']*)' argument missing/, "选项 '$1' 缺少取值"],
  [/^missing required argument '([^']*)'/, "缺少必需的参数 '$1'"],
  [
    /^too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./,
    '参数过多：应为 $2 个，实际 $3 个。',
  ],
  [/\s*\(Did you mean one of ([^?]*)\?\)/, '（是否想输入以下之一：$1？）'],
  [/\s*\(Did you mean ([^?]*)\?\)/, '（是否想输入 $1？）'],
];

function inChinese(reason: string): string {
  return USAGE_ZH.reduce((text, [pattern, zh]) => text.replace(pattern, zh), reason);
}

/** A closed stdout (`weisu alerts | head`) ends the command quietly: the reader already has what it wanted. */
let stdoutGuarded = false;
function endQuietlyOnClosedStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Entry point; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedStdout();
  // a config, mapping or taxonomy file that fails its schema is told in the user's language (zod's own wording);
  // loaded only for a command, so `weisu --help` does not pay for zod
  if (commandName(argv)) {
    const { z } = await import('zod');
    z.config(z.locales.zhCN());
  }
  const program = buildProgram();
  await registerCommands(program, argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end here too, with code 0; every usage error is bad input (2)
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`weisu: ${err.message}\n`);
      return 2;
    }
    const e = err as Error;
    process.stderr.write(`weisu: 出错：${e.message.split('\n')[0]}\n`);
    if (process.env.WEISU_DEBUG) process.stderr.write((e.stack ?? '') + '\n');
    return 1;
  }
}

// Run directly (tsx src/cli/main.ts …) as well as through bin/weisu.js.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv);
}
