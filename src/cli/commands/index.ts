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
    summary: 'generate the demo city, load it and run every pipeline',
    modules: [() => import('./demo.js')],
  },
  {
    name: 'synth',
    summary: 'generate a synthetic city (boundaries, orders, truth)',
    modules: [() => import('./synth.js')],
  },
  {
    name: 'ingest',
    summary: 'load export files (CSV, XLSX, Parquet, JSON Lines, Arrow)',
    modules: [() => import('./ingest.js')],
  },
  { name: 'run', summary: 'run one pipeline once: nightly | weekly | monthly', modules: [() => import('./run.js')] },
  {
    name: 'schedule',
    summary: 'run the pipelines on their cron, with catch-up',
    modules: [() => import('./schedule.js')],
  },
  { name: 'runs', summary: 'history of pipeline runs with durations and counts', modules: [() => import('./runs.js')] },
  {
    name: 'health',
    summary: "exit non-zero when a pipeline's last run failed or is missing",
    modules: [() => import('./health.js')],
  },
  {
    name: 'forecast',
    summary: 'weekly forecasts with 80% intervals per category',
    modules: [() => import('./forecast.js')],
  },
  {
    name: 'alerts',
    summary: 'rising and emerging categories at city, district and street scope',
    modules: [() => import('./alerts.js')],
  },
  { name: 'hotspots', summary: 'spatial hotspots of the last weeks', modules: [() => import('./hotspots.js')] },
  {
    name: 'topics',
    summary: "the month's 调度 topic candidates; record the leaders' choice",
    modules: [() => import('./topics.js')],
  },
  {
    name: 'assign',
    summary: 'assignment lists (交办清单) for the chosen topic and the hotspots',
    modules: [() => import('./assign.js')],
  },
  { name: 'push', summary: 'send each recipient its open items', modules: [() => import('./push.js')] },
  { name: 'serve', summary: 'the feedback endpoint and pages for recipients', modules: [() => import('./serve.js')] },
  {
    name: 'feedback',
    summary: 'results returned by grid workers and units (回传)',
    modules: [() => import('./feedback.js')],
  },
  {
    name: 'effect',
    summary: 'effect (成效) of finished items and the monthly scorecard',
    modules: [() => import('./effect.js')],
  },
  { name: 'report', summary: 'write the monthly leadership report', modules: [() => import('./report.js')] },
  {
    name: 'tag',
    summary: 'root-cause tagging: explain an order, evaluate the tagger',
    modules: [() => import('./tag.js')],
  },
  {
    name: 'backtest',
    summary: 'replay a stage over past dates and score it against planted truth',
    modules: [() => import('./backtest-alerts.js'), () => import('./backtest-forecast.js')],
  },
  {
    name: 'export',
    summary: 'write the store as Parquet by year/month plus Arrow IPC',
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
