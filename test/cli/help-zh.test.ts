import { Help, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, registerCommands } from '../../src/cli/commands/index.js';
import { CHINESE_HELP } from '../../src/cli/help-zh.js';
import { buildProgram } from '../../src/cli/main.js';

const HAN = /\p{Script=Han}/u;

/** The program with every command's module registered, as `weisu <cmd> --help` sees each. */
async function fullProgram(): Promise<Command> {
  const program = buildProgram();
  for (const entry of COMMANDS) {
    for (const load of entry.modules) (await load()).register(program);
    program.commands.find((c) => c.name() === entry.name)?.summary(entry.summary);
  }
  return program;
}

function* allCommands(cmd: Command): Generator<Command> {
  yield cmd;
  for (const sub of cmd.commands) yield* allCommands(sub);
}

describe('weisu --help', () => {
  it('describes every command, argument and option in Chinese, under Chinese headings, flags unchanged', async () => {
    const program = await fullProgram();
    const english: string[] = [];
    for (const cmd of allCommands(program)) {
      const path = cmd.parent ? `${cmd.parent.name()} ${cmd.name()}` : cmd.name();
      if (!HAN.test(cmd.description())) english.push(`${path}: ${cmd.description()}`);
      for (const o of cmd.options) if (!HAN.test(o.description)) english.push(`${path} ${o.flags}: ${o.description}`);
      for (const a of cmd.registeredArguments)
        if (!HAN.test(a.description)) english.push(`${path} <${a.name()}>: ${a.description}`);
      const text = cmd.helpInformation();
      expect(text, path).toMatch(/^用法: /);
      expect(text, path).not.toMatch(/Usage:|Options:|Commands:|Arguments:|display help|\(default: /);
    }
    expect(english).toEqual([]);
    const top = program.helpInformation();
    for (const s of ['选项：', '命令：', '--db <file>', '--config <file>', '--json', '-q, --quiet', '显示帮助'])
      expect(top).toContain(s);
    expect(top).toContain('（默认："./weisu.duckdb"）');
    const run = program.commands.find((c) => c.name() === 'run')!;
    expect(run.options.map((o) => o.long)).toEqual(['--as-of', '--retries']);
  });

  it('wraps Chinese text between characters to the width, losing nothing, never starting a line with a comma', () => {
    const help = Object.assign(new Help(), CHINESE_HELP);
    const text = '只用此日期之前受理的工单（YYYY-MM-DD），默认今天；不为“预测激增”预警运行 forecast 步骤，逗号分隔';
    const wrapped = help.boxWrap(text + text, 40);
    const lines = wrapped.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) {
      expect(help.displayWidth(l), l).toBeLessThanOrEqual(40);
      expect(l).not.toMatch(/^[，。；）]/);
    }
    expect(wrapped.replace(/\s/g, '')).toBe((text + text).replace(/\s/g, ''));
    expect(help.displayWidth('默认：a')).toBe(7);
  });
});

describe('usage errors', () => {
  it('are one Chinese line each, with option and command names as typed', async () => {
    const said: Record<string, string> = {};
    for (const args of [
      ['runz'],
      ['run'],
      ['run', 'nightly', 'extra'],
      ['alerts', '--kindd', 'x'],
      ['--db'],
      ['topics', 'select'],
    ]) {
      const program = buildProgram();
      let err = '';
      program.configureOutput({ writeErr: (s) => void (err += s) });
      await registerCommands(program, ['node', 'weisu', ...args]);
      await expect(program.parseAsync(['node', 'weisu', ...args])).rejects.toThrow();
      said[args.join(' ')] = err;
    }
    expect(said).toEqual({
      runz: "weisu: 未知命令 'runz'（是否想输入以下之一：run, runs？）（用法见 weisu help）\n",
      run: "weisu: 缺少必需的参数 'pipeline'（用法见 weisu help）\n",
      'run nightly extra': 'weisu: 参数过多：应为 1 个，实际 2 个。（用法见 weisu help）\n',
      'alerts --kindd x': "weisu: 未知选项 '--kindd'（是否想输入 --kind？）（用法见 weisu help）\n",
      '--db': "weisu: 选项 '--db <file>' 缺少取值（用法见 weisu help）\n",
      'topics select': "weisu: 缺少必需的选项 '--category <path>'（用法见 weisu help）\n",
    });
  });
});
