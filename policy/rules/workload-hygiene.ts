/**
 * Rule family 3, workload hygiene: requests and limits, probes on long-running
 * containers, pinned images, a dedicated service account, no token unless the
 * account is bound to a role, and a read-only root filesystem.
 */
import { asArray, asObject, asString, metadataOf } from '../manifests';
import { allPodTemplates } from '../workloads';
import type { RuleFamily } from '../types';

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

export const workloadHygieneRules: RuleFamily = {
  name: 'workload-hygiene',
  rules: [
    { id: 'hygiene.resources', severity: 'error', description: 'every container requests and limits CPU and memory' },
    {
      id: 'hygiene.probes',
      severity: 'error',
      description: 'long-running containers have readiness and liveness probes',
    },
    { id: 'hygiene.image-pinned', severity: 'error', description: 'images pinned to a tag or digest, never latest' },
    { id: 'hygiene.service-account', severity: 'error', description: 'pods run under a dedicated service account' },
    {
      id: 'hygiene.token-automount',
      severity: 'error',
      description: 'the API token is mounted only when the account is bound to a role',
    },
    { id: 'hygiene.read-only-root', severity: 'error', description: 'containers have a read-only root filesystem' },
  ],
  check(ctx, report) {
    // Service accounts that a RoleBinding/ClusterRoleBinding grants something: their pods need a token.
    const bound = new Set<string>();
    const automountOff = new Set<string>();
    for (const m of ctx.manifests) {
      const kind = m.object.kind;
      if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
        const bindingNs = metadataOf(m.object).namespace;
        for (const subject of asArray(m.object.subjects)) {
          const s = asObject(subject);
          if (s.kind !== 'ServiceAccount') continue;
          bound.add(`${asString(s.namespace) ?? bindingNs ?? ''}/${asString(s.name) ?? ''}`);
        }
      }
      if (kind === 'ServiceAccount' && m.object.automountServiceAccountToken === false) {
        const meta = metadataOf(m.object);
        automountOff.add(`${meta.namespace ?? ''}/${meta.name}`);
      }
    }
    for (const t of allPodTemplates(ctx.manifests)) {
      const sp = t.specPath;
      for (const c of t.containers) {
        if (c.list === 'ephemeralContainers') continue;
        const resources = asObject(c.container.resources);
        const missing: string[] = [];
        for (const kind of ['requests', 'limits'] as const) {
          for (const name of ['cpu', 'memory']) {
            if (asObject(resources[kind])[name] === undefined) missing.push(`${kind}.${name}`);
          }
        }
        if (missing.length > 0) {
          report(t.manifest, {
            rule: 'hygiene.resources',
            path: [...c.path, 'resources'],
            message: `container "${c.name}" has no ${missing.join(', ')}`,
            fix: `set resources.${missing.join(', resources.')} (quota admission and the scheduler need them)`,
          });
        }
        const image = asString(c.container.image) ?? '';
        const { tag, digest } = imageParts(image);
        if (!digest && (!tag || tag === 'latest')) {
          report(t.manifest, {
            rule: 'hygiene.image-pinned',
            path: [...c.path, 'image'],
            message: `container "${c.name}" image "${image}" ${tag === 'latest' ? 'uses the floating tag latest' : 'has no tag (it floats to latest)'}`,
            fix: 'pin the image to a version tag (name:1.2.3) or a digest (name@sha256:…)',
          });
        }
        const longRunning = t.longRunning && (c.list === 'containers' || c.sidecar);
        if (longRunning) {
          const absent = ['readinessProbe', 'livenessProbe'].filter((p) => c.container[p] === undefined);
          if (absent.length > 0) {
            report(t.manifest, {
              rule: 'hygiene.probes',
              path: [...c.path, absent[0]!],
              message: `long-running container "${c.name}" has no ${absent.join(' or ')}`,
              fix: `add ${absent.join(' and ')} (and a startupProbe for slow starts)`,
            });
          }
        }
        if (asObject(c.container.securityContext).readOnlyRootFilesystem !== true) {
          report(t.manifest, {
            rule: 'hygiene.read-only-root',
            path: [...c.path, 'securityContext', 'readOnlyRootFilesystem'],
            message: `container "${c.name}" has a writable root filesystem`,
            fix: 'set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes for scratch paths',
          });
        }
      }
      const sa = asString(t.spec.serviceAccountName) ?? asString(t.spec.serviceAccount);
      if (!sa || sa === 'default') {
        report(t.manifest, {
          rule: 'hygiene.service-account',
          path: [...sp, 'serviceAccountName'],
          message: `pods run as the namespace's ${sa ? '"default"' : 'default'} service account`,
          fix: 'create a ServiceAccount for this workload and set serviceAccountName',
        });
      }
      const key = `${t.namespace ?? ''}/${sa ?? 'default'}`;
      const podAutomount = t.spec.automountServiceAccountToken;
      const mounts = podAutomount === true || (podAutomount === undefined && !automountOff.has(key));
      if (mounts && !bound.has(key)) {
        report(t.manifest, {
          rule: 'hygiene.token-automount',
          path: [...sp, 'automountServiceAccountToken'],
          message: `pods mount an API token for service account "${sa ?? 'default'}", which no RoleBinding or ClusterRoleBinding grants anything`,
          fix: 'set automountServiceAccountToken: false on the pod template (or on the ServiceAccount)',
        });
      }
    }
  },
};
