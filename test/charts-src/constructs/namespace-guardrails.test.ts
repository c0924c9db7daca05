import {
  NamespaceGuardrails,
  type NamespaceGuardrailsProps,
} from '../../../charts-src/constructs/namespace-guardrails';
import { peer } from '../../../charts-src/constructs/network-flow';
import { errorOf, find, objectsOf, ofKind, testChart, type Obj } from '../support/objects';

/** A platform namespace: only the required props. */
const platformNs: NamespaceGuardrailsProps = {
  name: 'acme-vault',
  quota: {
    requestsCpu: '10',
    requestsMemory: '20Gi',
    limitsCpu: '20',
    limitsMemory: '40Gi',
    pods: 50,
    services: 5,
    persistentVolumeClaims: 3,
    requestsStorage: '30Gi',
  },
  limitRange: {
    container: {
      defaultRequest: { cpu: '100m', memory: '256Mi' },
      default: { cpu: '500m', memory: '1Gi' },
      min: { cpu: '50m', memory: '64Mi' },
      max: { cpu: '4', memory: '8Gi' },
    },
    pod: { max: { cpu: '8', memory: '16Gi' } },
    persistentVolumeClaim: { min: '1Gi', max: '100Gi' },
  },
};
/** A tenant namespace, as the guardrails chart maps one. */
const tenantNs: NamespaceGuardrailsProps = {
  ...platformNs,
  name: 'acme-team-a',
  adminGroups: ['a-leads'],
  viewGroups: ['a-devs', 'auditors'],
  allowSameNamespace: true,
};

function render(props: NamespaceGuardrailsProps, extra: Partial<NamespaceGuardrailsProps> = {}) {
  const chart = testChart();
  new NamespaceGuardrails(chart, props.name, { ...props, ...extra });
  return objectsOf(chart);
}

