import type { Command } from 'commander';

/** A command module exports `register(program)`, which adds its command (or its subcommands to a group). */
export interface CommandModule {
  register(program: Command): void;
}

/** One top-level command: its name, the line `weisu --help` shows, and the module(s) that register it. */
export interface CommandEntry {
  name: string;
  summary: string;
  modules: readonly (() => Promise<CommandModule>)[];
}

/**
 * Every command of the CLI, in the order `weisu --help` lists them. A command's module is imported only when that
 * command runs: the modules pull in DuckDB, the tagger's NLP library, the charting and geometry packages, and
 * `weisu --help` or `weisu runs` should not pay for what they do not use.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: '生成演示城市，读入并运行全部任务',
    modules: [() => import('./demo.js')],
  },
  {
    name: 'synth',
    summary: '生成模拟城市（边界、工单、真实事件）',
    modules: [() => import('./synth.js')],
  },
  {
    name: 'ingest',
    summary: '读入导出的工单文件（CSV、XLSX、Parquet、JSON Lines、Arrow）',
    modules: [() => import('./ingest.js')],
  },
  {
    name: 'run',
    summary: '运行一次任务：nightly（每夜）| weekly（每周）| monthly（每月）',
    modules: [() => import('./run.js')],
  },
  {
    name: 'schedule',
    summary: '按计划定时运行各任务，并补跑错过的',
    modules: [() => import('./schedule.js')],
  },
  { name: 'runs', summary: '任务运行记录：用时和各步骤数量', modules: [() => import('./runs.js')] },
  {
    name: 'health',
    summary: '任务上次运行失败或缺失时以非零码退出（用于监控）',
    modules: [() => import('./health.js')],
  },
  {
    name: 'forecast',
    summary: '各类别的每周预测及其 80% 区间',
    modules: [() => import('./forecast.js')],
  },
  {
    name: 'alerts',
    summary: '全市、区县、街道范围内上升和新出现的诉求类别',
    modules: [() => import('./alerts.js')],
  },
  { name: 'hotspots', summary: '近几周的诉求热点地区', modules: [() => import('./hotspots.js')] },
  {
    name: 'topics',
    summary: '本月调度选题候选；记录领导选定的选题',
    modules: [() => import('./topics.js')],
  },
  {
    name: 'assign',
    summary: '选定选题和热点的交办清单',
    modules: [() => import('./assign.js')],
  },
  { name: 'push', summary: '把未办结事项推送给各接收人', modules: [() => import('./push.js')] },
  { name: 'serve', summary: '接收人查看和回传事项的服务（接口和页面）', modules: [() => import('./serve.js')] },
  {
    name: 'feedback',
    summary: '网格员和承办单位的回传',
    modules: [() => import('./feedback.js')],
  },
  {
    name: 'effect',
    summary: '已办结事项的成效和月度考核',
    modules: [() => import('./effect.js')],
  },
  { name: 'report', summary: '生成月度领导报告', modules: [() => import('./report.js')] },
  {
    name: 'tag',
    summary: '根因标签：解释一件工单的标签，评估打标效果',
    modules: [() => import('./tag.js')],
  },
  {
    name: 'backtest',
    summary: '在过去的日期上重演一个步骤，并与已知事件对照打分',
    modules: [() => import('./backtest-alerts.js'), () => import('./backtest-forecast.js')],
  },
  {
    name: 'export',
    summary: '把数据库导出为按年/月分区的 Parquet 和 Arrow IPC',
    modules: [() => import('./export.js')],
  },
];

/** Global options that take a value: their value is not the command's name. */
const VALUE_OPTIONS = new Set(['--db', '--config']);

/** The command a command line names (`weisu --db x alerts …` → alerts; `weisu help alerts` → alerts). */
export function commandName(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) return a === 'help' ? args.slice(i + 1).find((x) => !x.startsWith('-')) : a;
  }
  return undefined;
}

/**
 * Register the command the command line names, from its module, and every other command by name and summary only
 * (so `--help` lists them all and a mistyped name gets commander's suggestion).
 */
export async function registerCommands(
  program: Command,
  argv: readonly string[],
  commands: readonly CommandEntry[] = COMMANDS,
): Promise<void> {
  const wanted = commandName(argv);
  for (const entry of commands) {
    if (entry.name === wanted) {
      for (const load of entry.modules) (await load()).register(program);
      const cmd = program.commands.find((c) => c.name() === entry.name);
      cmd?.summary(entry.summary);
    } else {
      program.command(entry.name).summary(entry.summary);
    }
  }
}
