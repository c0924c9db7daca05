/**
 * Rule family 2, Pod Security Standards: every pod template judged at the level
 * its namespace enforces, with the baseline and restricted controls as Pod
 * Security Admission (k8s.io/pod-security-admission/policy) defines them for the
 * namespace's `enforce-version`, across init, regular and ephemeral containers
 * (the controls: pss-baseline.ts, pss-restricted.ts).
 *
 * PSA `enforce` admits Deployments and other templates and then rejects their
 * pods; this static check is the only guard before deploy.
 */
import { asObject } from '../manifests';
import { perRun, ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Violation } from '../types';
import type { PodTemplate } from '../workloads';
import type { PodSecurityLevel } from '../../config';
import { BASELINE_CONTROLS } from './pss-baseline';
import type { PssControl } from './pss-control';
import { injectorsOf, meshedNamespaces, namespaceLevels, type NamespaceLevel } from './pss-namespaces';
import { RESTRICTED_CONTROLS } from './pss-restricted';
import { podTemplates } from './reference-index';

export { allowedSysctls } from './pss-baseline';
export { injectorsOf, namespaceLevels, type NamespaceLevel } from './pss-namespaces';

/** Every control, in the order PSA evaluates them. */
const CONTROLS: readonly PssControl[] = [...BASELINE_CONTROLS, ...RESTRICTED_CONTROLS];

const applies = (control: PssControl, level: PodSecurityLevel) =>
  level === 'restricted' || (level === 'baseline' && control.level === 'baseline');

/** Runs every control of `level` on one pod template. Exported for the cross-layer family. */
export function checkPodTemplate(
  template: PodTemplate,
  level: PodSecurityLevel,
  version: string,
  emit: (v: Violation) => void,
): void {
  for (const control of CONTROLS) {
    if (applies(control, level)) control.check(template, version).forEach(emit);
  }
}

/** Each pod template with the level its namespace enforces, once per run. */
const judgedTemplates = perRun((ctx) => {
  const levelOf = namespaceLevels(ctx);
  return podTemplates(ctx).map((template) => ({ template, level: levelOf(template.namespace) }));
});

/** The namespace's level and, for templates, that PSA admits the owner but rejects its pods. */
function context(template: PodTemplate, level: NamespaceLevel): string {
  const owner = template.owner.kind === 'Pod' ? '' : `; PSA admits the ${template.owner.kind} but rejects its pods`;
  return `${level.source}${owner}`;
}

function controlHits(ctx: GateContext, rule: string): Hit[] {
  const controls = CONTROLS.filter((c) => c.rule === rule);
  return judgedTemplates(ctx).flatMap(({ template, level }) =>
    controls
      .filter((control) => applies(control, level.level))
      .flatMap((control) => control.check(template, level.version))
      .map((v) => ({
        manifest: template.manifest,
        path: v.path,
        message: `${v.message} (${context(template, level)})`,
        fix: v.fix,
      })),
  );
}

/** A rule entry that runs the controls reporting under `id`. */
function controlRule(id: string, description: string, fix: string): GateRule {
  return { id, severity: 'error', description, fix, check: (ctx) => controlHits(ctx, id) };
}

const injectedSidecarsRule: GateRule = {
  id: 'pss.injected-sidecars',
  severity: 'error',
  description:
    'pods that get injected containers (Istio, Vault agent) carry the pod-level settings those containers rely on',
  fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod (it covers injected containers too)',
  check: (ctx) =>
    judgedTemplates(ctx).flatMap(({ template, level }) => {
      if (level.level !== 'restricted') return [];
      const injectors = injectorsOf(template, meshedNamespaces(ctx));
      const seccomp = asObject(asObject(template.spec.securityContext).seccompProfile).type;
      if (injectors.length === 0 || seccomp === 'RuntimeDefault' || seccomp === 'Localhost') return [];
      return [
        {
          manifest: template.manifest,
          path: [...template.specPath, 'securityContext', 'seccompProfile', 'type'],
          message: `${injectors.join(' and ')} inject${injectors.length === 1 ? 's' : ''} containers that set no seccomp profile of their own; without a pod-level RuntimeDefault profile the pods fail restricted (${level.source})`,
        },
      ];
    }),
};

const unknownNamespaceRule: GateRule = {
  id: 'pss.unknown-namespace',
  severity: 'warning',
  description: "a pod template's namespace is not in the set; it is judged as restricted",
  fix: 'add the Namespace (with pod-security.kubernetes.io labels) to the manifests, or check with --stack',
  check: (ctx) => {
    const warned = new Set<unknown>();
    return judgedTemplates(ctx).flatMap(({ template, level }) => {
      if (level.known || warned.has(template.manifest)) return [];
      warned.add(template.manifest);
      return [{ manifest: template.manifest, path: ['metadata', 'namespace'], message: level.source }];
    });
  },
};

export const podSecurityRules = ruleFamily('pod-security', [
  controlRule('pss.host-process', 'no Windows hostProcess containers (baseline)', 'remove hostProcess'),
  controlRule('pss.host-namespaces', 'no hostNetwork, hostPID or hostIPC (baseline)', 'remove the host namespace'),
  controlRule('pss.privileged', 'no privileged containers (baseline)', 'remove privileged'),
  controlRule('pss.capabilities', 'added capabilities within the baseline set', 'add only baseline capabilities'),
  controlRule('pss.host-path', 'no hostPath volumes (baseline)', 'use another volume type'),
  controlRule('pss.host-ports', 'no host ports (baseline)', 'expose the port through a Service'),
  controlRule('pss.apparmor', 'AppArmor profile RuntimeDefault or Localhost (baseline)', 'use RuntimeDefault'),
  controlRule('pss.selinux', 'SELinux type from the allowed set, no user/role (baseline)', 'leave SELinux unset'),
  controlRule('pss.proc-mount', 'procMount Default (baseline)', 'remove procMount'),
  controlRule(
    'pss.seccomp',
    'seccomp never Unconfined (baseline); RuntimeDefault or Localhost set (restricted)',
    'set seccompProfile.type: RuntimeDefault on the pod',
  ),
  controlRule('pss.sysctls', 'only safe sysctls (baseline)', 'remove the unsafe sysctl'),
  controlRule('pss.volume-types', 'only the restricted volume types', 'use a restricted volume type'),
  controlRule(
    'pss.privilege-escalation',
    'allowPrivilegeEscalation false (restricted)',
    'set allowPrivilegeEscalation: false',
  ),
  controlRule('pss.run-as-non-root', 'runAsNonRoot true (restricted)', 'set runAsNonRoot: true on the pod'),
  controlRule('pss.run-as-user', 'runAsUser never 0 (restricted)', 'set a non-zero runAsUser'),
  controlRule(
    'pss.capabilities-restricted',
    'drop ALL, add at most NET_BIND_SERVICE (restricted)',
    'drop ALL capabilities',
  ),
  injectedSidecarsRule,
  unknownNamespaceRule,
]);
