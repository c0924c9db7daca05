/**
 * Rule family 5, references: selectors select something, autoscaler targets
 * exist, referenced ServiceAccounts, PriorityClasses, RuntimeClasses, roles,
 * ConfigMaps and Secrets exist or are declared external; one horizontal
 * autoscaler per target, never HPA and an active VPA on the same resources, a PDB
 * that leaves room for a drain at the autoscaler floor, and no `spec.replicas` on
 * an autoscaled workload.
 */
import { asArray, asObject, asString, describe, idOf, isObject, metadataOf } from '../manifests';
import { allPodTemplates, isEmptySelector, selectorMatches, type PodTemplate } from '../workloads';
import type { GateContext, Manifest, PathSegment, RuleFamily, Violation } from '../types';

/** Annotation on a referencing object: `Secret/name, ConfigMap/name` that exist outside these manifests. */
export const EXTERNAL_ANNOTATION = 'policy.agent-platform.io/external';

const BUILTIN_PRIORITY_CLASSES = ['system-cluster-critical', 'system-node-critical'];
const BUILTIN_CLUSTER_ROLES = ['cluster-admin', 'admin', 'edit', 'view'];

/** Secrets the environment model says exist out of band (created by an operator or Vault, never in dist/). */
export function externalSecretsOf(ctx: GateContext): Set<string> {
  const out = new Set<string>();
  const spec = ctx.spec;
  if (!spec) return out;
  const ns = (key: string) => spec.namespaces.find((n) => n.key === key)?.name ?? key;
  for (const s of spec.controlPlaneApi.secrets) out.add(`${ns('control-plane')}/Secret/${s.name}`);
  out.add(`${ns('ingress')}/Secret/${spec.controlPlaneApi.tlsSecretName}`);
  out.add(`${ns('control-plane')}/Secret/${spec.controlPlaneApi.tlsSecretName}`);
  if (spec.agents?.warmPool) out.add(`${ns('agents')}/Secret/${spec.agents.warmPool.database.secretName}`);
  for (const svc of spec.services) for (const s of svc.secrets) out.add(`${ns(svc.namespace)}/Secret/${s.name}`);
  for (const svc of spec.statefulServices)
    for (const s of svc.secrets) out.add(`${ns(svc.namespace)}/Secret/${s.name}`);
  for (const job of spec.jobs) for (const s of job.secrets) out.add(`${ns(job.namespace)}/Secret/${s.name}`);
  for (const svc of spec.services) {
    for (const list of svc.keda?.redisLists ?? []) {
      if (list.passwordSecret) out.add(`${ns(svc.namespace)}/Secret/${list.passwordSecret.name}`);
    }
  }
  return out;
}

interface Target {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
}
const targetKey = (t: Target) => `${t.namespace}/${t.kind}/${t.name}`;

interface Autoscaler {
  readonly manifest: Manifest;
  readonly target: Target;
  readonly targetPath: PathSegment[];
  readonly horizontal: boolean;
  /** Floor of the replica count. */
  readonly min: number;
  readonly max: number;
  /** cpu/memory the autoscaler scales on (horizontal) or controls (VPA, when active). */
  readonly resources: Set<string>;
  readonly vpaActive?: boolean;
}

