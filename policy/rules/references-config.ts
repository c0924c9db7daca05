/**
 * `ref.config`: the ConfigMaps and Secrets a pod template reads (volumes, env, envFrom,
 * image pull secrets), the Secrets a TriggerAuthentication reads and the
 * TriggerAuthentications a ScaledObject names exist in the set or are declared external.
 */
import { asArray, asObject, asString, metadataNamespace } from '../manifests';
import type { GateRule, Hit } from '../rule';
import type { GateContext, Manifest, PathSegment } from '../types';
import type { ContainerRef, PodTemplate } from '../workloads';
import { ofKind, ofKinds } from './object-index';
import { missingReferenceFix, podTemplates, resolves } from './reference-index';

interface ConfigRef {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly path: PathSegment[];
}

/** A required (not `optional: true`) reference named by `ref.name`. */
function required(ref: Record<string, unknown>, kind: ConfigRef['kind'], path: PathSegment[]): ConfigRef[] {
  return typeof ref.name === 'string' && ref.optional !== true ? [{ kind, name: ref.name, path }] : [];
}

function volumeRefs(t: PodTemplate): ConfigRef[] {
  const sp = t.specPath;
  return asArray(t.spec.volumes).flatMap((volume, i) => {
    const v = asObject(volume);
    const secret = asObject(v.secret);
    const out = [
      ...required(asObject(v.configMap), 'ConfigMap', [...sp, 'volumes', i, 'configMap', 'name']),
      ...(typeof secret.secretName === 'string' && secret.optional !== true
        ? [{ kind: 'Secret' as const, name: secret.secretName, path: [...sp, 'volumes', i, 'secret', 'secretName'] }]
        : []),
    ];
    asArray(asObject(v.projected).sources).forEach((source, j) => {
      for (const key of ['configMap', 'secret'] as const) {
        const kind = key === 'configMap' ? 'ConfigMap' : 'Secret';
        out.push(
          ...required(asObject(asObject(source)[key]), kind, [
            ...sp,
            'volumes',
            i,
            'projected',
            'sources',
            j,
            key,
            'name',
          ]),
        );
      }
    });
    return out;
  });
}

function containerRefs(c: ContainerRef): ConfigRef[] {
  const env = asArray(c.container.env).flatMap((entry, i) => {
    const from = asObject(asObject(entry).valueFrom);
    return [
      ...required(asObject(from.configMapKeyRef), 'ConfigMap', [
        ...c.path,
        'env',
        i,
        'valueFrom',
        'configMapKeyRef',
        'name',
      ]),
      ...required(asObject(from.secretKeyRef), 'Secret', [...c.path, 'env', i, 'valueFrom', 'secretKeyRef', 'name']),
    ];
  });
  const envFrom = asArray(c.container.envFrom).flatMap((entry, i) => [
    ...required(asObject(asObject(entry).configMapRef), 'ConfigMap', [...c.path, 'envFrom', i, 'configMapRef', 'name']),
    ...required(asObject(asObject(entry).secretRef), 'Secret', [...c.path, 'envFrom', i, 'secretRef', 'name']),
  ]);
  return [...env, ...envFrom];
}

function podRefs(t: PodTemplate): ConfigRef[] {
  const pullSecrets = asArray(t.spec.imagePullSecrets).flatMap((s, i) => {
    const name = asObject(s).name;
    return typeof name === 'string'
      ? [{ kind: 'Secret' as const, name, path: [...t.specPath, 'imagePullSecrets', i, 'name'] }]
      : [];
  });
  return [...volumeRefs(t), ...t.containers.flatMap(containerRefs), ...pullSecrets];
}

function templateHits(ctx: GateContext, t: PodTemplate): Hit[] {
  return podRefs(t)
    .filter((ref) => !resolves(ctx, t.manifest, t.namespace, ref.kind, ref.name))
    .map((ref) => ({
      manifest: t.manifest,
      path: ref.path,
      message: `${ref.kind} "${ref.name}" does not exist in namespace ${t.namespace ?? '(none)'} and is not declared external`,
      fix: missingReferenceFix(ref.kind, ref.name),
    }));
}

function triggerAuthenticationHits(ctx: GateContext, m: Manifest): Hit[] {
  if (m.object.kind !== 'TriggerAuthentication' && m.object.kind !== 'ClusterTriggerAuthentication') return [];
  const ns = metadataNamespace(m.object);
  return asArray(asObject(m.object.spec).secretTargetRef).flatMap((ref, i) => {
    const name = asString(asObject(ref).name) ?? '';
    if (resolves(ctx, m, ns, 'Secret', name)) return [];
    return [
      {
        manifest: m,
        path: ['spec', 'secretTargetRef', i, 'name'],
        message: `Secret "${name}" does not exist in namespace ${ns ?? '(none)'} and is not declared external`,
        fix: missingReferenceFix('Secret', name),
      },
    ];
  });
}

function scaledObjectHits(ctx: GateContext, m: Manifest): Hit[] {
  if (m.object.kind !== 'ScaledObject') return [];
  const ns = metadataNamespace(m.object);
  return asArray(asObject(m.object.spec).triggers).flatMap((trigger, i) => {
    const auth = asObject(asObject(trigger).authenticationRef);
    const name = asString(auth.name);
    if (!name) return [];
    const kind = asString(auth.kind) ?? 'TriggerAuthentication';
    const authNs = kind === 'ClusterTriggerAuthentication' ? undefined : ns;
    if (resolves(ctx, m, authNs, kind, name)) return [];
    return [
      {
        manifest: m,
        path: ['spec', 'triggers', i, 'authenticationRef', 'name'],
        message: `${kind} "${name}" does not exist${authNs ? ` in namespace ${authNs}` : ''}`,
        fix: missingReferenceFix(kind, name),
      },
    ];
  });
}

export const configRule: GateRule = {
  id: 'ref.config',
  severity: 'error',
  description: 'referenced ConfigMaps, Secrets and TriggerAuthentications exist or are declared external',
  fix: missingReferenceFix('Secret', '<name>'),
  check: (ctx) => [
    ...podTemplates(ctx).flatMap((t) => templateHits(ctx, t)),
    ...ofKinds(ctx, ['TriggerAuthentication', 'ClusterTriggerAuthentication']).flatMap((m) =>
      triggerAuthenticationHits(ctx, m),
    ),
    ...ofKind(ctx, 'ScaledObject').flatMap((m) => scaledObjectHits(ctx, m)),
  ],
};
