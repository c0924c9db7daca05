/**
 * Rule family 2, Pod Security Standards: every pod template judged at the level
 * its namespace enforces, with the baseline and restricted controls as Pod
 * Security Admission (k8s.io/pod-security-admission/policy) defines them for the
 * namespace's `enforce-version`, across init, regular and ephemeral containers.
 *
 * PSA `enforce` admits Deployments and other templates and then rejects their
 * pods; this static check is the only guard before deploy.
 */
import { asArray, asObject, asString, metadataOf } from '../manifests';
import { minorAtLeast } from './schema';
import { allPodTemplates, type ContainerRef, type PodTemplate } from '../workloads';
import type { GateContext, Manifest, PathSegment, RuleFamily, Violation } from '../types';
import type { PodSecurityLevel } from '../../config';

const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Safe sysctls per PSA version. */
export function allowedSysctls(version: string): Set<string> {
  const allowed = new Set([
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
  ]);
  if (minorAtLeast(version, '1.27')) allowed.add('net.ipv4.ip_local_reserved_ports');
  if (minorAtLeast(version, '1.29')) {
    for (const s of ['tcp_keepalive_time', 'tcp_fin_timeout', 'tcp_keepalive_intvl', 'tcp_keepalive_probes']) {
      allowed.add(`net.ipv4.${s}`);
    }
  }
  if (minorAtLeast(version, '1.32')) {
    allowed.add('net.ipv4.tcp_rmem');
    allowed.add('net.ipv4.tcp_wmem');
  }
  return allowed;
}

function allowedSelinuxTypes(version: string): string[] {
  const types = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
  if (minorAtLeast(version, '1.31')) types.push('container_engine_t');
  return types;
}

const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

export interface NamespaceLevel {
  readonly level: PodSecurityLevel;
  /** Minor of the PSS policy version (`latest` resolves to the target minor). */
  readonly version: string;
  /** Where the level came from, for the message. */
  readonly source: string;
  readonly known: boolean;
}

/** The level and policy version a namespace enforces, from the Namespace objects in the set (or the model). */
export function namespaceLevels(ctx: GateContext): (namespace: string | undefined) => NamespaceLevel {
  const byName = new Map<string, NamespaceLevel>();
  for (const m of ctx.manifests) {
    if (m.object.kind !== 'Namespace') continue;
    const meta = metadataOf(m.object);
    const enforce = meta.labels['pod-security.kubernetes.io/enforce'];
    const versionLabel = meta.labels['pod-security.kubernetes.io/enforce-version'];
    const version = versionLabel && /^v\d+\.\d+$/.test(versionLabel) ? versionLabel.slice(1) : ctx.kubernetesVersion;
    byName.set(meta.name, {
      // An unlabelled namespace enforces privileged in a real cluster.
      level: enforce && (LEVELS as readonly string[]).includes(enforce) ? (enforce as PodSecurityLevel) : 'privileged',
      version,
      source: enforce ? `namespace ${meta.name} enforces ${enforce}` : `namespace ${meta.name} has no enforce label`,
      known: true,
    });
  }
  return (namespace) => {
    const name = namespace ?? 'default';
    const found = byName.get(name);
    if (found) return found;
    const modelled = ctx.spec?.namespaces.find((n) => n.name === name);
    if (modelled) {
      return {
        level: modelled.podSecurity,
        version: ctx.kubernetesVersion,
        source: `the environment model sets ${name} to ${modelled.podSecurity}`,
        known: true,
      };
    }
    return {
      level: 'restricted',
      version: ctx.kubernetesVersion,
      source: `namespace ${name} is not in the manifests; judged as restricted`,
      known: false,
    };
  };
}

type Emit = (v: Omit<Violation, 'fix'> & { fix: string }) => void;

