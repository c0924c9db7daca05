/**
 * The content families (rbac, network-policy, service-exposure, secret-material, mesh,
 * sandbox, resource-bounds): the finding a misconfiguration gets (path, message, fix),
 * and the near misses that must pass. The corpus in test/policy/misconfigurations/
 * shows recall over realistic cases; this file pins behaviour.
 */
import { NON_PUBLIC_IPV4 } from '../../support/non-public-ranges';
import { stackSpec } from '../../support/environments';
import { find, findingsOf, gate, platform, type Obj } from '../fixtures';

const spec = stackSpec('staging');
const CONTENT = ['rbac', 'network-policy', 'service-exposure', 'secret-material', 'mesh', 'sandbox', 'resource-bounds'];
const judge = (objects: Obj[], withSpec = true) =>
  gate(objects, { families: CONTENT, ...(withSpec ? { spec } : { kubernetesVersion: '1.31' }) });
const only = (objects: Obj[], rule: string, withSpec = true) =>
  findingsOf(judge(objects, withSpec), rule).map((f) => ({ path: f.path, message: f.message, fix: f.fix }));

const role = (rules: Obj[]): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'r', namespace: 'lobstack-agents' },
  rules,
});
const policy = (namespace: string, spec: Obj): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace },
  spec: { podSelector: {}, ...spec },
});
const service = (namespace: string, spec: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', namespace },
  spec: { ports: [{ port: 80 }], ...spec },
});

