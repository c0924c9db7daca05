/**
 * Where the time of one in-process synth goes, phase by phase, using the same
 * functions the synth pipeline calls (charts-src/synthesize.ts, render.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateStacks, loadStacks } from '../../charts-src/synthesize';
import { buildApp } from '../../charts-src/app';
import { environmentDiagram } from '../../charts-src/diagram';
import { chartObjects, stackIndex, toYaml, type RenderedFile } from '../../charts-src/render';
import { writeStack } from '../../charts-src/write';

export const PHASES = ['load', 'construct', 'toJson', 'yaml', 'index', 'gate', 'write'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
  load: 'load + validate the stack file (YAML parse, zod, resolve)',
  construct: 'build the construct tree (charts, constructs)',
  toJson: 'cdk8s: resolve, sanitize, order (Chart.toJson)',
  yaml: 'YAML serialization',
  index: 'index.json (environment digest, file digests)',
  gate: 'policy gate (schemas, Pod Security, guardrails, references, cross-layer)',
  write: 'write dist/<stack>/ (temp folder, rename)',
};

export interface PhaseTimes {
  /** Wall time per phase, ms. */
  readonly phases: Record<Phase, number>;
  /** CPU time (user + system, all threads) per phase, ms: less sensitive to other load on the machine. */
  readonly cpu: Record<Phase, number>;
  readonly objects: number;
}

export function measurePhases(root: string, stack: string): PhaseTimes {
  const phases = {} as Record<Phase, number>;
  const cpu = {} as Record<Phase, number>;
  let t = process.hrtime.bigint();
  let c = process.cpuUsage();
  const lap = (phase: Phase) => {
    const now = process.hrtime.bigint();
    const used = process.cpuUsage(c);
    phases[phase] = Number(now - t) / 1e6;
    cpu[phase] = (used.user + used.system) / 1000;
    t = now;
    c = process.cpuUsage();
  };
  const { specs } = loadStacks(root, [stack]);
  const spec = specs[0]!;
  lap('load');
  const app = buildApp(spec);
  lap('construct');
  const charts = chartObjects(app);
  lap('toJson');
  const files: RenderedFile[] = charts.map((c) => ({ ...c, content: toYaml(c.objects) }));
  lap('yaml');
  const index = stackIndex(spec, '0.0.0', files);
  const diagram = environmentDiagram(
    spec,
    files.flatMap((f) => f.objects),
  );
  lap('index');
  gateStacks([{ stack: spec.stack, files, index, diagram }], [spec]);
  lap('gate');
  const out = mkdtempSync(join(tmpdir(), 'bench-phases-'));
  try {
    writeStack(out, { stack: spec.stack, files, index, diagram });
    lap('write');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { phases, cpu, objects: files.reduce((n, f) => n + f.objects.length, 0) };
}