/** Runs every control of `level` on one pod template. Exported for the cross-layer family. */
export function checkPodTemplate(template: PodTemplate, level: PodSecurityLevel, version: string, emit: Emit): void {
  if (level === 'privileged') return;
  const spec = template.spec;
  const sp = template.specPath;
  const podSc = asObject(spec.securityContext);
  const containers = template.containers;
  const where = (c: ContainerRef) =>
    `${c.list === 'containers' ? 'container' : c.list === 'initContainers' ? 'init container' : 'ephemeral container'} "${c.name}"`;
  const sc = (c: ContainerRef) => asObject(c.container.securityContext);
  const scPath = (c: ContainerRef, ...rest: PathSegment[]) => [...c.path, 'securityContext', ...rest];
  const windows = asString(asObject(spec.os).name) === 'windows';

  // --- baseline -----------------------------------------------------------
  if (asObject(podSc.windowsOptions).hostProcess === true) {
    emit({
      rule: 'pss.host-process',
      path: [...sp, 'securityContext', 'windowsOptions', 'hostProcess'],
      message: 'hostProcess is true: Windows host process pods are forbidden at baseline',
      fix: 'remove securityContext.windowsOptions.hostProcess',
    });
  }
  for (const c of containers) {
    if (asObject(sc(c).windowsOptions).hostProcess === true) {
      emit({
        rule: 'pss.host-process',
        path: scPath(c, 'windowsOptions', 'hostProcess'),
        message: `${where(c)} sets hostProcess: true, forbidden at baseline`,
        fix: 'remove windowsOptions.hostProcess',
      });
    }
  }
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) {
      emit({
        rule: 'pss.host-namespaces',
        path: [...sp, field],
        message: `${field} is true: sharing host namespaces is forbidden at baseline`,
        fix: `remove ${field} (or run the pod in a namespace whose documented exception enforces privileged)`,
      });
    }
  }
  for (const c of containers) {
    if (sc(c).privileged === true) {
      emit({
        rule: 'pss.privileged',
        path: scPath(c, 'privileged'),
        message: `${where(c)} is privileged, forbidden at baseline`,
        fix: 'set securityContext.privileged to false or remove it',
      });
    }
    asArray(asObject(sc(c).capabilities).add).forEach((cap, i) => {
      if (typeof cap !== 'string' || !BASELINE_CAPABILITIES.has(cap)) {
        emit({
          rule: 'pss.capabilities',
          path: scPath(c, 'capabilities', 'add', i),
          message: `${where(c)} adds capability ${String(cap)}, which baseline does not allow`,
          fix: `remove ${String(cap)}; baseline allows only ${[...BASELINE_CAPABILITIES].join(', ')}`,
        });
      }
    });
  }
  asArray(spec.volumes).forEach((volume, i) => {
    if ('hostPath' in asObject(volume)) {
      emit({
        rule: 'pss.host-path',
        path: [...sp, 'volumes', i, 'hostPath'],
        message: `volume "${asString(asObject(volume).name) ?? i}" is a hostPath volume, forbidden at baseline`,
        fix: 'use an emptyDir, configMap, secret, projected or persistentVolumeClaim volume instead',
      });
    }
  });
  for (const c of containers) {
    asArray(c.container.ports).forEach((port, i) => {
      const hostPort = asObject(port).hostPort;
      if (typeof hostPort === 'number' && hostPort !== 0) {
        emit({
          rule: 'pss.host-ports',
          path: [...c.path, 'ports', i, 'hostPort'],
          message: `${where(c)} binds host port ${hostPort}, forbidden at baseline`,
          fix: 'remove hostPort and expose the port through a Service',
        });
      }
    });
  }
  for (const [key, value] of Object.entries(template.annotations)) {
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      !(value === '' || value === 'runtime/default' || value.startsWith('localhost/'))
    ) {
      emit({
        rule: 'pss.apparmor',
        path: [...template.metaPath, 'annotations', key],
        message: `AppArmor profile "${value}" for container ${key.slice(APPARMOR_ANNOTATION.length)} is not allowed at baseline`,
        fix: 'use runtime/default or localhost/<profile>, or remove the annotation',
      });
    }
  }
  const appArmorOk = (type: unknown) => type === undefined || type === 'RuntimeDefault' || type === 'Localhost';
  if (minorAtLeast(version, '1.30')) {
    const podType = asObject(podSc.appArmorProfile).type;
    if (!appArmorOk(podType)) {
      emit({
        rule: 'pss.apparmor',
        path: [...sp, 'securityContext', 'appArmorProfile', 'type'],
        message: `appArmorProfile.type ${String(podType)} is not allowed at baseline`,
        fix: 'use RuntimeDefault or Localhost',
      });
    }
    for (const c of containers) {
      const type = asObject(sc(c).appArmorProfile).type;
      if (!appArmorOk(type)) {
        emit({
          rule: 'pss.apparmor',
          path: scPath(c, 'appArmorProfile', 'type'),
          message: `${where(c)} uses appArmorProfile.type ${String(type)}, not allowed at baseline`,
          fix: 'use RuntimeDefault or Localhost',
        });
      }
    }
  }
  const selinuxTypes = allowedSelinuxTypes(version);
  const checkSelinux = (options: unknown, path: PathSegment[], who: string) => {
    const o = asObject(options);
    const type = asString(o.type) ?? '';
    if (!selinuxTypes.includes(type)) {
      emit({
        rule: 'pss.selinux',
        path: [...path, 'type'],
        message: `${who} sets SELinux type "${type}", not allowed at baseline`,
        fix: `use one of ${selinuxTypes.filter(Boolean).join(', ')} or leave it unset`,
      });
    }
    for (const field of ['user', 'role'] as const) {
      if (asString(o[field])) {
        emit({
          rule: 'pss.selinux',
          path: [...path, field],
          message: `${who} sets SELinux ${field} "${String(o[field])}", forbidden at baseline`,
          fix: `remove seLinuxOptions.${field}`,
        });
      }
    }
  };
  if ('seLinuxOptions' in podSc)
    checkSelinux(podSc.seLinuxOptions, [...sp, 'securityContext', 'seLinuxOptions'], 'the pod');
  for (const c of containers) {
    if ('seLinuxOptions' in sc(c)) checkSelinux(sc(c).seLinuxOptions, scPath(c, 'seLinuxOptions'), where(c));
    const procMount = sc(c).procMount;
    if (procMount !== undefined && procMount !== 'Default') {
      emit({
        rule: 'pss.proc-mount',
        path: scPath(c, 'procMount'),
        message: `${where(c)} sets procMount ${String(procMount)}, only Default is allowed at baseline`,
        fix: 'remove procMount or set it to Default',
      });
    }
  }
  const podSeccomp = asObject(podSc.seccompProfile).type;
  if (podSeccomp === 'Unconfined') {
    emit({
      rule: 'pss.seccomp',
      path: [...sp, 'securityContext', 'seccompProfile', 'type'],
      message: 'seccompProfile.type is Unconfined, forbidden at baseline',
      fix: 'set seccompProfile.type to RuntimeDefault',
    });
  }
  for (const c of containers) {
    if (asObject(sc(c).seccompProfile).type === 'Unconfined') {
      emit({
        rule: 'pss.seccomp',
        path: scPath(c, 'seccompProfile', 'type'),
        message: `${where(c)} sets seccompProfile.type Unconfined, forbidden at baseline`,
        fix: 'set seccompProfile.type to RuntimeDefault or remove it (the pod-level profile applies)',
      });
    }
  }
  const sysctls = allowedSysctls(version);
  asArray(podSc.sysctls).forEach((sysctl, i) => {
    const name = asString(asObject(sysctl).name) ?? '';
    if (!sysctls.has(name)) {
      emit({
        rule: 'pss.sysctls',
        path: [...sp, 'securityContext', 'sysctls', i, 'name'],
        message: `sysctl ${name} is not a safe sysctl at baseline (policy ${version})`,
        fix: `remove it; allowed: ${[...sysctls].join(', ')}`,
      });
    }
  });
  if (level === 'baseline') return;

  // --- restricted ---------------------------------------------------------
  asArray(spec.volumes).forEach((volume, i) => {
    const v = asObject(volume);
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && type !== 'hostPath' && !RESTRICTED_VOLUME_TYPES.includes(type)) {
      emit({
        rule: 'pss.volume-types',
        path: [...sp, 'volumes', i, type],
        message: `volume "${asString(v.name) ?? i}" has type ${type}, not allowed at restricted`,
        fix: `use one of ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
      });
    }
  });
  const windowsExempt = windows && minorAtLeast(version, '1.25');
  for (const c of containers) {
    if (windowsExempt) break;
    if (sc(c).allowPrivilegeEscalation !== false) {
      emit({
        rule: 'pss.privilege-escalation',
        path: scPath(c, 'allowPrivilegeEscalation'),
        message: `${where(c)}: allowPrivilegeEscalation must be false at restricted, got ${sc(c).allowPrivilegeEscalation === undefined ? 'unset' : String(sc(c).allowPrivilegeEscalation)}`,
        fix: 'set securityContext.allowPrivilegeEscalation: false explicitly',
      });
    }
  }
  // runAsNonRoot: the pod sets true (and no container sets false), or every container sets true.
  const podNonRoot = podSc.runAsNonRoot;
  if (podNonRoot === false) {
    emit({
      rule: 'pss.run-as-non-root',
      path: [...sp, 'securityContext', 'runAsNonRoot'],
      message: 'runAsNonRoot is false: restricted requires pods to run as non-root',
      fix: 'set securityContext.runAsNonRoot: true',
    });
  }
  for (const c of containers) {
    const value = sc(c).runAsNonRoot;
    if (value === false) {
      emit({
        rule: 'pss.run-as-non-root',
        path: scPath(c, 'runAsNonRoot'),
        message: `${where(c)} sets runAsNonRoot: false, forbidden at restricted`,
        fix: 'set runAsNonRoot: true or remove it so the pod-level true applies',
      });
    } else if (value === undefined && podNonRoot !== true) {
      emit({
        rule: 'pss.run-as-non-root',
        path: scPath(c, 'runAsNonRoot'),
        message: `${where(c)}: runAsNonRoot is set neither on the container nor on the pod; restricted requires true`,
        fix: 'set securityContext.runAsNonRoot: true on the pod (or on every container)',
      });
    }
  }
  if (minorAtLeast(version, '1.23')) {
    if (podSc.runAsUser === 0) {
      emit({
        rule: 'pss.run-as-user',
        path: [...sp, 'securityContext', 'runAsUser'],
        message: 'runAsUser is 0 (root), forbidden at restricted',
        fix: 'set runAsUser to a non-zero UID such as 10001',
      });
    }
    for (const c of containers) {
      if (sc(c).runAsUser === 0) {
        emit({
          rule: 'pss.run-as-user',
          path: scPath(c, 'runAsUser'),
          message: `${where(c)} sets runAsUser 0 (root), forbidden at restricted`,
          fix: 'set runAsUser to a non-zero UID such as 10001',
        });
      }
    }
  }
  if (!windowsExempt) {
    const okType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
    if (podSeccomp !== undefined && podSeccomp !== 'Unconfined' && !okType(podSeccomp)) {
      emit({
        rule: 'pss.seccomp',
        path: [...sp, 'securityContext', 'seccompProfile', 'type'],
        message: `seccompProfile.type ${String(podSeccomp)} is not allowed at restricted`,
        fix: 'set seccompProfile.type to RuntimeDefault or Localhost',
      });
    }
    for (const c of containers) {
      const type = asObject(sc(c).seccompProfile).type;
      if (type === undefined && !okType(podSeccomp)) {
        emit({
          rule: 'pss.seccomp',
          path: scPath(c, 'seccompProfile', 'type'),
          message: `${where(c)}: no seccomp profile on the container or the pod; restricted requires RuntimeDefault or Localhost`,
          fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
        });
      } else if (type !== undefined && type !== 'Unconfined' && !okType(type)) {
        emit({
          rule: 'pss.seccomp',
          path: scPath(c, 'seccompProfile', 'type'),
          message: `${where(c)} sets seccompProfile.type ${String(type)}, not allowed at restricted`,
          fix: 'use RuntimeDefault or Localhost',
        });
      }
    }
    for (const c of containers) {
      const caps = asObject(sc(c).capabilities);
      const drop = asArray(caps.drop);
      if (!drop.includes('ALL')) {
        emit({
          rule: 'pss.capabilities-restricted',
          path: scPath(c, 'capabilities', 'drop'),
          message: `${where(c)} does not drop ALL capabilities (drop: ${JSON.stringify(drop)}), required at restricted`,
          fix: 'set securityContext.capabilities.drop: ["ALL"]',
        });
      }
      asArray(caps.add).forEach((cap, i) => {
        if (cap !== 'NET_BIND_SERVICE') {
          emit({
            rule: 'pss.capabilities-restricted',
            path: scPath(c, 'capabilities', 'add', i),
            message: `${where(c)} adds capability ${String(cap)}; restricted allows only NET_BIND_SERVICE`,
            fix: `remove ${String(cap)} from capabilities.add`,
          });
        }
      });
    }
  }
}

/** Namespaces whose pods get the Istio sidecar (label istio-injection=enabled). */
function meshedNamespaces(ctx: GateContext): Set<string> {
  const out = new Set<string>();
  for (const m of ctx.manifests) {
    if (m.object.kind !== 'Namespace') continue;
    const meta = metadataOf(m.object);
    if (meta.labels['istio-injection'] === 'enabled' || meta.labels['istio.io/rev'] !== undefined) out.add(meta.name);
  }
  return out;
}

/**
 * Admission webhooks that add containers to this template's pods. Their containers
 * (istio-proxy, vault-agent, vault-agent-init) set runAsNonRoot, drop ALL and forbid
 * escalation themselves, but no seccomp profile: they rely on the pod's.
 */
export function injectorsOf(template: PodTemplate, meshed: Set<string>): string[] {
  const out: string[] = [];
  const podInject = template.labels['sidecar.istio.io/inject'] ?? template.annotations['sidecar.istio.io/inject'];
  if (podInject === 'true' || (podInject !== 'false' && meshed.has(template.namespace ?? ''))) out.push('Istio');
  if (template.annotations['vault.hashicorp.com/agent-inject'] === 'true') out.push('the Vault agent injector');
  return out;
}

export const podSecurityRules: RuleFamily = {
  name: 'pod-security',
  rules: [
    { id: 'pss.host-process', severity: 'error', description: 'no Windows hostProcess containers (baseline)' },
    { id: 'pss.host-namespaces', severity: 'error', description: 'no hostNetwork, hostPID or hostIPC (baseline)' },
    { id: 'pss.privileged', severity: 'error', description: 'no privileged containers (baseline)' },
    { id: 'pss.capabilities', severity: 'error', description: 'added capabilities within the baseline set' },
    { id: 'pss.host-path', severity: 'error', description: 'no hostPath volumes (baseline)' },
    { id: 'pss.host-ports', severity: 'error', description: 'no host ports (baseline)' },
    { id: 'pss.apparmor', severity: 'error', description: 'AppArmor profile RuntimeDefault or Localhost (baseline)' },
    { id: 'pss.selinux', severity: 'error', description: 'SELinux type from the allowed set, no user/role (baseline)' },
    { id: 'pss.proc-mount', severity: 'error', description: 'procMount Default (baseline)' },
    {
      id: 'pss.seccomp',
      severity: 'error',
      description: 'seccomp never Unconfined (baseline); RuntimeDefault or Localhost set (restricted)',
    },
    { id: 'pss.sysctls', severity: 'error', description: 'only safe sysctls (baseline)' },
    { id: 'pss.volume-types', severity: 'error', description: 'only the restricted volume types' },
    { id: 'pss.privilege-escalation', severity: 'error', description: 'allowPrivilegeEscalation false (restricted)' },
    { id: 'pss.run-as-non-root', severity: 'error', description: 'runAsNonRoot true (restricted)' },
    { id: 'pss.run-as-user', severity: 'error', description: 'runAsUser never 0 (restricted)' },
    {
      id: 'pss.capabilities-restricted',
      severity: 'error',
      description: 'drop ALL, add at most NET_BIND_SERVICE (restricted)',
    },
    {
      id: 'pss.injected-sidecars',
      severity: 'error',
      description:
        'pods that get injected containers (Istio, Vault agent) carry the pod-level settings those containers rely on',
    },
    {
      id: 'pss.unknown-namespace',
      severity: 'warning',
      description: "a pod template's namespace is not in the set; it is judged as restricted",
    },
  ],
  check(ctx, report) {
    const levelOf = namespaceLevels(ctx);
    const warned = new Set<Manifest>();
    for (const template of allPodTemplates(ctx.manifests)) {
      const level = levelOf(template.namespace);
      if (!level.known && !warned.has(template.manifest)) {
        warned.add(template.manifest);
        report(template.manifest, {
          rule: 'pss.unknown-namespace',
          path: ['metadata', 'namespace'],
          message: `${level.source}`,
          fix: 'add the Namespace (with pod-security.kubernetes.io labels) to the manifests, or check with --stack',
        });
      }
      if (level.level === 'restricted') {
        const injectors = injectorsOf(template, meshedNamespaces(ctx));
        const podSc = asObject(template.spec.securityContext);
        const seccomp = asObject(podSc.seccompProfile).type;
        if (injectors.length > 0 && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
          report(template.manifest, {
            rule: 'pss.injected-sidecars',
            path: [...template.specPath, 'securityContext', 'seccompProfile', 'type'],
            message: `${injectors.join(' and ')} inject${injectors.length === 1 ? 's' : ''} containers that set no seccomp profile of their own; without a pod-level RuntimeDefault profile the pods fail restricted (${level.source})`,
            fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod (it covers injected containers too)',
          });
        }
      }
      checkPodTemplate(template, level.level, level.version, (v) =>
        report(template.manifest, {
          ...v,
          message: `${v.message} (${level.source}${template.owner.kind === 'Pod' ? '' : `; PSA admits the ${template.owner.kind} but rejects its pods`})`,
        }),
      );
    }
  },
};
