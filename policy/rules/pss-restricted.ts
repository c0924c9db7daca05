/**
 * The restricted controls of Pod Security Admission (k8s.io/pod-security-admission/policy),
 * on top of baseline. Windows pods are exempt from the Linux-only ones from policy 1.25.
 */
import { asArray, asObject, asString } from '../manifests';
import type { Violation } from '../types';
import type { PodTemplate } from '../workloads';
import {
  isWindows,
  podSecurityContextOf as podSc,
  podSecurityContextPath as podScPath,
  securityContextOf as sc,
  securityContextPath as scPath,
  where,
  type PssControl,
} from './pss-control';
import { minorAtLeast } from './api-lifecycle';
import { shown } from '../values';

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

const windowsExempt = (t: PodTemplate, version: string) => isWindows(t) && minorAtLeast(version, '1.25');

function volumeTypes(t: PodTemplate): Violation[] {
  return asArray(t.spec.volumes).flatMap((volume, i) => {
    const v = asObject(volume);
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || type === 'hostPath' || RESTRICTED_VOLUME_TYPES.includes(type)) return [];
    return [
      {
        rule: 'pss.volume-types',
        path: [...t.specPath, 'volumes', i, type],
        message: `volume "${asString(v.name) ?? i}" has type ${type}, not allowed at restricted`,
        fix: `use one of ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
      },
    ];
  });
}

function privilegeEscalation(t: PodTemplate, version: string): Violation[] {
  if (windowsExempt(t, version)) return [];
  return t.containers
    .filter((c) => sc(c).allowPrivilegeEscalation !== false)
    .map((c) => {
      const value = sc(c).allowPrivilegeEscalation;
      return {
        rule: 'pss.privilege-escalation',
        path: scPath(c, 'allowPrivilegeEscalation'),
        message: `${where(c)}: allowPrivilegeEscalation must be false at restricted, got ${value === undefined ? 'unset' : shown(value)}`,
        fix: 'set securityContext.allowPrivilegeEscalation: false explicitly',
      };
    });
}

/** runAsNonRoot: the pod sets true (and no container sets false), or every container sets true. */
function runAsNonRoot(t: PodTemplate): Violation[] {
  const rule = 'pss.run-as-non-root';
  const podNonRoot = podSc(t).runAsNonRoot;
  const out: Violation[] = [];
  if (podNonRoot === false) {
    out.push({
      rule,
      path: podScPath(t, 'runAsNonRoot'),
      message: 'runAsNonRoot is false: restricted requires pods to run as non-root',
      fix: 'set securityContext.runAsNonRoot: true',
    });
  }
  for (const c of t.containers) {
    const value = sc(c).runAsNonRoot;
    if (value === false) {
      out.push({
        rule,
        path: scPath(c, 'runAsNonRoot'),
        message: `${where(c)} sets runAsNonRoot: false, forbidden at restricted`,
        fix: 'set runAsNonRoot: true or remove it so the pod-level true applies',
      });
    } else if (value === undefined && podNonRoot !== true) {
      out.push({
        rule,
        path: scPath(c, 'runAsNonRoot'),
        message: `${where(c)}: runAsNonRoot is set neither on the container nor on the pod; restricted requires true`,
        fix: 'set securityContext.runAsNonRoot: true on the pod (or on every container)',
      });
    }
  }
  return out;
}

function runAsUser(t: PodTemplate, version: string): Violation[] {
  if (!minorAtLeast(version, '1.23')) return [];
  const fix = 'set runAsUser to a non-zero UID such as 10001';
  const pod: Violation[] =
    podSc(t).runAsUser === 0
      ? [
          {
            rule: 'pss.run-as-user',
            path: podScPath(t, 'runAsUser'),
            message: 'runAsUser is 0 (root), forbidden at restricted',
            fix,
          },
        ]
      : [];
  const containers = t.containers
    .filter((c) => sc(c).runAsUser === 0)
    .map((c) => ({
      rule: 'pss.run-as-user',
      path: scPath(c, 'runAsUser'),
      message: `${where(c)} sets runAsUser 0 (root), forbidden at restricted`,
      fix,
    }));
  return [...pod, ...containers];
}

const seccompOk = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';

function seccompSet(t: PodTemplate, version: string): Violation[] {
  if (windowsExempt(t, version)) return [];
  const out: Violation[] = [];
  const podSeccomp = asObject(podSc(t).seccompProfile).type;
  if (podSeccomp !== undefined && podSeccomp !== 'Unconfined' && !seccompOk(podSeccomp)) {
    out.push({
      rule: 'pss.seccomp',
      path: podScPath(t, 'seccompProfile', 'type'),
      message: `seccompProfile.type ${shown(podSeccomp)} is not allowed at restricted`,
      fix: 'set seccompProfile.type to RuntimeDefault or Localhost',
    });
  }
  for (const c of t.containers) {
    const type = asObject(sc(c).seccompProfile).type;
    if (type === undefined && !seccompOk(podSeccomp)) {
      out.push({
        rule: 'pss.seccomp',
        path: scPath(c, 'seccompProfile', 'type'),
        message: `${where(c)}: no seccomp profile on the container or the pod; restricted requires RuntimeDefault or Localhost`,
        fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
      });
    } else if (type !== undefined && type !== 'Unconfined' && !seccompOk(type)) {
      out.push({
        rule: 'pss.seccomp',
        path: scPath(c, 'seccompProfile', 'type'),
        message: `${where(c)} sets seccompProfile.type ${shown(type)}, not allowed at restricted`,
        fix: 'use RuntimeDefault or Localhost',
      });
    }
  }
  return out;
}

function capabilitiesRestricted(t: PodTemplate, version: string): Violation[] {
  if (windowsExempt(t, version)) return [];
  const rule = 'pss.capabilities-restricted';
  return t.containers.flatMap((c) => {
    const caps = asObject(sc(c).capabilities);
    const drop = asArray(caps.drop);
    const out: Violation[] = drop.includes('ALL')
      ? []
      : [
          {
            rule,
            path: scPath(c, 'capabilities', 'drop'),
            message: `${where(c)} does not drop ALL capabilities (drop: ${JSON.stringify(drop)}), required at restricted`,
            fix: 'set securityContext.capabilities.drop: ["ALL"]',
          },
        ];
    asArray(caps.add).forEach((cap, i) => {
      if (cap === 'NET_BIND_SERVICE') return;
      out.push({
        rule,
        path: scPath(c, 'capabilities', 'add', i),
        message: `${where(c)} adds capability ${shown(cap)}; restricted allows only NET_BIND_SERVICE`,
        fix: `remove ${shown(cap)} from capabilities.add`,
      });
    });
    return out;
  });
}

const restricted = (rule: string, check: PssControl['check']): PssControl => ({ rule, level: 'restricted', check });

export const RESTRICTED_CONTROLS: readonly PssControl[] = [
  restricted('pss.volume-types', volumeTypes),
  restricted('pss.privilege-escalation', privilegeEscalation),
  restricted('pss.run-as-non-root', runAsNonRoot),
  restricted('pss.run-as-user', runAsUser),
  restricted('pss.seccomp', seccompSet),
  restricted('pss.capabilities-restricted', capabilitiesRestricted),
];
