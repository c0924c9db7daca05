import { container, findingsOf, gate, namespaceObjects, podSecurityContext, type Obj } from '../fixtures';
import { stackSpec } from '../../support/environments';

const QUOTA = {
  requestsCpu: '4',
  requestsMemory: '8Gi',
  limitsCpu: '8',
  limitsMemory: '16Gi',
  pods: 10,
  services: 5,
  persistentVolumeClaims: 0,
  requestsStorage: '0',
};
const LIMITS = {
  container: {
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    default: { cpu: '500m', memory: '512Mi' },
    min: { cpu: '10m', memory: '16Mi' },
    max: { cpu: '2', memory: '4Gi' },
  },
};

/** A Pod compliant with restricted, in a namespace enforcing `level` (policy version `version`). */
function pod(level: string, mutate: (spec: Obj, pod: Obj) => void = () => {}, version = '1.31'): Obj[] {
  const p: Obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'worker', namespace: 'demo' },
    spec: {
      securityContext: podSecurityContext(),
      containers: [
        container('app', { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
      ],
      initContainers: [
        { ...container('init', { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } }) },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
  mutate(p.spec, p);
  return [...namespaceObjects('demo', level, version, QUOTA, LIMITS), p];
}
const pss = (objects: Obj[], kubernetesVersion = '1.31') =>
  gate(objects, { families: ['pod-security'], kubernetesVersion });
const rulesOf = (objects: Obj[]) => pss(objects).findings.map((f) => f.rule);

describe('Pod Security Standards', () => {
  it('a restricted-compliant pod passes at every level', () => {
    for (const level of ['restricted', 'baseline', 'privileged']) expect(pss(pod(level)).findings).toEqual([]);
  });

  describe('baseline controls (violations at baseline and restricted, none at privileged)', () => {
    const cases: [string, string, (spec: Obj, pod: Obj) => void, string][] = [
      [
        'pss.host-process',
        'spec.securityContext.windowsOptions.hostProcess',
        (s) => (s.securityContext.windowsOptions = { hostProcess: true }),
        'hostProcess is true',
      ],
      [
        'pss.host-namespaces',
        'spec.hostNetwork',
        (s) => (s.hostNetwork = true),
        'hostNetwork is true: sharing host namespaces is forbidden at baseline',
      ],
      ['pss.host-namespaces', 'spec.hostPID', (s) => (s.hostPID = true), 'hostPID is true'],
      [
        'pss.privileged',
        'spec.containers[0].securityContext.privileged',
        (s) => (s.containers[0].securityContext.privileged = true),
        'container "app" is privileged, forbidden at baseline',
      ],
      [
        'pss.capabilities',
        'spec.containers[0].securityContext.capabilities.add[0]',
        (s) => (s.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']),
        'container "app" adds capability SYS_ADMIN, which baseline does not allow',
      ],
      [
        'pss.host-path',
        'spec.volumes[0].hostPath',
        (s) => (s.volumes = [{ name: 'tmp', hostPath: { path: '/var/run' } }]),
        'volume "tmp" is a hostPath volume, forbidden at baseline',
      ],
      [
        'pss.host-ports',
        'spec.containers[0].ports[0].hostPort',
        (s) => (s.containers[0].ports[0].hostPort = 8080),
        'container "app" binds host port 8080',
      ],
      [
        'pss.apparmor',
        'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
        (_s, p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }),
        'AppArmor profile "unconfined" for container app is not allowed at baseline',
      ],
      [
        'pss.apparmor',
        'spec.securityContext.appArmorProfile.type',
        (s) => (s.securityContext.appArmorProfile = { type: 'Unconfined' }),
        'appArmorProfile.type Unconfined is not allowed at baseline',
      ],
      [
        'pss.selinux',
        'spec.containers[0].securityContext.seLinuxOptions.type',
        (s) => (s.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' }),
        'container "app" sets SELinux type "spc_t", not allowed at baseline',
      ],
      [
        'pss.selinux',
        'spec.securityContext.seLinuxOptions.user',
        (s) => (s.securityContext.seLinuxOptions = { user: 'system_u' }),
        'the pod sets SELinux user "system_u", forbidden at baseline',
      ],
      [
        'pss.proc-mount',
        'spec.containers[0].securityContext.procMount',
        (s) => (s.containers[0].securityContext.procMount = 'Unmasked'),
        'container "app" sets procMount Unmasked',
      ],
      [
        'pss.seccomp',
        'spec.securityContext.seccompProfile.type',
        (s) => (s.securityContext.seccompProfile = { type: 'Unconfined' }),
        'seccompProfile.type is Unconfined, forbidden at baseline',
      ],
      [
        'pss.sysctls',
        'spec.securityContext.sysctls[0].name',
        (s) => (s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]),
        'sysctl kernel.msgmax is not a safe sysctl at baseline (policy 1.31)',
      ],
    ];
    it.each(cases)('%s at %s', (rule, path, mutate, message) => {
      for (const level of ['baseline', 'restricted']) {
        const [f] = findingsOf(pss(pod(level, mutate)), rule);
        expect(f).toMatchObject({ rule, path, severity: 'error', object: { kind: 'Pod', name: 'worker' } });
        expect(f!.message).toContain(message);
        expect(f!.message).toContain(`namespace demo enforces ${level}`);
        expect(f!.fix.length).toBeGreaterThan(5);
      }
      expect(pss(pod('privileged', mutate)).findings).toEqual([]);
    });
  });

  describe('restricted controls (violations at restricted only)', () => {
    const cases: [string, string, (spec: Obj) => void, string][] = [
      [
        'pss.volume-types',
        'spec.volumes[0].nfs',
        (s) => (s.volumes = [{ name: 'tmp', nfs: { server: 'nas', path: '/x' } }]),
        'volume "tmp" has type nfs, not allowed at restricted',
      ],
      [
        'pss.privilege-escalation',
        'spec.containers[0].securityContext.allowPrivilegeEscalation',
        (s) => delete s.containers[0].securityContext.allowPrivilegeEscalation,
        'container "app": allowPrivilegeEscalation must be false at restricted, got unset',
      ],
      [
        'pss.run-as-non-root',
        'spec.containers[0].securityContext.runAsNonRoot',
        (s) => {
          delete s.securityContext.runAsNonRoot;
          delete s.containers[0].securityContext.runAsNonRoot;
        },
        'container "app": runAsNonRoot is set neither on the container nor on the pod',
      ],
      [
        'pss.run-as-non-root',
        'spec.securityContext.runAsNonRoot',
        (s) => (s.securityContext.runAsNonRoot = false),
        'runAsNonRoot is false',
      ],
      [
        'pss.run-as-user',
        'spec.containers[0].securityContext.runAsUser',
        (s) => (s.containers[0].securityContext.runAsUser = 0),
        'container "app" sets runAsUser 0 (root), forbidden at restricted',
      ],
      [
        'pss.seccomp',
        'spec.initContainers[0].securityContext.seccompProfile.type',
        (s) => delete s.securityContext.seccompProfile,
        'init container "init": no seccomp profile on the container or the pod',
      ],
      [
        'pss.capabilities-restricted',
        'spec.containers[0].securityContext.capabilities.drop',
        (s) => (s.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] }),
        'container "app" does not drop ALL capabilities',
      ],
      [
        'pss.capabilities-restricted',
        'spec.containers[0].securityContext.capabilities.add[0]',
        (s) => (s.containers[0].securityContext.capabilities.add = ['CHOWN']),
        'container "app" adds capability CHOWN; restricted allows only NET_BIND_SERVICE',
      ],
    ];
    it.each(cases)('%s at %s', (rule, path, mutate, message) => {
      const [f] = findingsOf(pss(pod('restricted', mutate)), rule);
      expect(f).toMatchObject({ rule, path });
      expect(f!.message).toContain(message);
      expect(pss(pod('baseline', mutate)).findings).toEqual([]);
    });
  });

  it('NET_BIND_SERVICE is the one capability restricted allows to add', () => {
    expect(
      pss(pod('restricted', (s) => (s.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE']))).findings,
    ).toEqual([]);
  });

  it('checks init and ephemeral containers too', () => {
    const objects = pod('restricted', (s) => {
      s.initContainers[0].securityContext.allowPrivilegeEscalation = true;
      s.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }];
    });
    const findings = pss(objects).findings.map((f) => `${f.rule} ${f.path}`);
    expect(findings).toEqual(
      expect.arrayContaining([
        'pss.privilege-escalation spec.initContainers[0].securityContext.allowPrivilegeEscalation',
        'pss.privileged spec.ephemeralContainers[0].securityContext.privileged',
        'pss.capabilities-restricted spec.ephemeralContainers[0].securityContext.capabilities.drop',
      ]),
    );
  });

  it('judges pod templates of every workload kind and explains that PSA admits the template but rejects pods', () => {
    const objects = pod('restricted', (s) => (s.hostIPC = true));
    const p = objects.pop();
    objects.push({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'demo' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { ...p.spec, restartPolicy: 'Never' } } } },
      },
    });
    const [f] = findingsOf(pss(objects), 'pss.host-namespaces');
    expect(f!.path).toBe('spec.jobTemplate.spec.template.spec.hostIPC');
    expect(f!.message).toContain('PSA admits the CronJob but rejects its pods');
  });

  it('finds pod templates inside custom resources by shape', () => {
    const objects = pod('restricted', (s) => (s.hostNetwork = true));
    const p = objects.pop();
    objects.push({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r', namespace: 'demo' },
      spec: { template: { metadata: {}, spec: p.spec } },
    });
    expect(findingsOf(pss(objects), 'pss.host-namespaces')[0]?.path).toBe('spec.template.spec.hostNetwork');
  });

  it('sysctls follow the namespace policy version (tcp_keepalive_time is safe from 1.29)', () => {
    const mutate = (s: Obj) => (s.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }]);
    expect(rulesOf(pod('baseline', mutate, '1.31'))).toEqual([]);
    expect(rulesOf(pod('baseline', mutate, '1.28'))).toEqual(['pss.sysctls']);
  });

  it('SELinux container_engine_t is allowed from policy 1.31', () => {
    const mutate = (s: Obj) => (s.securityContext.seLinuxOptions = { type: 'container_engine_t' });
    expect(rulesOf(pod('baseline', mutate, '1.31'))).toEqual([]);
    expect(rulesOf(pod('baseline', mutate, '1.28'))).toEqual(['pss.selinux']);
  });

  it('pss.unknown-namespace: a namespace outside the set is judged as restricted, with a warning', () => {
    const objects = pod('baseline', (s) => delete s.containers[0].securityContext.allowPrivilegeEscalation);
    objects.splice(0, 4);
    const report = pss(objects);
    expect(findingsOf(report, 'pss.unknown-namespace')[0]).toMatchObject({
      severity: 'warning',
      message: 'namespace demo is not in the manifests; judged as restricted',
    });
    expect(findingsOf(report, 'pss.privilege-escalation')).toHaveLength(1);
  });

  it('pss.injected-sidecars: meshed or Vault-injected pods need a pod-level seccomp profile', () => {
    // Every container sets its own profile, so PSA would admit the pod as written...
    const mutate = (s: Obj, p: Obj) => {
      delete s.securityContext.seccompProfile;
      for (const c of [...s.containers, ...s.initContainers])
        c.securityContext.seccompProfile = { type: 'RuntimeDefault' };
      p.metadata.annotations = { 'vault.hashicorp.com/agent-inject': 'true' };
    };
    const objects = pod('restricted', mutate);
    const [f] = findingsOf(pss(objects), 'pss.injected-sidecars');
    expect(f).toMatchObject({ path: 'spec.securityContext.seccompProfile.type' });
    expect(f!.message).toBe(
      'the Vault agent injector injects containers that set no seccomp profile of their own; without a pod-level RuntimeDefault profile the pods fail restricted (namespace demo enforces restricted)',
    );
    expect(pss(objects).findings.map((x) => x.rule)).toEqual(['pss.injected-sidecars']);
    // ...the same for a namespace the mesh injects, unless the pod opts out.
    const meshed = pod('restricted', (s, p) => {
      mutate(s, p);
      p.metadata.annotations = {};
    });
    meshed[0].metadata.labels['istio-injection'] = 'enabled';
    expect(findingsOf(pss(meshed), 'pss.injected-sidecars')[0]?.message).toMatch(/^Istio injects containers/);
    meshed[4].metadata.labels = { 'sidecar.istio.io/inject': 'false' };
    expect(findingsOf(pss(meshed), 'pss.injected-sidecars')).toEqual([]);
  });

  it('with the environment, a namespace missing from the set is judged at the level the model gives it', () => {
    const spec = stackSpec('staging');
    const objects = pod('restricted', (s) => delete s.containers[0].securityContext.allowPrivilegeEscalation);
    const p = objects.pop();
    p.metadata.namespace = 'lobstack-node-monitoring';
    const report = gate([p], { families: ['pod-security'], spec });
    expect(findingsOf(report, 'pss.unknown-namespace')).toEqual([]);
    // node-monitoring is privileged by design (node-exporter): nothing to report.
    expect(report.findings).toEqual([]);
    p.metadata.namespace = 'lobstack-agents';
    expect(
      findingsOf(gate([p], { families: ['pod-security'], spec }), 'pss.privilege-escalation')[0]?.message,
    ).toContain('the environment model sets lobstack-agents to restricted');
  });
});
