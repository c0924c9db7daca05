/**
 * Version changes a reviewer must see, from the versions dist/<stack>/index.json
 * records (config/dist-index.ts, config/runtime-versions.ts): the Kubernetes minor,
 * the k3s release (which carries the Kubernetes patch on Hetzner) and the gVisor
 * release, each with the order in which the running cluster takes it. Used by the
 * manifest diff and the plan, so both say the same.
 */
import type { StackIndex } from '../../config';

export type RecordedVersions = Partial<Pick<StackIndex, 'kubernetesVersion' | 'k3sVersion' | 'gvisorVersion'>>;

/** Reads the version fields of an index.json text; undefined when absent or unreadable. */
export function versionsOfIndex(text: string | undefined): RecordedVersions | undefined {
  if (text === undefined) return undefined;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const pick = (key: keyof RecordedVersions) => (typeof raw[key] === 'string' ? { [key]: raw[key] } : {});
    return { ...pick('kubernetesVersion'), ...pick('k3sVersion'), ...pick('gvisorVersion') };
  } catch {
    return undefined;
  }
}

function minorNumber(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** The order the running cluster takes a new Kubernetes version in. */
export function upgradeOrder(hetzner: boolean): string {
  return hetzner
    ? 'upgrade order: k3s servers one at a time, then each worker pool node by node (cordon, drain honouring PDBs); add-ons must support both minors during the step'
    : 'upgrade order: the EKS control plane first, then each managed node group (rolling, drained), then the EKS add-ons; add-ons must support both minors during the step';
}

function minorChange(before: string, after: string, hetzner: boolean): string {
  const was = minorNumber(before);
  const now = minorNumber(after);
  if (!was || !now || was[0] !== now[0]) return `Kubernetes ${before} → ${after}; ${upgradeOrder(hetzner)}`;
  if (now[1] < was[1]) {
    return `Kubernetes ${before} → ${after} is a downgrade: Kubernetes does not support going back a minor (etcd and stored objects stay at ${before}); restore from a backup instead`;
  }
  const skipped = Array.from({ length: now[1] - was[1] - 1 }, (_, i) => `${now[0]}.${was[1] + i + 1}`);
  const skip = skipped.length
    ? ` skips ${skipped.join(', ')}: Kubernetes upgrades one minor at a time, deploy ${skipped[0]} first;`
    : '';
  return `Kubernetes minor ${before} → ${after}:${skip} ${upgradeOrder(hetzner)}`;
}

/** One message per version that changed between two recorded sets. */
export function versionRisks(before: RecordedVersions | undefined, after: RecordedVersions | undefined): string[] {
  if (!before || !after) return [];
  const hetzner = after.k3sVersion !== undefined || before.k3sVersion !== undefined;
  const out: string[] = [];
  const minorChanged =
    before.kubernetesVersion !== undefined &&
    after.kubernetesVersion !== undefined &&
    before.kubernetesVersion !== after.kubernetesVersion;
  if (minorChanged) out.push(minorChange(before.kubernetesVersion!, after.kubernetesVersion!, hetzner));
  if (before.k3sVersion && after.k3sVersion && before.k3sVersion !== after.k3sVersion) {
    out.push(
      `k3s ${before.k3sVersion} → ${after.k3sVersion}${minorChanged ? '' : ' (a Kubernetes patch change)'}: ` +
        'new and autoscaled nodes boot it; running nodes keep the old release until upgraded in place ' +
        '(servers one at a time, then agents) or replaced one node at a time (cloud-init runs only at first boot)',
    );
  }
  if (before.gvisorVersion && after.gvisorVersion && before.gvisorVersion !== after.gvisorVersion) {
    out.push(
      `gVisor ${before.gvisorVersion} → ${after.gvisorVersion}: new gVisor nodes install it; running ones keep ` +
        `${before.gvisorVersion} until replaced, and the sessions on a node restart when it is drained`,
    );
  }
  if (!before.gvisorVersion && after.gvisorVersion)
    out.push(`gVisor ${after.gvisorVersion} added (a first gVisor pool)`);
  return out;
}