describe('NamespaceGuardrails with only its required props (a platform namespace)', () => {
  const objects = render(platformNs);

  it('sizes the ResourceQuota from the namespace spec', () => {
    expect(find(objects, 'ResourceQuota', 'namespace-quota', 'acme-vault').spec.hard).toEqual({
      'requests.cpu': '10',
      'requests.memory': '20Gi',
      'limits.cpu': '20',
      'limits.memory': '40Gi',
      pods: '50',
      services: '5',
      persistentvolumeclaims: '3',
      'requests.storage': '30Gi',
    });
  });

  it('writes container, pod and PVC limits', () => {
    expect(find(objects, 'LimitRange', 'namespace-limits', 'acme-vault').spec.limits).toEqual([
      {
        type: 'Container',
        default: { cpu: '500m', memory: '1Gi' },
        defaultRequest: { cpu: '100m', memory: '256Mi' },
        min: { cpu: '50m', memory: '64Mi' },
        max: { cpu: '4', memory: '8Gi' },
      },
      { type: 'Pod', max: { cpu: '8', memory: '16Gi' } },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '100Gi' } },
    ]);
  });

  it('denies all ingress and egress by default', () => {
    const deny = find(objects, 'NetworkPolicy', 'default-deny', 'acme-vault');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('allows DNS to kube-dns in kube-system on UDP and TCP 53, nothing else', () => {
    expect(find(objects, 'NetworkPolicy', 'allow-dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    });
  });

  it('opens no intra-namespace traffic and binds no groups for a platform namespace', () => {
    expect(ofKind(objects, 'NetworkPolicy').map((p: Obj) => p.metadata.name)).toEqual(['default-deny', 'allow-dns']);
    expect(ofKind(objects, 'RoleBinding')).toEqual([]);
  });

  it('omits Pod and PVC limits the spec does not set', () => {
    const { pod: _p, persistentVolumeClaim: _c, ...container } = platformNs.limitRange;
    void _p;
    void _c;
    const lr = find(render({ ...platformNs, limitRange: container }), 'LimitRange', 'namespace-limits');
    expect(lr.spec.limits.map((l: Obj) => l.type)).toEqual(['Container']);
  });
});

describe('NamespaceGuardrails for a tenant', () => {
  const objects = render(tenantNs);

  it('allows traffic between the namespace own pods only', () => {
    expect(find(objects, 'NetworkPolicy', 'allow-same-namespace').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  it('binds adminGroups to admin and viewGroups to view, in this namespace only', () => {
    const admins = find(objects, 'RoleBinding', 'tenant-admins', 'acme-team-a');
    expect(admins.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    expect(admins.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'a-leads' }]);
    const viewers = find(objects, 'RoleBinding', 'tenant-viewers', 'acme-team-a');
    expect(viewers.roleRef.name).toBe('view');
    expect(viewers.subjects.map((s: Obj) => s.name)).toEqual(['a-devs', 'auditors']);
  });

  it('creates no binding for an empty group list', () => {
    const objs = render({ ...tenantNs, viewGroups: [] });
    expect(ofKind(objs, 'RoleBinding').map((b: Obj) => b.metadata.name)).toEqual(['tenant-admins']);
  });
});

describe('NamespaceGuardrails options', () => {
  it('allowSameNamespace: false closes a tenant namespace internally', () => {
    const objs = render(tenantNs, { allowSameNamespace: false });
    expect(ofKind(objs, 'NetworkPolicy').map((p: Obj) => p.metadata.name)).toEqual(['default-deny', 'allow-dns']);
  });

  it('allowSameNamespace: true opens a platform namespace internally', () => {
    expect(() =>
      find(render(platformNs, { allowSameNamespace: true }), 'NetworkPolicy', 'allow-same-namespace'),
    ).not.toThrow();
  });

  it('dns: another DNS peer', () => {
    const objs = render(platformNs, { dns: peer.cidr('169.254.20.10/32') });
    expect(find(objs, 'NetworkPolicy', 'allow-dns').spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '169.254.20.10/32' } },
    ]);
  });

  it('flows: one policy per flow, with its direction, selectors, peers, ports and reason', () => {
    const objs = render(platformNs, {
      flows: [
        {
          name: 'allow-clients',
          description: 'clients log in',
          direction: 'ingress',
          pods: { app: 'vault' },
          peers: [
            peer.pods('acme-control-plane', { 'app.kubernetes.io/name': 'api' }),
            peer.podsWithLabel('acme-agents', 'agent-platform.io/agent'),
          ],
          ports: [{ port: 8200 }],
        },
        {
          name: 'allow-out',
          description: 'internet',
          direction: 'egress',
          peers: [
            peer.cidr('0.0.0.0/0', ['10.0.0.0/8']),
            peer.allNamespaces(),
            peer.namespacesLabelled({ mesh: 'on' }),
          ],
          ports: [{ port: 'metrics' }, { port: 514, protocol: 'UDP' }],
        },
      ],
    });
    const clients = find(objs, 'NetworkPolicy', 'allow-clients', 'acme-vault');
    expect(clients.metadata.annotations).toEqual({ 'agent-platform.io/flow': 'clients log in' });
    expect(clients.spec).toEqual({
      podSelector: { matchLabels: { app: 'vault' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'acme-control-plane' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
            },
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'acme-agents' } },
              podSelector: { matchExpressions: [{ key: 'agent-platform.io/agent', operator: 'Exists' }] },
            },
          ],
          ports: [{ port: 8200, protocol: 'TCP' }],
        },
      ],
    });
    expect(find(objs, 'NetworkPolicy', 'allow-out').spec.egress).toEqual([
      {
        to: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } },
          { namespaceSelector: {} },
          { namespaceSelector: { matchLabels: { mesh: 'on' } } },
        ],
        ports: [
          { port: 'metrics', protocol: 'TCP' },
          { port: 514, protocol: 'UDP' },
        ],
      },
    ]);
  });
});

describe('NamespaceGuardrails flow option selectsAddonPods', () => {
  it('records why the selected pods are not in the manifests, as a gate waiver', () => {
    const objs = render(platformNs, {
      flows: [
        {
          name: 'allow-x',
          description: 'x',
          direction: 'ingress',
          pods: { app: 'helm-managed' },
          selectsAddonPods: 'pods of a Helm release',
          peers: [peer.sameNamespace()],
        },
      ],
    });
    expect(find(objs, 'NetworkPolicy', 'allow-x').metadata.annotations).toEqual({
      'agent-platform.io/flow': 'x',
      'policy.agent-platform.io/waive.ref.selector': 'pods of a Helm release',
    });
  });
});

