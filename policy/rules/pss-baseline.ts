/**
 * The baseline controls of Pod Security Admission (k8s.io/pod-security-admission/policy),
 * in the order PSA lists them; restricted includes them all.
 */
import { asArray, asObject, asString } from '../manifests';
import type { PathSegment, Violation } from '../types';
import type { PodTemplate } from '../workloads';
import {
  podSecurityContextOf as podSc,
  podSecurityContextPath as podScPath,
  securityContextOf as sc,
  securityContextPath as scPath,
  where,
  type PssControl,
} from './pss-control';
import { minorAtLeast } from './api-lifecycle';
import { shown } from '../values';

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

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

function hostProcess(t: PodTemplate): Violation[] {
  const rule = 'pss.host-process';
  const out: Violation[] = [];
  if (asObject(podSc(t).windowsOptions).hostProcess === true) {
    out.push({
      rule,
      path: podScPath(t, 'windowsOptions', 'hostProcess'),
      message: 'hostProcess is true: Windows host process pods are forbidden at baseline',
      fix: 'remove securityContext.windowsOptions.hostProcess',
    });
  }
  for (const c of t.containers) {
    if (asObject(sc(c).windowsOptions).hostProcess !== true) continue;
    out.push({
      rule,
      path: scPath(c, 'windowsOptions', 'hostProcess'),
      message: `${where(c)} sets hostProcess: true, forbidden at baseline`,
      fix: 'remove windowsOptions.hostProcess',
    });
  }
  return out;
}

function hostNamespaces(t: PodTemplate): Violation[] {
  return (['hostNetwork', 'hostPID', 'hostIPC'] as const)
    .filter((field) => t.spec[field] === true)
    .map((field) => ({
      rule: 'pss.host-namespaces',
      path: [...t.specPath, field],
      message: `${field} is true: sharing host namespaces is forbidden at baseline`,
      fix: `remove ${field} (or run the pod in a namespace whose documented exception enforces privileged)`,
    }));
}

function privileged(t: PodTemplate): Violation[] {
  return t.containers
    .filter((c) => sc(c).privileged === true)
    .map((c) => ({
      rule: 'pss.privileged',
      path: scPath(c, 'privileged'),
      message: `${where(c)} is privileged, forbidden at baseline`,
      fix: 'set securityContext.privileged to false or remove it',
    }));
}

function capabilities(t: PodTemplate): Violation[] {
  return t.containers.flatMap((c) =>
    asArray(asObject(sc(c).capabilities).add).flatMap((cap, i) =>
      typeof cap === 'string' && BASELINE_CAPABILITIES.has(cap)
        ? []
        : [
            {
              rule: 'pss.capabilities',
              path: scPath(c, 'capabilities', 'add', i),
              message: `${where(c)} adds capability ${shown(cap)}, which baseline does not allow`,
              fix: `remove ${shown(cap)}; baseline allows only ${[...BASELINE_CAPABILITIES].join(', ')}`,
            },
          ],
    ),
  );
}

function hostPath(t: PodTemplate): Violation[] {
  return asArray(t.spec.volumes).flatMap((volume, i) =>
    'hostPath' in asObject(volume)
      ? [
          {
            rule: 'pss.host-path',
            path: [...t.specPath, 'volumes', i, 'hostPath'],
            message: `volume "${asString(asObject(volume).name) ?? i}" is a hostPath volume, forbidden at baseline`,
            fix: 'use an emptyDir, configMap, secret, projected or persistentVolumeClaim volume instead',
          },
        ]
      : [],
  );
}

function hostPorts(t: PodTemplate): Violation[] {
  return t.containers.flatMap((c) =>
    asArray(c.container.ports).flatMap((port, i) => {
      const hostPort = asObject(port).hostPort;
      if (typeof hostPort !== 'number' || hostPort === 0) return [];
      return [
        {
          rule: 'pss.host-ports',
          path: [...c.path, 'ports', i, 'hostPort'],
          message: `${where(c)} binds host port ${hostPort}, forbidden at baseline`,
          fix: 'remove hostPort and expose the port through a Service',
        },
      ];
    }),
  );
}

function appArmorAnnotations(t: PodTemplate): Violation[] {
  return Object.entries(t.annotations)
    .filter(
      ([key, value]) =>
        key.startsWith(APPARMOR_ANNOTATION) &&
        !(value === '' || value === 'runtime/default' || value.startsWith('localhost/')),
    )
    .map(([key, value]) => ({
      rule: 'pss.apparmor',
      path: [...t.metaPath, 'annotations', key],
      message: `AppArmor profile "${value}" for container ${key.slice(APPARMOR_ANNOTATION.length)} is not allowed at baseline`,
      fix: 'use runtime/default or localhost/<profile>, or remove the annotation',
    }));
}

const appArmorOk = (type: unknown) => type === undefined || type === 'RuntimeDefault' || type === 'Localhost';

