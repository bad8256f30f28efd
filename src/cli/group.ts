import type { Command } from 'commander';

/**
 * A command group shared by several stages' command files (e.g. `backtest alerts` and `backtest forecast`):
 * the first caller creates it, later callers add their subcommands to it.
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
