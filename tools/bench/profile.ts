/**
 * Reading a V8 CPU profile (`node --cpu-prof`): self time per function, so the
 * benchmark can say where the time goes instead of guessing.
 */

/** The parts of a `.cpuprofile` file this reads (Chrome DevTools protocol Profile). */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface HotFunction {
  /** `name (file:line)`, with node_modules paths shortened to the package. */
  readonly location: string;
  readonly selfMs: number;
  /** Share of all sampled time, 0..1. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: readonly HotFunction[];
  /** Self time per package (`cdk8s`, `yaml`, `(project)`, `(node)`, `(gc)`...). */
  readonly packages: readonly { readonly name: string; readonly selfMs: number; readonly share: number }[];
}

/** `file:///x/node_modules/@scope/pkg/lib/a.js` → `@scope/pkg/lib/a.js`; project files relative. */
export function shortUrl(url: string, root = ''): string {
  const plain = url.replace(/^file:\/\//, '');
  const nm = plain.lastIndexOf('node_modules/');
  if (nm >= 0) return plain.slice(nm + 'node_modules/'.length);
  if (root && plain.startsWith(root)) return plain.slice(root.length).replace(/^\//, '');
  return plain;
}

/** Package a URL belongs to: the npm package, `(project)` for our code, `(node)` for built-ins. */
export function packageOf(url: string, functionName = ''): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return '(node)';
  const plain = url.replace(/^file:\/\//, '');
  const nm = plain.lastIndexOf('node_modules/');
  if (nm < 0) return '(project)';
  const parts = plain.slice(nm + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Self time per function (samples attributed to the node on top of the stack). */
export function summarizeProfile(profile: CpuProfile, options: { top?: number; root?: string } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const perFunction = new Map<string, number>();
  const perPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? ` (${shortUrl(frame.url, options.root)}:${frame.lineNumber + 1})` : '';
    const key = `${name}${where}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + us);
    const pkg = packageOf(frame.url, name);
    perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + us);
  }
  const share = (us: number) => (total > 0 ? us / total : 0);
  const functions = [...perFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.top ?? 25)
    .map(([location, us]) => ({ location, selfMs: us / 1000, share: share(us) }));
  const packages = [...perPackage]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: share(us) }));
  return { totalMs: total / 1000, functions, packages };
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [`sampled ${summary.totalMs.toFixed(0)} ms`, '', 'self time by package:'];
  for (const p of summary.packages) {
    lines.push(`  ${p.selfMs.toFixed(1).padStart(8)} ms ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.name}`);
  }
  lines.push('', 'top functions by self time:');
  for (const f of summary.functions) {
    lines.push(`  ${f.selfMs.toFixed(1).padStart(8)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.location}`);
  }
  return lines.join('\n');
}