describe('content rules', () => {
  it('the compliant platform has no finding in any content family', () => {
    expect(judge(platform(spec)).findings).toEqual([]);
  });

  describe('rbac', () => {
    it('names the rule, what it grants and the fix', () => {
      const objects = [role([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }])];
      expect(only(objects, 'rbac.secrets-list')).toEqual([
        {
          path: 'rules[0].verbs',
          message: 'rules[0] grants list on secrets: list and watch return every Secret of the namespace with its data',
          fix: 'grant get on the named Secrets (resourceNames), or read them through a volume',
        },
      ]);
    });

    it('get on Secrets, exec-free pod access and named subjects pass', () => {
      const objects = [
        role([
          { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'delete'] },
          { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
        ]),
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'b', namespace: 'lobstack-team-research' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
          subjects: [
            { kind: 'Group', name: 'research-leads' },
            { kind: 'User', name: 'system:serviceaccount:ci:deployer' },
          ],
        },
      ];
      expect(judge(objects).findings.filter((f) => f.rule.startsWith('rbac.'))).toEqual([]);
    });

    it('wildcards are reported per field; pods/* counts as exec', () => {
      const objects = [role([{ apiGroups: [''], resources: ['pods/*'], verbs: ['*'] }])];
      expect(only(objects, 'rbac.wildcard').map((f) => f.path)).toEqual(['rules[0].verbs']);
      expect(only(objects, 'rbac.pod-exec')[0]?.message).toContain('pods/* runs commands inside other pods');
    });
  });

  describe('network-policy', () => {
    const egress = (to: Obj[], ports?: Obj[]) =>
      policy('lobstack-control-plane', { policyTypes: ['Egress'], egress: [{ to, ...(ports ? { ports } : {}) }] });

    it('egress to 0.0.0.0/0 without exceptions reaches the metadata service and the private ranges', () => {
      const objects = [egress([{ ipBlock: { cidr: '0.0.0.0/0' } }])];
      expect(only(objects, 'netpol.egress-metadata')).toEqual([
        {
          path: 'spec.egress[0].to[0].ipBlock.cidr',
          message:
            "egress to 0.0.0.0/0 on every port reaches the cloud metadata service 169.254.169.254: every selected pod can read the node's user data and instance credentials",
          fix: 'add 169.254.0.0/16 to ipBlock.except (or name narrower destinations)',
        },
      ]);
      expect(only(objects, 'netpol.egress-private')[0]?.message).toBe(
        'egress to 0.0.0.0/0 on every port reaches the private ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16: the nodes (kubelet 10250, etcd 2379, the API server 6443) and every private service',
      );
    });

    it("the platform's own shapes pass: the internet minus non-public ranges, a database port with the metadata excepted", () => {
      const internet = NON_PUBLIC_IPV4;
      const objects = [
        egress([{ ipBlock: { cidr: '0.0.0.0/0', except: internet } }]),
        {
          ...egress([{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], [{ port: 5432 }]),
          metadata: { name: 'db', namespace: 'lobstack-control-plane' },
        },
        {
          ...egress([{ ipBlock: { cidr: '0.0.0.0/0' } }], [{ port: 443 }]),
          metadata: { name: 'tls', namespace: 'lobstack-control-plane' },
        },
      ];
      expect(judge(objects).findings.filter((f) => f.rule.startsWith('netpol.'))).toEqual([]);
    });

    it('agents reachable from the control plane only pass; from their own namespace they do not', () => {
      const objects = platform(spec);
      const agentIngress = (from: Obj[]) =>
        policy('lobstack-agents', {
          podSelector: { matchLabels: { 'agent-platform.io/agent': 'true' } },
          policyTypes: ['Ingress'],
          ingress: [{ from, ports: [{ port: 8080 }] }],
        });
      const named = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-control-plane' } } };
      expect(only([...objects, agentIngress([named])], 'netpol.agents-reachable')).toEqual([]);
      expect(only([...objects, agentIngress([{ podSelector: {} }])], 'netpol.agents-reachable')).toEqual([
        {
          path: 'spec.ingress[0].from[0].podSelector',
          message:
            'agent pods accept ingress from pods of their own namespace lobstack-agents: one session reaches another',
          fix: 'admit only the control plane (and monitoring): a namespaceSelector on kubernetes.io/metadata.name plus a podSelector',
        },
      ]);
    });
  });

  describe('service-exposure', () => {
    it('a LoadBalancer is allowed in the ingress namespace only, named from the model', () => {
      expect(only([service('lobstack-ingress', { type: 'LoadBalancer' })], 'service.exposed-type')).toEqual([]);
      expect(only([service('lobstack-agents', { type: 'NodePort' })], 'service.exposed-type')[0]?.message).toBe(
        'type NodePort publishes a port on every node address from namespace lobstack-agents; only the ingress namespace lobstack-ingress may expose Services',
      );
    });

    it('without the model no namespace may expose, and the message says how to name it', () => {
      expect(
        only([service('lobstack-ingress', { type: 'LoadBalancer' })], 'service.exposed-type', false)[0]?.message,
      ).toContain('only the ingress namespace may (run with --stack to name it)');
    });

    it('externalIPs are refused everywhere', () => {
      expect(only([service('lobstack-ingress', { externalIPs: ['10.0.0.5'] })], 'service.external-ips')).toHaveLength(
        1,
      );
    });
  });

  describe('secret-material', () => {
    const pod = (env: Obj[]): Obj => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'lobstack-control-plane' },
      spec: { containers: [{ name: 'app', image: 'app:1', env }] },
    });

    it('credentials by name or by value; references to them pass', () => {
      const objects = [
        pod([
          { name: 'DB_PASSWORD', value: 'hunter2' },
          { name: 'SENTRY_DSN', value: 'https://key:secret@sentry.example/1' },
          { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' },
          { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
          { name: 'PLATFORM_API_URL', value: 'https://api.lobstack.dev' },
          { name: 'GITHUB_TOKEN', value: '' },
        ]),
      ];
      expect(only(objects, 'secret.literal-env').map((f) => [f.path, f.message])).toEqual([
        [
          'spec.containers[0].env[0].value',
          'env DB_PASSWORD of container "app" is a literal value and its name says it is a credential: it is in dist/ and in the pod spec for anyone who can read it',
        ],
        [
          'spec.containers[0].env[1].value',
          'env SENTRY_DSN of container "app" is a literal value and its value is a URL with a user and password: it is in dist/ and in the pod spec for anyone who can read it',
        ],
      ]);
    });

    it('a Secret without data (a declaration) passes; one with data does not', () => {
      const secret = (extra: Obj): Obj => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'x' },
        ...extra,
      });
      expect(only([secret({ type: 'Opaque' })], 'secret.data')).toEqual([]);
      expect(only([secret({ data: { token: 'c2VjcmV0' } })], 'secret.data').map((f) => f.path)).toEqual(['data']);
    });
  });

  describe('mesh', () => {
    it('PERMISSIVE is refused in a meshed namespace and mesh-wide, not in a namespace outside the mesh', () => {
      const pa = (namespace: string): Obj => ({
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace },
        spec: { mtls: { mode: 'PERMISSIVE' } },
      });
      expect(only([pa('lobstack-control-plane')], 'mesh.mtls-mode')[0]?.message).toBe(
        'mTLS mode PERMISSIVE in meshed namespace lobstack-control-plane: workloads accept plaintext, so any pod can call them without a mesh identity',
      );
      expect(only([pa('istio-system')], 'mesh.mtls-mode')[0]?.message).toContain('mesh-wide (root namespace)');
      expect(only([pa('lobstack-agents')], 'mesh.mtls-mode')).toEqual([]);
    });

    it('the committed Gateway shape passes: HTTPS with TLS 1.2, HTTP only to redirect', () => {
      const objects = platform(spec).filter((o: Obj) => o.kind === 'Namespace');
      const gateway = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'api', namespace: 'lobstack-ingress' },
        spec: {
          servers: [
            {
              hosts: ['a'],
              port: { number: 443, name: 'https', protocol: 'HTTPS' },
              tls: { mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_2' },
            },
            { hosts: ['a'], port: { number: 80, name: 'http', protocol: 'HTTP' }, tls: { httpsRedirect: true } },
          ],
        },
      };
      expect(only([...objects, gateway], 'mesh.gateway-tls')).toEqual([]);
    });

    describe('HTTP without httpsRedirect: the ACME HTTP-01 shape (routes decide)', () => {
      const gateway: Obj = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'api', namespace: 'lobstack-ingress' },
        spec: { servers: [{ hosts: ['a'], port: { number: 80, name: 'http', protocol: 'HTTP' } }] },
      };
      const acme = {
        name: 'acme-http01',
        match: [{ port: 80, uri: { prefix: '/.well-known/acme-challenge/' } }],
        route: [{ destination: { host: 'acme-http01-solver.lobstack-ingress.svc.cluster.local' } }],
      };
      const redirect = { name: 'https-redirect', match: [{ port: 80 }], redirect: { scheme: 'https' } };
      const api = { route: [{ destination: { host: 'api.lobstack-control-plane.svc.cluster.local' } }] };
      const virtualService = (gateways: string[], http: Obj[]): Obj => ({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'api', namespace: 'lobstack-ingress' },
        spec: { hosts: ['a'], gateways, http },
      });

      it('passes when port 80 only answers the challenge path and redirects the rest to https', () => {
        expect(only([gateway, virtualService(['api'], [acme, redirect, api])], 'mesh.gateway-tls')).toEqual([]);
        // Bound by <namespace>/<name> from another namespace, too.
        const elsewhere = virtualService(['lobstack-ingress/api'], [acme, redirect, api]);
        elsewhere.metadata.namespace = 'lobstack-control-plane';
        expect(only([gateway, elsewhere], 'mesh.gateway-tls')).toEqual([]);
      });

      it('fails when a route serves port 80 before the redirect, or no route is bound at all', () => {
        const message =
          'server 0 serves HTTP without TLS and without tls.httpsRedirect: clients send requests and credentials in plaintext';
        expect(only([gateway, virtualService(['api'], [acme, api, redirect])], 'mesh.gateway-tls')).toEqual([
          expect.objectContaining({ path: 'spec.servers[0].port.protocol', message }),
        ]);
        const other = { ...acme, match: [{ port: 80, uri: { prefix: '/' } }] };
        expect(only([gateway, virtualService(['api'], [other, redirect])], 'mesh.gateway-tls')).toHaveLength(1);
        expect(only([gateway, virtualService(['other'], [acme, redirect])], 'mesh.gateway-tls')).toHaveLength(1);
        expect(only([gateway], 'mesh.gateway-tls')).toHaveLength(1);
      });
    });
  });

  describe('sandbox', () => {
    it('an agent template without gVisor gets its own finding that says so', () => {
      const objects = platform(spec);
      delete find(objects, 'PodTemplate', 'agent-starter').template.spec.runtimeClassName;
      expect(only(objects, 'sandbox.agent-gvisor')).toEqual([
        {
          path: 'template.spec.runtimeClassName',
          message:
            'agent pods of PodTemplate agent-starter set no runtimeClassName: untrusted code runs under runc, on the host kernel',
          fix: 'set runtimeClassName: gvisor on the agent pod template',
        },
      ]);
    });

    it('system-* priority classes pass in kube-system only', () => {
      const job = (namespace: string): Obj => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace },
        spec: { priorityClassName: 'system-cluster-critical', containers: [{ name: 'c', image: 'c:1' }] },
      });
      expect(only([job('kube-system')], 'sandbox.system-priority')).toEqual([]);
      expect(only([job('lobstack-team-research')], 'sandbox.system-priority')).toHaveLength(1);
    });
  });

  describe('resource-bounds', () => {
    it("the model's quotas and limit ranges pass; a typo in a unit does not", () => {
      const objects = platform(spec).filter((o: Obj) => ['ResourceQuota', 'LimitRange'].includes(o.kind));
      expect(judge(objects).findings).toEqual([]);
      objects.find((o: Obj) => o.kind === 'ResourceQuota').spec.hard['requests.cpu'] = '400000';
      expect(only(objects, 'bounds.quota').map((f) => f.message)).toEqual([
        'hard.requests.cpu 400000 is above the sane maximum of 20000 cores for one namespace: the quota limits nothing (a typo for a smaller unit?)',
      ]);
    });

    it('LimitRange ordering: default above max is reported on the larger field', () => {
      const lr: Obj = {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'l', namespace: 'x' },
        spec: { limits: [{ type: 'Container', max: { memory: '1Gi' }, default: { memory: '2Gi' } }] },
      };
      expect(only([lr], 'bounds.limit-range').map((f) => [f.path, f.message])).toEqual([
        [
          'spec.limits[0].max.memory',
          'max.memory 1Gi is below default.memory 2Gi: the API server rejects the LimitRange or every pod it defaults',
        ],
      ]);
    });
  });
});