export function autoscalersOf(manifests: readonly Manifest[]): Autoscaler[] {
  const out: Autoscaler[] = [];
  for (const m of manifests) {
    const ns = metadataOf(m.object).namespace ?? 'default';
    const spec = asObject(m.object.spec);
    if (m.object.kind === 'HorizontalPodAutoscaler') {
      const ref = asObject(spec.scaleTargetRef);
      const resources = new Set<string>();
      const metrics = asArray(spec.metrics);
      if (metrics.length === 0) resources.add('cpu'); // autoscaling/v2 defaults to 80% CPU
      for (const metric of metrics) {
        const mm = asObject(metric);
        const source = asObject(mm.type === 'ContainerResource' ? mm.containerResource : mm.resource);
        if ((mm.type === 'Resource' || mm.type === 'ContainerResource') && typeof source.name === 'string') {
          resources.add(source.name);
        }
      }
      out.push({
        manifest: m,
        target: { namespace: ns, kind: asString(ref.kind) ?? '', name: asString(ref.name) ?? '' },
        targetPath: ['spec', 'scaleTargetRef'],
        horizontal: true,
        min: typeof spec.minReplicas === 'number' ? spec.minReplicas : 1,
        max: typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 1,
        resources,
      });
    } else if (m.object.kind === 'ScaledObject') {
      const ref = asObject(spec.scaleTargetRef);
      const resources = new Set<string>();
      for (const trigger of asArray(spec.triggers)) {
        const type = asObject(trigger).type;
        if (type === 'cpu' || type === 'memory') resources.add(type);
      }
      out.push({
        manifest: m,
        target: { namespace: ns, kind: asString(ref.kind) ?? 'Deployment', name: asString(ref.name) ?? '' },
        targetPath: ['spec', 'scaleTargetRef'],
        horizontal: true,
        min: typeof spec.minReplicaCount === 'number' ? spec.minReplicaCount : 0,
        max: typeof spec.maxReplicaCount === 'number' ? spec.maxReplicaCount : 100,
        resources,
      });
    } else if (m.object.kind === 'VerticalPodAutoscaler') {
      const ref = asObject(spec.targetRef);
      const mode = asString(asObject(spec.updatePolicy).updateMode) ?? 'Auto';
      const active = mode === 'Auto' || mode === 'Recreate' || mode === 'InPlaceOrRecreate';
      const resources = new Set<string>();
      const policies = asArray(asObject(spec.resourcePolicy).containerPolicies).map(asObject);
      if (policies.length === 0) ['cpu', 'memory'].forEach((r) => resources.add(r));
      for (const p of policies) {
        if (p.mode === 'Off') continue;
        const controlled = asArray(p.controlledResources).filter((r): r is string => typeof r === 'string');
        (controlled.length > 0 ? controlled : ['cpu', 'memory']).forEach((r) => resources.add(r));
      }
      out.push({
        manifest: m,
        target: { namespace: ns, kind: asString(ref.kind) ?? '', name: asString(ref.name) ?? '' },
        targetPath: ['spec', 'targetRef'],
        horizontal: false,
        min: 0,
        max: 0,
        resources,
        vpaActive: active,
      });
    }
  }
  return out;
}

