import { stringify } from 'yaml';
import { diffStack, diffStacks } from '../../tools/diff/compare';
import { renderDiffMarkdown } from '../../tools/diff/markdown';
import { addManifests, ManifestReadError, type JsonObject, type ObjectSet } from '../../tools/diff/objects';
import { formatPath } from '../../tools/diff/structural';
import { peerText, portText, type RiskCategory } from '../../tools/diff/risks';

/** An object set from (file, objects) pairs, through the same YAML reader the tool uses. */
function set(...files: [string, ...JsonObject[]][]): ObjectSet {
  const out: ObjectSet = new Map();
  for (const [file, ...objects] of files) addManifests(out, file, objects.map((o) => stringify(o)).join('---\n'));
  return out;
}

const ns = (name: string, enforce?: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: enforce ? { 'pod-security.kubernetes.io/enforce': enforce } : {} },
});

function deployment(
  overrides: { image?: string; cpu?: string; replicas?: number; env?: JsonObject[]; containers?: JsonObject[] } = {},
): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'cp' },
    spec: {
      ...(overrides.replicas === undefined ? {} : { replicas: overrides.replicas }),
      template: {
        spec: {
          containers: overrides.containers ?? [
            {
              name: 'api',
              image: overrides.image ?? 'ghcr.io/acme/api:1.0.0',
              env: overrides.env ?? [{ name: 'LOG_LEVEL', value: 'info' }],
              resources: { requests: { cpu: '250m' }, limits: { cpu: overrides.cpu ?? '1' } },
            },
            { name: 'proxy', image: 'envoy:1.30.0', resources: { limits: { cpu: '200m' } } },
          ],
        },
      },
    },
  };
}

const netpol = (spec: JsonObject, name = 'allow-api'): JsonObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'cp' },
  spec,
});

const role = (rules: JsonObject[], kind = 'Role'): JsonObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'orchestrator', ...(kind === 'Role' ? { namespace: 'agents' } : {}) },
  rules,
});

const risks = (before: ObjectSet, after: ObjectSet, category?: RiskCategory) =>
  diffStack('staging', before, after).risks.filter((r) => category === undefined || r.category === category);

