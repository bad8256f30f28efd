import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, commandName, registerCommands, type CommandEntry } from '../../src/cli/commands/index.js';
import { packageRoot } from '../../src/store/paths.js';
import { runCli, tempDir } from '../helpers.js';

const argv = (...args: string[]) => ['node', 'weisu', ...args];

describe('the command index', () => {
  it('finds the command past global options and through help', () => {
    expect(commandName(argv('--db', 'x.duckdb', '--json', 'alerts', '--as-of', '2026-01-01'))).toBe('alerts');
    expect(commandName(argv('--config', 'c.json', 'topics', 'select'))).toBe('topics');
    expect(commandName(argv('help', 'hotspots'))).toBe('hotspots');
    expect(commandName(argv('--help'))).toBeUndefined();
  });

  it('imports only the module of the command that runs', async () => {
    const load = (name: string) => vi.fn(async () => ({ register: (p: Command) => void p.command(name) }));
    const entries: CommandEntry[] = ['a', 'b', 'c'].map((name) => ({ name, summary: name, modules: [load(name)] }));
    await registerCommands(new Command(), argv('b'), entries);
    expect(entries.map((e) => (e.modules[0] as ReturnType<typeof load>).mock.calls.length)).toEqual([0, 1, 0]);
    const help = new Command();
    await registerCommands(help, argv('--help'), entries);
    expect(help.commands.map((c) => c.name())).toEqual(['a', 'b', 'c']);
    expect(entries.map((e) => (e.modules[0] as ReturnType<typeof load>).mock.calls.length)).toEqual([0, 1, 0]);
  });

  it('lists every command file, and each module registers its command', async () => {
    const dir = join(packageRoot, 'src/cli/commands');
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts'))
      expect(index, `src/cli/commands/${f} is not in the index`).toContain(`import('./${f.replace(/\.ts$/, '.js')}')`);
    for (const entry of COMMANDS) {
      const program = new Command();
      for (const load of entry.modules) (await load()).register(program);
      expect(program.commands.map((c) => c.name())).toContain(entry.name);
    }
  }, 60_000);
});

describe('a newcomer at the command line', () => {
  it('is refused a store that does not exist, and none is created', () => {
    const tmp = tempDir('weisu-nostore-');
    try {
      const db = join(tmp.dir, 'typo.duckdb');
      for (const args of [['alerts'], ['runs'], ['run', 'nightly']]) {
        const r = runCli(['--db', db, ...args]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`找不到数据库文件：${db}`);
      }
      expect(existsSync(db)).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  it('is told a usage mistake in one line with exit 2, like any bad input', () => {
    const tmp = tempDir('weisu-usage-');
    try {
      const db = join(tmp.dir, 'x.duckdb');
      for (const [args, says] of [
        [['report'], "缺少必需的选项 '--month <YYYY-MM>'"],
        [['alerts', '--as-of', '2025-01-01', '--bogus'], "未知选项 '--bogus'"],
        [['topics'], '缺少 --month YYYY-MM'],
      ] as const) {
        const r = runCli(['--db', db, '--json', ...args]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
        expect(lines, args.join(' ')).toHaveLength(1);
        expect(lines[0]).toContain(says);
      }
    } finally {
      tmp.cleanup();
    }
  }, 60_000);

  it('ends quietly when stdout is closed (weisu … | head)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), '--help'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });

  it('runs lists each run with its time zone and its counts', () => {
    const tmp = tempDir('weisu-runs-');
    try {
      const db = join(tmp.dir, 'city.duckdb');
      expect(runCli(['--db', db, 'ingest', join(packageRoot, 'test/fixtures/ingest/canonical.csv')]).code).toBe(0);
      expect(runCli(['--db', db, 'run', 'nightly', '--as-of', '2026-01-02']).code).toBe(0);
      const text = runCli(['--db', db, 'runs']).stdout;
      expect(text).toContain('时间为 Asia/Shanghai');
      expect(text).toMatch(
        /nightly\s+2026-01-02\s+完成\s+[\d.]+\s+入库 \d+ 个文件 · (定位 \d+ 件工单 · )?标签 \d+ 件工单/,
      );
      const doc = JSON.parse(runCli(['--db', db, '--json', 'runs']).stdout) as { timezone: string; runs: unknown[] };
      expect(doc.timezone).toBe('Asia/Shanghai');
      expect(doc.runs).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });
});