function refsOfPod(t: PodTemplate): { kind: 'ConfigMap' | 'Secret'; name: string; path: PathSegment[] }[] {
  const out: { kind: 'ConfigMap' | 'Secret'; name: string; path: PathSegment[] }[] = [];
  const sp = t.specPath;
  asArray(t.spec.volumes).forEach((volume, i) => {
    const v = asObject(volume);
    const cm = asObject(v.configMap);
    if (typeof cm.name === 'string' && cm.optional !== true)
      out.push({ kind: 'ConfigMap', name: cm.name, path: [...sp, 'volumes', i, 'configMap', 'name'] });
    const secret = asObject(v.secret);
    if (typeof secret.secretName === 'string' && secret.optional !== true) {
      out.push({ kind: 'Secret', name: secret.secretName, path: [...sp, 'volumes', i, 'secret', 'secretName'] });
    }
    asArray(asObject(v.projected).sources).forEach((source, j) => {
      const s = asObject(source);
      for (const kind of ['configMap', 'secret'] as const) {
        const ref = asObject(s[kind]);
        if (typeof ref.name === 'string' && ref.optional !== true) {
          out.push({
            kind: kind === 'configMap' ? 'ConfigMap' : 'Secret',
            name: ref.name,
            path: [...sp, 'volumes', i, 'projected', 'sources', j, kind, 'name'],
          });
        }
      }
    });
  });
  for (const c of t.containers) {
    asArray(c.container.env).forEach((env, i) => {
      const from = asObject(asObject(env).valueFrom);
      for (const [key, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = asObject(from[key]);
        if (typeof ref.name === 'string' && ref.optional !== true) {
          out.push({ kind, name: ref.name, path: [...c.path, 'env', i, 'valueFrom', key, 'name'] });
        }
      }
    });
    asArray(c.container.envFrom).forEach((env, i) => {
      for (const [key, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const ref = asObject(asObject(env)[key]);
        if (typeof ref.name === 'string' && ref.optional !== true) {
          out.push({ kind, name: ref.name, path: [...c.path, 'envFrom', i, key, 'name'] });
        }
      }
    });
  }
  asArray(t.spec.imagePullSecrets).forEach((s, i) => {
    const name = asObject(s).name;
    if (typeof name === 'string') out.push({ kind: 'Secret', name, path: [...sp, 'imagePullSecrets', i, 'name'] });
  });
  return out;
}

export const referenceRules: RuleFamily = {
  name: 'references',
  rules: [
    {
      id: 'ref.selector',
      severity: 'error',
      description: 'Service, PDB, NetworkPolicy and monitor selectors select something',
    },
    {
      id: 'ref.scale-target',
      severity: 'error',
      description: 'HPA, VPA and ScaledObject targets exist in their namespace',
    },
    { id: 'ref.service-account', severity: 'error', description: 'referenced ServiceAccounts exist' },
    { id: 'ref.priority-class', severity: 'error', description: 'referenced PriorityClasses exist' },
    { id: 'ref.runtime-class', severity: 'error', description: 'referenced RuntimeClasses exist' },
    { id: 'ref.rbac', severity: 'error', description: 'RoleBindings name roles that exist' },
    {
      id: 'ref.config',
      severity: 'error',
      description: 'referenced ConfigMaps, Secrets and TriggerAuthentications exist or are declared external',
    },
    { id: 'ref.one-autoscaler', severity: 'error', description: 'at most one horizontal autoscaler per workload' },
    { id: 'ref.hpa-vpa-conflict', severity: 'error', description: 'no HPA/KEDA and active VPA on the same CPU/memory' },
    {
      id: 'ref.pdb-blocks-drain',
      severity: 'error',
      description: 'a PDB leaves at least one disruption at the autoscaler floor',
    },
    {
      id: 'ref.autoscaled-replicas',
      severity: 'error',
      description: 'an autoscaled workload carries no spec.replicas',
    },
  ],
  check(ctx, report) {
    const templates = allPodTemplates(ctx.manifests);
    const exists = new Set<string>();
    for (const m of ctx.manifests) {
      const meta = metadataOf(m.object);
      exists.add(`${meta.namespace ?? ''}/${String(m.object.kind)}/${meta.name}`);
    }
    const has = (ns: string | undefined, kind: string, name: string) => exists.has(`${ns ?? ''}/${kind}/${name}`);
    const external = externalSecretsOf(ctx);
    const declared = (m: Manifest) =>
      new Set(
        (metadataOf(m.object).annotations[EXTERNAL_ANNOTATION] ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    const isExternal = (m: Manifest, ns: string | undefined, kind: string, name: string) =>
      declared(m).has(`${kind}/${name}`) || external.has(`${ns ?? ''}/${kind}/${name}`);
    const missingRef = (m: Manifest, v: Omit<Violation, 'fix'>, kind: string, name: string): Violation => ({
      ...v,
      fix: `create ${kind} ${name} in the manifests, correct the name, or declare it external with the annotation ${EXTERNAL_ANNOTATION}: "${kind}/${name}"`,
    });

    // Selectors.
    const podsIn = (ns: string | undefined) => templates.filter((t) => t.namespace === ns);
    const selects = (ns: string | undefined, selector: unknown) =>
      podsIn(ns).some((t) => selectorMatches(selector, t.labels));
    const selectorReport = (m: Manifest, path: PathSegment[], selector: unknown, what: string) => {
      const ns = metadataOf(m.object).namespace;
      if (!selects(ns, selector)) {
        report(m, {
          rule: 'ref.selector',
          path,
          message: `${what} ${JSON.stringify(selector)} matches no pod template in namespace ${ns ?? '(none)'}`,
          fix: 'align the selector with the labels of the pod template it is meant for',
        });
      }
    };
    for (const m of ctx.manifests) {
      const spec = asObject(m.object.spec);
      const ns = metadataOf(m.object).namespace;
      switch (m.object.kind) {
        case 'Service':
          if (isObject(spec.selector) && Object.keys(spec.selector).length > 0) {
            selectorReport(m, ['spec', 'selector'], spec.selector, 'the Service selector');
          }
          break;
        case 'PodDisruptionBudget':
          selectorReport(m, ['spec', 'selector'], spec.selector ?? {}, 'the PDB selector');
          break;
        case 'NetworkPolicy': {
          if (!isEmptySelector(spec.podSelector))
            selectorReport(m, ['spec', 'podSelector'], spec.podSelector, 'podSelector');
          for (const direction of ['ingress', 'egress'] as const) {
            asArray(spec[direction]).forEach((rule, i) => {
              asArray(asObject(rule)[direction === 'ingress' ? 'from' : 'to']).forEach((peer, j) => {
                const p = asObject(peer);
                if (!isObject(p.podSelector) || 'namespaceSelector' in p || isEmptySelector(p.podSelector)) return;
                if (!selects(ns, p.podSelector)) {
                  report(m, {
                    rule: 'ref.selector',
                    path: ['spec', direction, i, direction === 'ingress' ? 'from' : 'to', j, 'podSelector'],
                    message: `peer podSelector ${JSON.stringify(p.podSelector)} matches no pod template in namespace ${ns ?? '(none)'}`,
                    fix: 'align the selector with the pod labels, or add a namespaceSelector for pods in another namespace',
                  });
                }
              });
            });
          }
          break;
        }
        case 'PodMonitor':
        case 'ServiceMonitor': {
          const nsSel = asObject(spec.namespaceSelector);
          const names = asArray(nsSel.matchNames);
          if (nsSel.any === true || (names.length > 0 && !names.includes(ns))) break;
          if (m.object.kind === 'PodMonitor') {
            selectorReport(m, ['spec', 'selector'], spec.selector ?? {}, 'the PodMonitor selector');
          } else {
            const services = ctx.manifests.filter(
              (s) => s.object.kind === 'Service' && metadataOf(s.object).namespace === ns,
            );
            if (!services.some((s) => selectorMatches(spec.selector ?? {}, metadataOf(s.object).labels))) {
              report(m, {
                rule: 'ref.selector',
                path: ['spec', 'selector'],
                message: `the ServiceMonitor selector ${JSON.stringify(spec.selector ?? {})} matches no Service in namespace ${ns ?? '(none)'}`,
                fix: "align the selector with the Service's labels",
              });
            }
          }
          break;
        }
        default:
          break;
      }
    }

    // Autoscalers.
    const autoscalers = autoscalersOf(ctx.manifests);
    const byTarget = new Map<string, Autoscaler[]>();
    for (const a of autoscalers) {
      if (!has(a.target.namespace, a.target.kind, a.target.name)) {
        report(a.manifest, {
          rule: 'ref.scale-target',
          path: a.targetPath,
          message: `targets ${a.target.kind} ${a.target.namespace}/${a.target.name}, which is not in the manifests`,
          fix: 'correct kind/name of the target (it must be in the same namespace)',
        });
      }
      const list = byTarget.get(targetKey(a.target)) ?? [];
      list.push(a);
      byTarget.set(targetKey(a.target), list);
    }
    const targets = new Map<string, Manifest>();
    for (const m of ctx.manifests) {
      const meta = metadataOf(m.object);
      targets.set(`${meta.namespace ?? 'default'}/${String(m.object.kind)}/${meta.name}`, m);
    }
    for (const [key, list] of byTarget) {
      const horizontal = list.filter((a) => a.horizontal);
      horizontal.slice(1).forEach((a) => {
        report(a.manifest, {
          rule: 'ref.one-autoscaler',
          path: a.targetPath,
          message: `${key} is already scaled by ${describe(idOf(horizontal[0]!.manifest.object))}; two autoscalers fight over replicas`,
          fix: 'keep one horizontal autoscaler per workload (a KEDA ScaledObject already creates an HPA)',
        });
      });
      for (const vpa of list.filter((a) => !a.horizontal && a.vpaActive)) {
        for (const h of horizontal) {
          const shared = [...h.resources].filter((r) => vpa.resources.has(r));
          if (shared.length > 0) {
            report(vpa.manifest, {
              rule: 'ref.hpa-vpa-conflict',
              path: ['spec', 'updatePolicy', 'updateMode'],
              message: `VPA in an active update mode controls ${shared.join(' and ')} of ${key}, which ${describe(idOf(h.manifest.object))} scales on`,
              fix: 'set updatePolicy.updateMode: "Off" (recommendations only), or exclude those resources with resourcePolicy.containerPolicies[].controlledResources',
            });
          }
        }
      }
      const target = targets.get(key);
      if (target && horizontal.length > 0 && asObject(target.object.spec).replicas !== undefined) {
        report(target, {
          rule: 'ref.autoscaled-replicas',
          path: ['spec', 'replicas'],
          message: `is scaled by ${describe(idOf(horizontal[0]!.manifest.object))} but sets spec.replicas (${String(asObject(target.object.spec).replicas)}); every apply resets what the autoscaler chose`,
          fix: 'remove spec.replicas and let the autoscaler own the replica count',
        });
      }
    }

    // PDBs at the autoscaler floor.
    for (const m of ctx.manifests) {
      if (m.object.kind !== 'PodDisruptionBudget') continue;
      const spec = asObject(m.object.spec);
      const ns = metadataOf(m.object).namespace ?? 'default';
      const selected = templates.filter(
        (t) => (t.namespace ?? 'default') === ns && selectorMatches(spec.selector ?? {}, t.labels),
      );
      for (const t of selected) {
        const key = `${ns}/${t.owner.kind}/${t.owner.name}`;
        const scaler = (byTarget.get(key) ?? []).find((a) => a.horizontal);
        const replicas = asObject(t.manifest.object.spec).replicas;
        // The floor: the autoscaler's minimum, else the fixed replica count (default 1).
        const floor = scaler ? scaler.min : typeof replicas === 'number' ? replicas : 1;
        const pods = Math.max(floor, 1);
        const floorWhat = scaler
          ? `the autoscaler floor of ${t.owner.kind} ${t.owner.name} is ${floor}${floor === 0 ? ' (judged at 1 running pod)' : ''}`
          : `${t.owner.kind} ${t.owner.name} runs ${pods} replica(s)`;
        let allowed: number | undefined;
        let path: PathSegment[] = ['spec', 'minAvailable'];
        if (spec.minAvailable !== undefined) {
          const min = spec.minAvailable;
          const required =
            typeof min === 'number'
              ? min
              : typeof min === 'string' && min.endsWith('%')
                ? Math.ceil((Number(min.slice(0, -1)) * pods) / 100)
                : undefined;
          if (required !== undefined) allowed = pods - required;
        } else if (spec.maxUnavailable !== undefined) {
          path = ['spec', 'maxUnavailable'];
          const max = spec.maxUnavailable;
          allowed =
            typeof max === 'number'
              ? max
              : typeof max === 'string' && max.endsWith('%')
                ? Math.floor((Number(max.slice(0, -1)) * pods) / 100)
                : undefined;
        }
        if (allowed !== undefined && allowed <= 0) {
          report(m, {
            rule: 'ref.pdb-blocks-drain',
            path,
            message: `${path[1]} ${String(spec[path[1] as string])} with ${floorWhat}: ${Math.max(allowed, 0)} disruptions allowed, so every node drain blocks`,
            fix:
              path[1] === 'minAvailable'
                ? `set minAvailable below ${pods} (e.g. ${Math.max(pods - 1, 0)}) or raise the floor`
                : 'set maxUnavailable to at least 1',
          });
        }
      }
    }

    // Named references.
    for (const t of templates) {
      const m = t.manifest;
      const ns = t.namespace;
      const sa = asString(t.spec.serviceAccountName) ?? asString(t.spec.serviceAccount);
      if (sa && sa !== 'default' && !has(ns, 'ServiceAccount', sa) && !isExternal(m, ns, 'ServiceAccount', sa)) {
        report(
          m,
          missingRef(
            m,
            {
              rule: 'ref.service-account',
              path: [...t.specPath, 'serviceAccountName'],
              message: `ServiceAccount "${sa}" does not exist in namespace ${ns ?? '(none)'}`,
            },
            'ServiceAccount',
            sa,
          ),
        );
      }
      const pc = asString(t.spec.priorityClassName);
      if (
        pc &&
        !BUILTIN_PRIORITY_CLASSES.includes(pc) &&
        !has(undefined, 'PriorityClass', pc) &&
        !isExternal(m, undefined, 'PriorityClass', pc)
      ) {
        report(
          m,
          missingRef(
            m,
            {
              rule: 'ref.priority-class',
              path: [...t.specPath, 'priorityClassName'],
              message: `PriorityClass "${pc}" does not exist; pods are rejected at admission`,
            },
            'PriorityClass',
            pc,
          ),
        );
      }
      const rc = asString(t.spec.runtimeClassName);
      if (rc && !has(undefined, 'RuntimeClass', rc) && !isExternal(m, undefined, 'RuntimeClass', rc)) {
        report(
          m,
          missingRef(
            m,
            {
              rule: 'ref.runtime-class',
              path: [...t.specPath, 'runtimeClassName'],
              message: `RuntimeClass "${rc}" does not exist; pods are rejected at admission`,
            },
            'RuntimeClass',
            rc,
          ),
        );
      }
      for (const ref of refsOfPod(t)) {
        if (!has(ns, ref.kind, ref.name) && !isExternal(m, ns, ref.kind, ref.name)) {
          report(
            m,
            missingRef(
              m,
              {
                rule: 'ref.config',
                path: ref.path,
                message: `${ref.kind} "${ref.name}" does not exist in namespace ${ns ?? '(none)'} and is not declared external`,
              },
              ref.kind,
              ref.name,
            ),
          );
        }
      }
    }
    for (const m of ctx.manifests) {
      const ns = metadataOf(m.object).namespace;
      const spec = asObject(m.object.spec);
      if (m.object.kind === 'RoleBinding' || m.object.kind === 'ClusterRoleBinding') {
        const role = asObject(m.object.roleRef);
        const kind = asString(role.kind) ?? '';
        const name = asString(role.name) ?? '';
        const found =
          kind === 'ClusterRole'
            ? has(undefined, 'ClusterRole', name) || BUILTIN_CLUSTER_ROLES.includes(name) || name.startsWith('system:')
            : has(ns, 'Role', name);
        if (!found && !isExternal(m, kind === 'Role' ? ns : undefined, kind, name)) {
          report(
            m,
            missingRef(
              m,
              { rule: 'ref.rbac', path: ['roleRef', 'name'], message: `${kind} "${name}" does not exist` },
              kind,
              name,
            ),
          );
        }
        asArray(m.object.subjects).forEach((subject, i) => {
          const s = asObject(subject);
          if (s.kind !== 'ServiceAccount') return;
          const sNs = asString(s.namespace) ?? ns;
          const name = asString(s.name) ?? '';
          if (!has(sNs, 'ServiceAccount', name) && !isExternal(m, sNs, 'ServiceAccount', name)) {
            report(
              m,
              missingRef(
                m,
                {
                  rule: 'ref.service-account',
                  path: ['subjects', i, 'name'],
                  message: `ServiceAccount ${sNs ?? '(none)'}/${name} does not exist`,
                },
                'ServiceAccount',
                name,
              ),
            );
          }
        });
      }
      if (m.object.kind === 'TriggerAuthentication' || m.object.kind === 'ClusterTriggerAuthentication') {
        asArray(spec.secretTargetRef).forEach((ref, i) => {
          const name = asString(asObject(ref).name) ?? '';
          if (!has(ns, 'Secret', name) && !isExternal(m, ns, 'Secret', name)) {
            report(
              m,
              missingRef(
                m,
                {
                  rule: 'ref.config',
                  path: ['spec', 'secretTargetRef', i, 'name'],
                  message: `Secret "${name}" does not exist in namespace ${ns ?? '(none)'} and is not declared external`,
                },
                'Secret',
                name,
              ),
            );
          }
        });
      }
      if (m.object.kind === 'ScaledObject') {
        asArray(spec.triggers).forEach((trigger, i) => {
          const auth = asObject(asObject(trigger).authenticationRef);
          const name = asString(auth.name);
          if (!name) return;
          const kind = asString(auth.kind) ?? 'TriggerAuthentication';
          const authNs = kind === 'ClusterTriggerAuthentication' ? undefined : ns;
          if (!has(authNs, kind, name) && !isExternal(m, authNs, kind, name)) {
            report(
              m,
              missingRef(
                m,
                {
                  rule: 'ref.config',
                  path: ['spec', 'triggers', i, 'authenticationRef', 'name'],
                  message: `${kind} "${name}" does not exist${authNs ? ` in namespace ${authNs}` : ''}`,
                },
                kind,
                name,
              ),
            );
          }
        });
      }
    }
  },
};