describe('matching objects', () => {
  it('reports nothing for identical sets, and "no manifest changes"', () => {
    const s = set(['a.yaml', ns('cp', 'restricted'), deployment()]);
    const report = diffStacks(
      new Map([['staging', s]]),
      new Map([['staging', set(['a.yaml', ns('cp', 'restricted'), deployment()])]]),
    );
    expect(report.hasChanges).toBe(false);
    expect(renderDiffMarkdown(report, { base: 'main', head: 'working tree' })).toContain('No manifest changes.');
  });

  it('lists added, removed and changed objects per stack', () => {
    const before = set([
      'a.yaml',
      ns('cp', 'restricted'),
      deployment(),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'cp' } },
    ]);
    const after = set([
      'a.yaml',
      ns('cp', 'restricted'),
      deployment({ replicas: 2 }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'cp' } },
    ]);
    const diff = diffStack('staging', before, after);
    expect(diff.added.map((o) => o.key)).toEqual(['core/ConfigMap/cp/new']);
    expect(diff.removed.map((o) => o.key)).toEqual(['core/ConfigMap/cp/old']);
    expect(diff.changed.map((c) => c.after.key)).toEqual(['apps/Deployment/cp/api']);
    const md = renderDiffMarkdown(diffStacks(new Map([['staging', before]]), new Map([['staging', after]])), {
      base: 'main',
      head: 'working tree',
    });
    expect(md).toContain('### Stack `staging`');
    expect(md).toContain('1 added, 1 removed, 1 changed');
    expect(md).toContain('| added | ConfigMap cp/new | `a.yaml` |');
    expect(md).toContain('| removed | ConfigMap cp/old | `a.yaml` |');
    expect(md).toContain('- `spec.replicas`: added `2`');
  });

  it('says when a stack is new or gone', () => {
    const report = diffStacks(
      new Map([['old', set(['a.yaml', ns('x')])]]),
      new Map([['qa', set(['a.yaml', ns('y')])]]),
    );
    expect(report.stacks.map((s) => [s.stack, s.status])).toEqual([
      ['old', 'gone'],
      ['qa', 'new'],
    ]);
    const md = renderDiffMarkdown(report, { base: 'b', head: 'h' });
    expect(md).toContain('**New stack**: there is no `dist/qa/` at the base.');
    expect(md).toContain('**Stack removed**: its `dist/old/` is gone from the working tree.');
  });

  it('ignores a renamed file and a move between files, but shows the file move of a changed object', () => {
    const before = set(['namespaces.yaml', ns('cp', 'restricted')], ['api.yaml', deployment()]);
    const after = set(
      ['platform/namespaces-renamed.yaml', ns('cp', 'restricted')],
      ['workloads.yaml', deployment({ cpu: '2' })],
    );
    const diff = diffStack('staging', before, after);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.moved).toBe(1);
    expect(diff.changed).toHaveLength(1);
    const md = renderDiffMarkdown(diffStacks(new Map([['s', before]]), new Map([['s', after]])), {
      base: 'b',
      head: 'h',
    });
    expect(md).toContain('`api.yaml` → `workloads.yaml`');
    expect(md).toContain('1 object moved between files with no change');
  });

  it('matches by apiVersion group, so an apiVersion bump within a group is a field change', () => {
    const hpa = (v: string): JsonObject => ({
      apiVersion: `autoscaling/${v}`,
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'cp' },
      spec: { minReplicas: 3, maxReplicas: 10 },
    });
    const diff = diffStack('s', set(['a.yaml', hpa('v2beta2')]), set(['a.yaml', hpa('v2')]));
    expect(diff.changed[0]!.changes).toEqual([
      { path: [{ key: 'apiVersion' }], op: 'changed', before: 'autoscaling/v2beta2', after: 'autoscaling/v2' },
    ]);
  });

  it('names list items by their name and ignores reordering', () => {
    const reordered = deployment();
    const containers = (reordered.spec as { template: { spec: { containers: JsonObject[] } } }).template.spec
      .containers;
    containers.reverse();
    expect(diffStack('s', set(['a.yaml', deployment()]), set(['a.yaml', reordered])).changed).toEqual([]);
    const diff = diffStack('s', set(['a.yaml', deployment()]), set(['a.yaml', deployment({ cpu: '2' })]));
    expect(diff.changed[0]!.changes.map((c) => formatPath(c.path))).toEqual([
      'spec.template.spec.containers[name=api].resources.limits.cpu',
    ]);
  });

  it('quotes keys with dots and slashes in paths', () => {
    const diff = diffStack('s', set(['a.yaml', ns('cp', 'restricted')]), set(['a.yaml', ns('cp', 'baseline')]));
    expect(formatPath(diff.changed[0]!.changes[0]!.path)).toBe('metadata.labels["pod-security.kubernetes.io/enforce"]');
  });

  it('refuses two objects with one identity in a stack, naming both files', () => {
    const out: ObjectSet = new Map();
    addManifests(out, 'a.yaml', stringify(ns('cp')));
    expect(() => addManifests(out, 'b.yaml', stringify(ns('cp')))).toThrow(
      new ManifestReadError(
        'b.yaml: Namespace cp is declared twice (also in a.yaml); object identities must be unique per stack',
      ),
    );
  });

  it('refuses unparseable YAML with the file and document', () => {
    expect(() => addManifests(new Map(), 'bad.yaml', 'kind: A\n---\nkey: [unclosed\n')).toThrow(
      /^bad\.yaml: document 2 is not valid YAML/,
    );
  });
});

