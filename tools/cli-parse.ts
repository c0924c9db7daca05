/**
 * Commander parsing for the tools that return their output instead of printing it (runbook,
 * plan, simulate): nothing is written while parsing; `--help` becomes exit 0 with the help
 * text, a usage error exit 2 with one line naming the tool.
 */
import type { Command } from 'commander';

export interface ParseRefusal {
  readonly code: 0 | 2;
  readonly out: string;
  readonly err: string;
}

/** Parses `argv` into `cli`; undefined when the tool should go on, else what it returns. */
export function parseQuietly(cli: Command, argv: readonly string[], tool: string): ParseRefusal | undefined {
  cli.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    cli.parse(argv as string[], { from: 'user' });
    return undefined;
  } catch (error) {
    const e = error as { exitCode?: number; message?: string };
    return e.exitCode === 0
      ? { code: 0, out: cli.helpInformation(), err: '' }
      : { code: 2, out: '', err: `${tool}: ${e.message ?? String(error)}\n` };
  }
}