describe('NamespaceGuardrails errors name the construct path, the value and the rule', () => {
  it('a namespace name that is not a DNS label', () => {
    expect(errorOf(() => render({ ...platformNs, name: 'Acme_Vault' }))).toBe(
      'test/Acme_Vault: name ("Acme_Vault") must be a DNS label (RFC 1123): at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
    );
  });

  it('an invalid CPU quantity in the quota', () => {
    expect(errorOf(() => render({ ...platformNs, quota: { ...platformNs.quota, requestsCpu: 'lots' } }))).toBe(
      'test/acme-vault: namespace.quota.requestsCpu ("lots") must be a CPU quantity such as 250m, 1 or 1.5',
    );
  });

  it('quota limits below requests', () => {
    expect(errorOf(() => render({ ...platformNs, quota: { ...platformNs.quota, limitsMemory: '1Gi' } }))).toBe(
      'test/acme-vault: namespace.quota.limitsMemory ("1Gi") must be >= requestsMemory (20Gi)',
    );
  });

  it('an invalid memory quantity in the limit range', () => {
    const limitRange = {
      ...platformNs.limitRange,
      container: { ...platformNs.limitRange.container, max: { cpu: '4', memory: '8 GB' } },
    };
    expect(errorOf(() => render({ ...platformNs, limitRange }))).toBe(
      'test/acme-vault: namespace.limitRange.container.max.memory ("8 GB") must be a byte quantity such as 512Mi, 2Gi or 10G',
    );
  });

  it('a container default above max (the API server would reject the LimitRange)', () => {
    const limitRange = {
      ...platformNs.limitRange,
      container: { ...platformNs.limitRange.container, default: { cpu: '8', memory: '1Gi' } },
    };
    expect(errorOf(() => render({ ...platformNs, limitRange }))).toBe(
      'test/acme-vault: namespace.limitRange.container.max.cpu ("4") must be >= container.default.cpu (8)',
    );
  });

  it('PVC max below min', () => {
    const limitRange = { ...platformNs.limitRange, persistentVolumeClaim: { min: '10Gi', max: '1Gi' } };
    expect(errorOf(() => render({ ...platformNs, limitRange }))).toBe(
      'test/acme-vault: namespace.limitRange.persistentVolumeClaim.max ("1Gi") must be >= persistentVolumeClaim.min (10Gi)',
    );
  });

  it('a flow to another namespace without ports', () => {
    const flows = [
      { name: 'allow-x', description: 'x', direction: 'egress' as const, peers: [peer.namespace('other')] },
    ];
    expect(errorOf(() => render(platformNs, { flows }))).toBe(
      'test/acme-vault: flows["allow-x"].ports is required when a peer is outside the namespace: every port is open only between pods of one namespace',
    );
  });

  it('a flow with no peer', () => {
    const flows = [
      { name: 'allow-x', description: 'x', direction: 'egress' as const, peers: [], ports: [{ port: 1 }] },
    ];
    expect(errorOf(() => render(platformNs, { flows }))).toBe(
      'test/acme-vault: flows["allow-x"].peers ([]) must list at least one peer (an empty list allows nothing)',
    );
  });

  it('a peer namespace that is not a DNS label', () => {
    const flows = [
      {
        name: 'allow-x',
        description: 'x',
        direction: 'egress' as const,
        peers: [peer.pods('Other_NS', { app: 'x' })],
        ports: [{ port: 1 }],
      },
    ];
    expect(errorOf(() => render(platformNs, { flows }))).toBe(
      'test/acme-vault: flows["allow-x"].peers[0].namespace ("Other_NS") must be a DNS label (RFC 1123): at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
    );
  });

  it('a bad CIDR and a bad port', () => {
    const flow = { name: 'allow-x', description: 'x', direction: 'egress' as const };
    expect(
      errorOf(() =>
        render(platformNs, { flows: [{ ...flow, peers: [peer.cidr('10.0.0.0/33')], ports: [{ port: 1 }] }] }),
      ),
    ).toBe('test/acme-vault: flows["allow-x"].peers[0].cidr ("10.0.0.0/33") must be an IPv4 CIDR such as 10.0.0.0/16');
    expect(
      errorOf(() =>
        render(platformNs, { flows: [{ ...flow, peers: [peer.sameNamespace()], ports: [{ port: 70000 }] }] }),
      ),
    ).toBe('test/acme-vault: flows["allow-x"].ports[0].port (70000) must be an integer between 1 and 65535');
  });

  it('a flow name used twice', () => {
    const flow = { name: 'allow-x', description: 'x', direction: 'ingress' as const, peers: [peer.sameNamespace()] };
    expect(errorOf(() => render(platformNs, { flows: [flow, flow] }))).toBe(
      'test/acme-vault: flows[].name ("allow-x") must be unique within the namespace',
    );
  });
});
