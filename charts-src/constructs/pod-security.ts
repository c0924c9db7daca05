/**
 * Security contexts that satisfy the `restricted` Pod Security Standard as Pod
 * Security Admission checks it: cdk8s-plus defaults alone do not produce this.
 * Every platform container (init and ephemeral included) uses these.
 */
import type { k8s } from 'cdk8s-plus-28';

/** Pod-level: non-root with a fixed high UID/GID, RuntimeDefault seccomp. */
export function restrictedPodSecurityContext(uid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level: no escalation, every capability dropped, read-only root. */
export function restrictedContainerSecurityContext(uid: number): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
