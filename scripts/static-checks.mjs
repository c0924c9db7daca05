// The static half of `npm test`: the type-check, the lint and the import-cycle check
// (scripts/check-cycles.mjs) run side by side (on two cores that saves the ~10 s the
// lint would otherwise add after tsc). Each one's output
// is printed whole, after it finishes; the exit code is non-zero if either failed.
import { spawn } from 'node:child_process';

const jobs = [
  { name: 'typecheck', command: 'npx', args: ['--no-install', 'tsc', '--noEmit'] },
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'import cycles', command: 'node', args: ['scripts/check-cycles.mjs'] },
];

function run(job) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(job.command, job.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const lines = output
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.includes('Unknown user config'))
        .join('\n');
      process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} ${job.name} (${seconds} s)\n${lines ? `${lines}\n` : ''}`);
      resolve(code ?? 1);
    });
  });
}

const codes = await Promise.all(jobs.map(run));
process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
