import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { OS_UPDATE_SCRIPT, UpgradesChart } from '../../../charts-src/charts/upgrades';
import { waitForPlansScript } from '../../../charts-src/constructs/node-upgrade-plan';
import { SYSTEM_UPGRADE_CONTROLLER } from '../../../config';
import { poolBootstrap } from '../../../infra/hcloud/node-bootstrap';
import { gate } from '../../policy/fixtures';
import { parseRaw, rawStack, SHARED_ROOT, stackSpec } from '../../support/environments';
import { exampleSpec } from '../../support/examples';
import { render, type Any } from '../../support/render';
import { Testing } from 'cdk8s';

const upgradesOf = (spec = stackSpec('staging')): Any[] => [
  ...(render(spec).files.find((f) => f.name === 'upgrades.yaml')?.objects ?? []),
];
const plans = (objects: Any[]) => objects.filter((o) => o.kind === 'Plan');
const plan = (objects: Any[], name: string) => plans(objects).find((p) => p.metadata.name === name);

describe('upgrade Plans (hcloud, system-upgrade-controller)', () => {
  const objects = upgradesOf();

  it('upgrades k3s on the servers first, then each pool in stack-file order, then the OS', () => {
    expect(plans(objects).map((p) => p.metadata.name)).toEqual(['k3s-server', 'k3s-api', 'k3s-agents', 'os-updates']);
    expect(plan(objects, 'k3s-server').spec.prepare).toBeUndefined();
    expect(plan(objects, 'k3s-api').spec.prepare.args).toEqual([waitForPlansScript(['k3s-server'], 'v1.35.8+k3s1')]);
    expect(plan(objects, 'k3s-agents').spec.prepare.args).toEqual([waitForPlansScript(['k3s-api'], 'v1.35.8+k3s1')]);
    expect(plan(objects, 'os-updates').spec.prepare.args).toEqual([
      waitForPlansScript(['k3s-server', 'k3s-api', 'k3s-agents'], 'v1.35.8+k3s1'),
    ]);
  });

  it('waits on the version and the Complete condition the controller reports', () => {
    expect(waitForPlansScript(['k3s-server'], 'v1.35.8+k3s1')).toBe(
      [
        'set -eu',
        'for plan in k3s-server; do',
        `  until [ "$(/opt/k3s kubectl get plan "$plan" -n system-upgrade -o jsonpath='{.status.latestVersion}/{.status.conditions[?(@.type=="Complete")].status}')" = "v1.35.8+k3s1/True" ]; do`,
        '    echo "waiting for plan $plan to complete v1.35.8+k3s1"; sleep 15',
        '  done',
        'done',
      ].join('\n'),
    );
    // The waiting step runs in the k3s-upgrade image of the release (it has sh and /opt/k3s).
    for (const name of ['k3s-api', 'k3s-agents', 'os-updates']) {
      expect(plan(objects, name).spec.prepare).toMatchObject({
        image: 'rancher/k3s-upgrade:v1.35.8-k3s1',
        command: ['sh', '-c'],
      });
    }
  });

  it('touches one node at a time, cordoned and drained through eviction so PDBs hold', () => {
    for (const p of plans(objects)) {
      expect(p.metadata.namespace).toBe('system-upgrade');
      expect(p.spec).toMatchObject({
        concurrency: 1,
        cordon: true,
        serviceAccountName: 'node-upgrade-jobs',
        drain: {
          ignoreDaemonSets: true,
          deleteEmptydirData: true,
          disableEviction: false,
          force: false,
          timeout: '15m',
        },
      });
    }
  });

  it('rolls out the k3s release of the table, the one new and autoscaled nodes boot', () => {
    const spec = stackSpec('staging');
    for (const pool of spec.nodePools) {
      const p = plan(objects, pool.role === 'control-plane' ? 'k3s-server' : `k3s-${pool.name}`);
      expect(p.spec.version).toBe('v1.35.8+k3s1');
      expect(p.spec.version).toBe(poolBootstrap(spec, pool).k3sRelease);
      expect(p.spec.upgrade).toEqual({ image: 'rancher/k3s-upgrade' });
      // Selects the pool's nodes, except those that booted this release.
      expect(p.spec.nodeSelector.matchExpressions).toEqual([
        { key: 'agent-platform.io/pool', operator: 'In', values: [pool.name] },
        { key: 'agent-platform.io/k3s-boot-release', operator: 'NotIn', values: ['v1.35.8-k3s1'] },
      ]);
      expect(poolBootstrap(spec, pool).labels['agent-platform.io/k3s-boot-release']).toBe('v1.35.8-k3s1');
    }
  });

  it('tolerates exactly the taints of the pool it upgrades (the Job adds only unschedulable)', () => {
    expect(plan(objects, 'k3s-server').spec.tolerations).toEqual([
      { key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoExecute' },
    ]);
    expect(plan(objects, 'k3s-agents').spec.tolerations).toEqual([
      { key: 'agent-platform.io/dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' },
    ]);
    expect(plan(objects, 'k3s-api').spec.tolerations).toEqual([]);
    expect(plan(objects, 'os-updates').spec.tolerations).toEqual([
      { key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoExecute' },
      { key: 'agent-platform.io/dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' },
    ]);
  });

  it('patches the OS of every platform node with unattended-upgrades and reboots only when asked', () => {
    const os = plan(objects, 'os-updates');
    expect(os.spec.nodeSelector.matchExpressions).toEqual([{ key: 'agent-platform.io/pool', operator: 'Exists' }]);
    expect(os.spec.upgrade).toEqual({
      image: 'ubuntu:24.04',
      command: ['chroot', '/host'],
      args: ['sh', '-c', OS_UPDATE_SCRIPT],
    });
    expect(OS_UPDATE_SCRIPT).toContain('unattended-upgrade --verbose');
    expect(OS_UPDATE_SCRIPT).toContain('if [ -f /var/run/reboot-required ]; then');
    expect(os.spec.version).toBe('round-1-v1.35.8-k3s1');
  });

  it('starts another OS round when upgrades.osUpdateRound changes, and honours upgrades.drainTimeout', () => {
    const raw = rawStack();
    raw.upgrades = { osUpdateRound: 2, drainTimeout: '30m' };
    const objects2 = upgradesOf(parseRaw(raw, 'staging'));
    expect(plan(objects2, 'os-updates').spec.version).toBe('round-2-v1.35.8-k3s1');
    for (const p of plans(objects2)) expect(p.spec.drain.timeout).toBe('30m');
  });

  it('gives the Jobs only drain and Plan-reading rights (no pod deletion, no secrets)', () => {
    const role = objects.find((o) => o.kind === 'ClusterRole');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      { apiGroups: ['apps'], resources: ['daemonsets', 'replicasets', 'statefulsets'], verbs: ['get'] },
    ]);
    expect(objects.find((o) => o.kind === 'Role').rules).toEqual([
      { apiGroups: ['upgrade.cattle.io'], resources: ['plans'], verbs: ['get'] },
    ]);
    for (const binding of objects.filter((o) => o.kind.endsWith('Binding'))) {
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'node-upgrade-jobs', namespace: 'system-upgrade' },
      ]);
    }
  });

  it('passes the policy gate, Plans validated against the upstream CRD', () => {
    const report = gate(upgradesOf(), { families: ['schema'], kubernetesVersion: '1.35' });
    expect(report.findings).toEqual([]);
    const broken = structuredClone(upgradesOf());
    plan(broken, 'k3s-server').spec.concurrencyy = 1;
    expect(gate(broken, { families: ['schema'], kubernetesVersion: '1.35' }).findings.map((f) => f.message)).toContain(
      'unknown field "concurrencyy" (not in the upgrade.cattle.io/v1 Plan CRD schema)',
    );
  });

  it('uses the namespace upstream creates, at the Pod Security level upstream sets', () => {
    const upstream = parseAllDocuments(
      readFileSync(
        join(
          SHARED_ROOT,
          'manifests',
          'system-upgrade-controller',
          SYSTEM_UPGRADE_CONTROLLER.version,
          'system-upgrade-controller.yaml',
        ),
        'utf8',
      ),
    ).map((d) => d.toJS() as Any);
    const ns = upstream.find((o) => o.kind === 'Namespace');
    expect(ns.metadata.name).toBe(SYSTEM_UPGRADE_CONTROLLER.namespace);
    const ours = render(stackSpec('staging'))
      .files.find((f) => f.name === 'namespaces.yaml')!
      .objects.find((o) => o.metadata.name === 'system-upgrade') as Any;
    expect(ours.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      ns.metadata.labels['pod-security.kubernetes.io/enforce'],
    );
    expect(upstream.find((o) => o.kind === 'ServiceAccount').metadata.name).toBe(
      SYSTEM_UPGRADE_CONTROLLER.serviceAccount,
    );
  });

  it('renders nothing on EKS (Pulumi upgrades managed node groups)', () => {
    expect(upgradesOf(exampleSpec('lobstack-aws'))).toEqual([]);
    expect(render(exampleSpec('lobstack-aws')).files.map((f) => f.name)).not.toContain('upgrades.yaml');
  });

  it('builds alone as a chart', () => {
    expect(new UpgradesChart(Testing.app(), 'upgrades', stackSpec('prod')).toJson().length).toBe(objects.length);
  });
});