describe('secrets are never printed', () => {
  const secret = (data: Record<string, string>, key: 'data' | 'stringData' = 'data'): JsonObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'cp' },
    [key]: data,
  });

  it('collapses Secret data and stringData changes into a count', () => {
    const before = set(['s.yaml', secret({ user: 'YWRtaW4=', password: 'aHVudGVyMg==' })]);
    const after = set(['s.yaml', secret({ user: 'cm9vdA==', password: 'c3dvcmRmaXNo', token: 'bmV3' })]);
    const diff = diffStack('s', before, after);
    expect(diff.changed[0]!.changes).toEqual([
      { path: [{ key: 'data' }], op: 'changed', note: '(redacted, 3 keys changed)' },
    ]);
    const md = renderDiffMarkdown(diffStacks(new Map([['s', before]]), new Map([['s', after]])), {
      base: 'b',
      head: 'h',
    });
    expect(md).toContain('- `data`: (redacted, 3 keys changed)');
    for (const value of ['YWRtaW4=', 'cm9vdA==', 'c3dvcmRmaXNo', 'aHVudGVyMg==', 'bmV3'])
      expect(md).not.toContain(value);
    const string = diffStack(
      's',
      set(['s.yaml', secret({ a: 'x' }, 'stringData')]),
      set(['s.yaml', secret({ a: 'hunter2' }, 'stringData')]),
    );
    expect(string.changed[0]!.changes).toEqual([
      { path: [{ key: 'data' }], op: 'changed', note: '(redacted, 1 key changed)' },
    ]);
  });

  it('redacts env values whose names look secret, also inside an added container', () => {
    const before = set([
      'a.yaml',
      deployment({
        env: [
          { name: 'DATABASE_URL', value: 'postgres://u:old@db' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
      }),
    ]);
    const after = set([
      'a.yaml',
      deployment({
        containers: [
          {
            name: 'api',
            image: 'ghcr.io/acme/api:1.0.0',
            env: [
              { name: 'DATABASE_URL', value: 'postgres://u:new@db' },
              { name: 'LOG_LEVEL', value: 'debug' },
            ],
            resources: { requests: { cpu: '250m' }, limits: { cpu: '1' } },
          },
          { name: 'proxy', image: 'envoy:1.30.0', resources: { limits: { cpu: '200m' } } },
          { name: 'sync', image: 'sync:1.0.0', env: [{ name: 'GITHUB_TOKEN', value: 'ghp_supersecret' }] },
        ],
      }),
    ]);
    const md = renderDiffMarkdown(diffStacks(new Map([['s', before]]), new Map([['s', after]])), {
      base: 'b',
      head: 'h',
    });
    expect(md).toContain(
      '- `spec.template.spec.containers[name=api].env[name=DATABASE_URL].value`: `(redacted)` → `(redacted)`',
    );
    expect(md).toContain('env[name=LOG_LEVEL].value`: `info` → `debug`');
    expect(md).not.toMatch(/postgres:|ghp_supersecret/);
  });
});

