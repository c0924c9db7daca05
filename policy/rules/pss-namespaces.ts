/**
 * What Pod Security needs to know about namespaces: the level and policy version each
 * one enforces, and which admission webhooks inject containers into its pods.
 */
import { metadataOf } from '../manifests';
import { perRun } from '../rule';
import type { GateContext } from '../types';
import type { PodTemplate } from '../workloads';
import type { PodSecurityLevel } from '../../config';
import { ofKind } from './object-index';

const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

export interface NamespaceLevel {
  readonly level: PodSecurityLevel;
  /** Minor of the PSS policy version (`latest` resolves to the target minor). */
  readonly version: string;
  /** Where the level came from, for the message. */
  readonly source: string;
  readonly known: boolean;
}

function levelsInSet(ctx: GateContext): Map<string, NamespaceLevel> {
  const byName = new Map<string, NamespaceLevel>();
  for (const m of ofKind(ctx, 'Namespace')) {
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
  return byName;
}

/** The level and policy version a namespace enforces, from the Namespace objects in the set (or the model). */
export function namespaceLevels(ctx: GateContext): (namespace: string | undefined) => NamespaceLevel {
  const byName = levelsInSet(ctx);
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

/** Namespaces whose pods get the Istio sidecar (label istio-injection=enabled, or a revision label). */
export const meshedNamespaces = perRun((ctx) => {
  const out = new Set<string>();
  for (const m of ofKind(ctx, 'Namespace')) {
    const meta = metadataOf(m.object);
    if (meta.labels['istio-injection'] === 'enabled' || meta.labels['istio.io/rev'] !== undefined) out.add(meta.name);
  }
  return out;
});

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
