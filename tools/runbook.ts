/**
 * `npm run runbook -- --stack <name> [--root <dir>] [--write]`: prints the restore
 * runbook of a stack (tools/runbook/restore.ts); `--write` writes it to
 * `docs/restore/<stack>.md` instead, where the committed runbooks live (a test keeps
 * them current). Exit 0; 2 on unusable input (unknown stack, invalid file, no backup).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigError, loadStackFile } from '../config';
import { restoreRunbook } from './runbook/restore';
import { parseQuietly } from './cli-parse';

export interface RunbookRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Where the committed runbook of a stack lives, under the repository root. */
export const runbookPath = (root: string, stack: string) => join(root, 'docs', 'restore', `${stack}.md`);

export function runRunbook(argv: string[], cwd: string): RunbookRun {
  const cli = new Command()
    .name('runbook')
    .description('The restore runbook of a stack: etcd, Velero and Vault, with its names filled in.')
    .requiredOption('--stack <name>', 'stack (Pulumi.<name>.yaml)')
    .option('--root <dir>', 'folder holding the stack file', '.')
    .option('--write', 'write docs/restore/<stack>.md instead of printing');
  const refused = parseQuietly(cli, argv, 'runbook');
  if (refused) return refused;
  const opts = cli.opts<{ stack: string; root: string; write?: boolean }>();
  const root = resolve(cwd, opts.root);
  const file = join(root, `Pulumi.${opts.stack}.yaml`);
  if (!existsSync(file)) return { code: 2, out: '', err: `runbook: ${file} does not exist (the stack's file)\n` };
  let text: string | undefined;
  try {
    text = restoreRunbook(loadStackFile(file, opts.stack).spec);
  } catch (error) {
    if (error instanceof ConfigError) return { code: 2, out: '', err: `runbook: ${error.message}\n` };
    throw error;
  }
  if (!text) {
    return { code: 2, out: '', err: `runbook: Pulumi.${opts.stack}.yaml declares no backup (see docs/backup.md)\n` };
  }
  if (!opts.write) return { code: 0, out: `${text}\n`, err: '' };
  const path = runbookPath(root, opts.stack);
  mkdirSync(join(root, 'docs', 'restore'), { recursive: true });
  writeFileSync(path, `${text}\n`);
  return { code: 0, out: `wrote ${path}\n`, err: '' };
}

if (require.main === module) {
  const run = runRunbook(process.argv.slice(2), process.cwd());
  process.stdout.write(run.out);
  process.stderr.write(run.err);
  process.exitCode = run.code;
}