describe('risk flags', () => {
  it('flags deleted PVCs, StatefulSets, PVs and namespaces', () => {
    const objects: JsonObject[] = [
      ns('data', 'restricted'),
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'pg', namespace: 'data' } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'pg', namespace: 'data' } },
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'data' } },
    ];
    const flagged = risks(set(['a.yaml', ...objects]), new Map(), 'stateful-deleted');
    expect(flagged.map((r) => r.object).sort()).toEqual([
      'Namespace data',
      'PersistentVolume pv-1',
      'PersistentVolumeClaim data/pg',
      'StatefulSet data/pg',
    ]);
    expect(flagged.find((r) => r.object === 'Namespace data')!.message).toMatch(/every object in it/);
  });

  it('flags a lowered or removed PSS enforce level, not a raised one', () => {
    expect(
      risks(set(['a.yaml', ns('cp', 'restricted')]), set(['a.yaml', ns('cp', 'baseline')]), 'pss-lowered'),
    ).toEqual([
      {
        category: 'pss-lowered',
        object: 'Namespace cp',
        message: 'pod-security.kubernetes.io/enforce: "restricted" → "baseline"',
      },
    ]);
    expect(risks(set(['a.yaml', ns('cp', 'baseline')]), set(['a.yaml', ns('cp')]), 'pss-lowered')[0]!.message).toBe(
      'pod-security.kubernetes.io/enforce: "baseline" → "privileged"',
    );
    expect(
      risks(set(['a.yaml', ns('cp', 'baseline')]), set(['a.yaml', ns('cp', 'restricted')]), 'pss-lowered'),
    ).toEqual([]);
    expect(risks(new Map(), set(['a.yaml', ns('tools')]), 'pss-lowered')[0]!.message).toBe(
      'new namespace enforces "privileged" (no restriction): no pod-security.kubernetes.io/enforce label',
    );
    expect(risks(new Map(), set(['a.yaml', ns('tools', 'baseline')]), 'pss-lowered')).toEqual([]);
  });

  describe('NetworkPolicy', () => {
    const base = netpol({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'gateway' } } }], ports: [{ port: 3000, protocol: 'TCP' }] },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    const withSpec = (patch: (spec: JsonObject) => void) => {
      const copy = structuredClone(base);
      patch(copy.spec as JsonObject);
      return set(['np.yaml', ns('cp', 'restricted'), copy]);
    };
    const before = set(['np.yaml', ns('cp', 'restricted'), base]);
    const messages = (after: ObjectSet) => risks(before, after, 'network-policy-loosened').map((r) => r.message);

    it('flags a rule added', () => {
      expect(
        messages(withSpec((s) => (s.ingress as JsonObject[]).push({ from: [{ namespaceSelector: {} }] }))),
      ).toEqual(['ingress rule added: from [all namespaces] on all ports']);
    });
    it('flags a peer widened and ports dropped', () => {
      expect(
        messages(withSpec((s) => ((s.egress as JsonObject[])[0] = { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }))),
      ).toEqual(['egress[0]: peer added or widened: 0.0.0.0/0', 'egress[0]: now allows all ports']);
    });
    it('describes peers and ports in words', () => {
      expect(peerText({ podSelector: { matchLabels: { app: 'api' } } })).toBe('own namespace, pods app=api');
      expect(
        peerText({
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: {},
        }),
      ).toBe('namespace kube-system, all pods');
      expect(
        peerText({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }] } }),
      ).toBe('namespaces team In (a, b)');
      expect(peerText({ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } })).toBe('0.0.0.0/0 except 10.0.0.0/8');
      expect([
        portText({ port: 53, protocol: 'UDP' }),
        portText({ port: 8000, endPort: 8080 }),
        portText({ protocol: 'TCP' }),
      ]).toEqual(['53/UDP', '8000-8080/TCP', 'all/TCP']);
    });
    it('flags a reduced policyTypes', () => {
      expect(messages(withSpec((s) => (s.policyTypes = ['Ingress'])))).toEqual([
        'policyTypes no longer include Egress: that direction is no longer restricted by this policy',
      ]);
    });
    it('flags a deleted policy and a new allow policy in an existing namespace', () => {
      expect(messages(set(['np.yaml', ns('cp', 'restricted')]))).toEqual([
        'policy deleted: the pods it selected lose the isolation it gave',
      ]);
      const added = set([
        'np.yaml',
        ns('cp', 'restricted'),
        base,
        netpol({ podSelector: {}, ingress: [{}] }, 'allow-all'),
      ]);
      expect(messages(added)).toEqual([
        'policy added to an existing namespace: allows ingress from all peers on all ports',
      ]);
    });
    it('flags a rule whose ports were emptied (empty means all ports)', () => {
      expect(messages(withSpec((s) => ((s.ingress as JsonObject[])[0]!.ports = [])))).toEqual([
        'ingress[0]: now allows all ports',
      ]);
    });
    it('does not flag narrowed rules', () => {
      const wide = netpol({
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'a' } } }, { podSelector: { matchLabels: { app: 'b' } } }],
            ports: [{ port: 80 }, { port: 443 }],
          },
        ],
      });
      const narrow = netpol({
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 443 }] }],
      });
      expect(
        risks(set(['np.yaml', ns('cp'), wide]), set(['np.yaml', ns('cp'), narrow]), 'network-policy-loosened'),
      ).toEqual([]);
      expect(messages(withSpec((s) => (s.ingress = [])))).toEqual([]);
    });
  });

  describe('RBAC', () => {
    const before = set(['r.yaml', role([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }])]);
    const messages = (after: ObjectSet) => risks(before, after, 'rbac-widened').map((r) => r.message);

    it('flags verbs, resources and apiGroups added', () => {
      expect(
        messages(
          set([
            'r.yaml',
            role([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list', 'delete'] }]),
          ]),
        ),
      ).toEqual(['grants core/pods: delete; core/secrets: get, list, delete']);
      expect(
        messages(set(['r.yaml', role([{ apiGroups: ['', 'apps'], resources: ['pods'], verbs: ['get', 'list'] }])])),
      ).toEqual(['grants apps/pods: get, list']);
    });
    it('flags wildcards', () => {
      expect(messages(set(['r.yaml', role([{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }])]))).toEqual([
        'grants core/pods: *',
        'wildcard: core/pods [*]',
      ]);
    });
    it('flags ClusterRoles and ClusterRoleBindings added, and subjects added', () => {
      const clusterRole = role([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }], 'ClusterRole');
      expect(risks(new Map(), set(['r.yaml', clusterRole]), 'rbac-widened').map((r) => r.message)).toEqual([
        'ClusterRole added (cluster-wide)',
        'grants core/nodes: get',
      ]);
      const binding = (subjects: JsonObject[], kind = 'ClusterRoleBinding'): JsonObject => ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'agents' } : {}) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects,
      });
      const sa = { kind: 'ServiceAccount', name: 'api', namespace: 'cp' };
      expect(risks(new Map(), set(['b.yaml', binding([sa])]), 'rbac-widened')[0]!.message).toBe(
        'ClusterRoleBinding added: ServiceAccount cp/api → ClusterRole view (cluster-wide)',
      );
      expect(
        risks(
          set(['b.yaml', binding([sa], 'RoleBinding')]),
          set(['b.yaml', binding([sa, { kind: 'Group', name: 'devs' }], 'RoleBinding')]),
          'rbac-widened',
        )[0]!.message,
      ).toBe('subjects added: Group devs → ClusterRole view');
    });
    it('names bindings to built-in groups that stand for everyone', () => {
      const binding: JsonObject = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'open', namespace: 'agents' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'orchestrator' },
        subjects: [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }],
      };
      expect(risks(new Map(), set(['b.yaml', binding]), 'rbac-widened')[0]!.message).toBe(
        'RoleBinding added: Group system:authenticated (every authenticated user) → Role orchestrator',
      );
    });
    it('does not flag verbs removed', () => {
      expect(messages(set(['r.yaml', role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])]))).toEqual([]);
    });
  });

  it('flags resources and replica bounds changed (requests/limits, HPA, KEDA)', () => {
    expect(
      risks(set(['a.yaml', deployment()]), set(['a.yaml', deployment({ cpu: '2' })]), 'capacity-changed')[0]!.message,
    ).toBe('spec.template.spec.containers[name=api].resources.limits.cpu: 1 → 2');
    const hpa = (min: number, max: number): JsonObject => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'cp' },
      spec: { minReplicas: min, maxReplicas: max },
    });
    expect(
      risks(set(['h.yaml', hpa(3, 20)]), set(['h.yaml', hpa(2, 30)]), 'capacity-changed').map((r) => r.message),
    ).toEqual(['spec.minReplicas: 3 → 2', 'spec.maxReplicas: 20 → 30']);
    const so = (max: number): JsonObject => ({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'warm', namespace: 'agents' },
      spec: { minReplicaCount: 0, maxReplicaCount: max },
    });
    expect(risks(set(['k.yaml', so(100)]), set(['k.yaml', so(200)]), 'capacity-changed')[0]).toEqual({
      category: 'capacity-changed',
      object: 'ScaledObject agents/warm',
      message: 'spec.maxReplicaCount: 100 → 200',
    });
    expect(risks(set(['k.yaml', so(100)]), new Map(), 'capacity-changed')[0]!.message).toBe(
      'autoscaler removed (replicas 0–100)',
    );
  });

  it('flags images changed and containers added with their image', () => {
    expect(
      risks(
        set(['a.yaml', deployment()]),
        set(['a.yaml', deployment({ image: 'ghcr.io/acme/api:1.1.0' })]),
        'image-changed',
      )[0]!.message,
    ).toBe('spec.template.spec.containers[name=api].image: ghcr.io/acme/api:1.0.0 → ghcr.io/acme/api:1.1.0');
    const sidecar = deployment();
    (sidecar.spec as { template: { spec: { containers: JsonObject[] } } }).template.spec.containers.push({
      name: 'debug',
      image: 'busybox:1.36',
    });
    expect(risks(set(['a.yaml', deployment()]), set(['a.yaml', sidecar]), 'image-changed')[0]!.message).toBe(
      'spec.template.spec.containers[name=debug] added (image busybox:1.36)',
    );
  });

  it('folds long risk lists and long object tables into <details>', () => {
    const pvcs = Array.from({ length: 30 }, (_, i): JsonObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `data-${String(i).padStart(2, '0')}`, namespace: 'db' },
    }));
    const md = renderDiffMarkdown(diffStacks(new Map([['s', set(['p.yaml', ...pvcs])]]), new Map([['s', new Map()]])), {
      base: 'b',
      head: 'h',
    });
    expect(md).toContain('- ⚠️ **Stateful object or namespace deleted** (30)');
    expect(md).toContain(
      '  - PersistentVolumeClaim db/data-07: PersistentVolumeClaim deleted: its data may be lost\n\n  <details><summary>22 more</summary>',
    );
    expect(md).toContain('<details><summary>30 objects added, removed or changed</summary>');
  });

  it('prints risk flags first in the stack section', () => {
    const before = set(['a.yaml', ns('cp', 'restricted'), deployment()]);
    const after = set(['a.yaml', ns('cp', 'baseline'), deployment({ image: 'ghcr.io/acme/api:2.0.0' })]);
    const md = renderDiffMarkdown(diffStacks(new Map([['staging', before]]), new Map([['staging', after]])), {
      base: 'b',
      head: 'h',
    });
    expect(md).toContain('**2 risk flags** across `staging`');
    expect(md.indexOf('⚠️ **Pod Security level lowered**')).toBeLessThan(md.indexOf('⚠️ **Image changed**'));
    expect(md.indexOf('Risk flags (2)')).toBeLessThan(md.indexOf('| changed |'));
  });
});
