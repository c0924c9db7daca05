/**
 * Rule family 3, workload hygiene: requests and limits, probes on long-running
 * containers, pinned images, a dedicated service account, no token unless the
 * account is bound to a role, and a read-only root filesystem.
 */
import { limitsBelowRequests } from '../../config';
import { asObject, asString, effectiveNamespace, metadataNamespace, metadataOf } from '../manifests';
import { parseQuantity } from '../../config/manifest';
import { asObjects, shown } from '../values';
import { perRun, ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext } from '../types';
import type { ContainerRef, PodTemplate } from '../workloads';
import { ofKind, ofKinds } from './object-index';
import { podTemplates } from './reference-index';

/** `registry:5000/org/name:tag@sha256:…` → its tag and digest. */
export function imageParts(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > lastSlash ? name.slice(colon + 1) : undefined;
  return { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** A check of one container of one template. */
type ContainerCheck = (t: PodTemplate, c: ContainerRef) => Hit[];

/** Runs `check` on every container but ephemeral ones (debug containers declare no resources or probes). */
const perContainer = (check: ContainerCheck) => (ctx: GateContext) =>
  podTemplates(ctx).flatMap((t) =>
    t.containers.filter((c) => c.list !== 'ephemeralContainers').flatMap((c) => check(t, c)),
  );

const resources: ContainerCheck = (t, c) => {
  const declared = asObject(c.container.resources);
  const missing = (['requests', 'limits'] as const).flatMap((kind) =>
    ['cpu', 'memory'].filter((name) => asObject(declared[kind])[name] === undefined).map((name) => `${kind}.${name}`),
  );
  const below: Hit[] = limitsBelowRequests(asObject(declared.requests), asObject(declared.limits), gateAmount).map(
    (v) => ({
      manifest: t.manifest,
      path: [...c.path, 'resources', 'limits', v.resource],
      message: `container "${c.name}" limits.${v.resource} ${shown(v.limit)} is below requests.${v.resource} ${shown(v.request)}: the API server refuses the pod`,
      fix: `raise limits.${v.resource} to at least requests.${v.resource}`,
    }),
  );
  if (missing.length === 0) return below;
  return [
    {
      manifest: t.manifest,
      path: [...c.path, 'resources'],
      message: `container "${c.name}" has no ${missing.join(', ')}`,
      fix: `set resources.${missing.join(', resources.')} (quota admission and the scheduler need them)`,
    },
    ...below,
  ];
};

/** Any Kubernetes quantity, in base units (config/rules reads values through this). */
const gateAmount = (_resource: string, value: unknown) => parseQuantity(value);

const imagePinned: ContainerCheck = (t, c) => {
  const image = asString(c.container.image) ?? '';
  const { tag, digest } = imageParts(image);
  if (digest || (tag && tag !== 'latest')) return [];
  return [
    {
      manifest: t.manifest,
      path: [...c.path, 'image'],
      message: `container "${c.name}" image "${image}" ${tag === 'latest' ? 'uses the floating tag latest' : 'has no tag (it floats to latest)'}`,
    },
  ];
};

const probes: ContainerCheck = (t, c) => {
  if (!t.longRunning || !(c.list === 'containers' || c.sidecar)) return [];
  const absent = ['readinessProbe', 'livenessProbe'].filter((p) => c.container[p] === undefined);
  if (absent.length === 0) return [];
  return [
    {
      manifest: t.manifest,
      path: [...c.path, absent[0]!],
      message: `long-running container "${c.name}" has no ${absent.join(' or ')}`,
      fix: `add ${absent.join(' and ')} (and a startupProbe for slow starts)`,
    },
  ];
};

const readOnlyRoot: ContainerCheck = (t, c) =>
  asObject(c.container.securityContext).readOnlyRootFilesystem === true
    ? []
    : [
        {
          manifest: t.manifest,
          path: [...c.path, 'securityContext', 'readOnlyRootFilesystem'],
          message: `container "${c.name}" has a writable root filesystem`,
        },
      ];

const serviceAccountOf = (t: PodTemplate) => asString(t.spec.serviceAccountName) ?? asString(t.spec.serviceAccount);
const accountKey = (namespace: string | undefined, name: string) => `${effectiveNamespace(namespace)}/${name}`;

/** Service accounts some binding grants something (their pods need a token), and those that opt out of the token. */
const serviceAccounts = perRun((ctx) => {
  const bound = new Set<string>();
  const automountOff = new Set<string>();
  for (const m of ofKinds(ctx, ['RoleBinding', 'ClusterRoleBinding'])) {
    for (const s of asObjects(m.object.subjects)) {
      if (s.kind === 'ServiceAccount')
        bound.add(accountKey(asString(s.namespace) ?? metadataNamespace(m.object), asString(s.name) ?? ''));
    }
  }
  for (const m of ofKind(ctx, 'ServiceAccount')) {
    const meta = metadataOf(m.object);
    if (m.object.automountServiceAccountToken === false) automountOff.add(accountKey(meta.namespace, meta.name));
  }
  return { bound, automountOff };
});

function tokenHits(ctx: GateContext, t: PodTemplate): Hit[] {
  const { bound, automountOff } = serviceAccounts(ctx);
  const sa = serviceAccountOf(t);
  const key = accountKey(t.namespace, sa ?? 'default');
  const podAutomount = t.spec.automountServiceAccountToken;
  const mounts = podAutomount === true || (podAutomount === undefined && !automountOff.has(key));
  if (!mounts || bound.has(key)) return [];
  return [
    {
      manifest: t.manifest,
      path: [...t.specPath, 'automountServiceAccountToken'],
      message: `pods mount an API token for service account "${sa ?? 'default'}", which no RoleBinding or ClusterRoleBinding grants anything`,
    },
  ];
}

const rule = (id: string, description: string, fix: string, check: GateRule['check']): GateRule => ({
  id,
  severity: 'error',
  description,
  fix,
  check,
});

export const workloadHygieneRules = ruleFamily('workload-hygiene', [
  rule(
    'hygiene.resources',
    'every container requests and limits CPU and memory, no limit below its request',
    'set resources.requests and resources.limits for cpu and memory, each limit at least its request',
    perContainer(resources),
  ),
  rule(
    'hygiene.probes',
    'long-running containers have readiness and liveness probes',
    'add readinessProbe and livenessProbe',
    perContainer(probes),
  ),
  rule(
    'hygiene.image-pinned',
    'images pinned to a tag or digest, never latest',
    'pin the image to a version tag (name:1.2.3) or a digest (name@sha256:…)',
    perContainer(imagePinned),
  ),
  rule(
    'hygiene.service-account',
    'pods run under a dedicated service account',
    'create a ServiceAccount for this workload and set serviceAccountName',
    (ctx) =>
      podTemplates(ctx)
        .filter((t) => !serviceAccountOf(t) || serviceAccountOf(t) === 'default')
        .map((t) => ({
          manifest: t.manifest,
          path: [...t.specPath, 'serviceAccountName'],
          message: `pods run as the namespace's ${serviceAccountOf(t) ? '"default"' : 'default'} service account`,
        })),
  ),
  rule(
    'hygiene.token-automount',
    'the API token is mounted only when the account is bound to a role',
    'set automountServiceAccountToken: false on the pod template (or on the ServiceAccount)',
    (ctx) => podTemplates(ctx).flatMap((t) => tokenHits(ctx, t)),
  ),
  rule(
    'hygiene.read-only-root',
    'containers have a read-only root filesystem',
    'set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes for scratch paths',
    perContainer(readOnlyRoot),
  ),
]);