function appArmor(t: PodTemplate, version: string): Violation[] {
  const out = appArmorAnnotations(t);
  if (!minorAtLeast(version, '1.30')) return out;
  const podType = asObject(podSc(t).appArmorProfile).type;
  if (!appArmorOk(podType)) {
    out.push({
      rule: 'pss.apparmor',
      path: podScPath(t, 'appArmorProfile', 'type'),
      message: `appArmorProfile.type ${shown(podType)} is not allowed at baseline`,
      fix: 'use RuntimeDefault or Localhost',
    });
  }
  for (const c of t.containers) {
    const type = asObject(sc(c).appArmorProfile).type;
    if (appArmorOk(type)) continue;
    out.push({
      rule: 'pss.apparmor',
      path: scPath(c, 'appArmorProfile', 'type'),
      message: `${where(c)} uses appArmorProfile.type ${shown(type)}, not allowed at baseline`,
      fix: 'use RuntimeDefault or Localhost',
    });
  }
  return out;
}

function seLinuxOptions(options: unknown, path: PathSegment[], who: string, version: string): Violation[] {
  const out: Violation[] = [];
  const selinuxTypes = allowedSelinuxTypes(version);
  const o = asObject(options);
  const type = asString(o.type) ?? '';
  if (!selinuxTypes.includes(type)) {
    out.push({
      rule: 'pss.selinux',
      path: [...path, 'type'],
      message: `${who} sets SELinux type "${type}", not allowed at baseline`,
      fix: `use one of ${selinuxTypes.filter(Boolean).join(', ')} or leave it unset`,
    });
  }
  for (const field of ['user', 'role'] as const) {
    if (!asString(o[field])) continue;
    out.push({
      rule: 'pss.selinux',
      path: [...path, field],
      message: `${who} sets SELinux ${field} "${shown(o[field])}", forbidden at baseline`,
      fix: `remove seLinuxOptions.${field}`,
    });
  }
  return out;
}

function seLinux(t: PodTemplate, version: string): Violation[] {
  const pod = 'seLinuxOptions' in podSc(t);
  return [
    ...(pod ? seLinuxOptions(podSc(t).seLinuxOptions, podScPath(t, 'seLinuxOptions'), 'the pod', version) : []),
    ...t.containers.flatMap((c) =>
      'seLinuxOptions' in sc(c)
        ? seLinuxOptions(sc(c).seLinuxOptions, scPath(c, 'seLinuxOptions'), where(c), version)
        : [],
    ),
  ];
}

function procMount(t: PodTemplate): Violation[] {
  return t.containers
    .filter((c) => sc(c).procMount !== undefined && sc(c).procMount !== 'Default')
    .map((c) => ({
      rule: 'pss.proc-mount',
      path: scPath(c, 'procMount'),
      message: `${where(c)} sets procMount ${shown(sc(c).procMount)}, only Default is allowed at baseline`,
      fix: 'remove procMount or set it to Default',
    }));
}

function seccompNotUnconfined(t: PodTemplate): Violation[] {
  const out: Violation[] = [];
  if (asObject(podSc(t).seccompProfile).type === 'Unconfined') {
    out.push({
      rule: 'pss.seccomp',
      path: podScPath(t, 'seccompProfile', 'type'),
      message: 'seccompProfile.type is Unconfined, forbidden at baseline',
      fix: 'set seccompProfile.type to RuntimeDefault',
    });
  }
  for (const c of t.containers) {
    if (asObject(sc(c).seccompProfile).type !== 'Unconfined') continue;
    out.push({
      rule: 'pss.seccomp',
      path: scPath(c, 'seccompProfile', 'type'),
      message: `${where(c)} sets seccompProfile.type Unconfined, forbidden at baseline`,
      fix: 'set seccompProfile.type to RuntimeDefault or remove it (the pod-level profile applies)',
    });
  }
  return out;
}

function sysctls(t: PodTemplate, version: string): Violation[] {
  const allowed = allowedSysctls(version);
  return asArray(podSc(t).sysctls).flatMap((sysctl, i) => {
    const name = asString(asObject(sysctl).name) ?? '';
    if (allowed.has(name)) return [];
    return [
      {
        rule: 'pss.sysctls',
        path: podScPath(t, 'sysctls', i, 'name'),
        message: `sysctl ${name} is not a safe sysctl at baseline (policy ${version})`,
        fix: `remove it; allowed: ${[...allowed].join(', ')}`,
      },
    ];
  });
}

const baseline = (rule: string, check: PssControl['check']): PssControl => ({ rule, level: 'baseline', check });

export const BASELINE_CONTROLS: readonly PssControl[] = [
  baseline('pss.host-process', hostProcess),
  baseline('pss.host-namespaces', hostNamespaces),
  baseline('pss.privileged', privileged),
  baseline('pss.capabilities', capabilities),
  baseline('pss.host-path', hostPath),
  baseline('pss.host-ports', hostPorts),
  baseline('pss.apparmor', appArmor),
  baseline('pss.selinux', seLinux),
  baseline('pss.proc-mount', procMount),
  baseline('pss.seccomp', seccompNotUnconfined),
  baseline('pss.sysctls', sysctls),
];
