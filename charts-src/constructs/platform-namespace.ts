import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { PodSecurityLevel } from '../../config';

export interface PlatformNamespaceProps {
  /** Namespace name (`lobstack-agents`). */
  readonly name: string;
  /** Pod Security Standard level, written to the enforce, audit and warn labels. */
  readonly podSecurity: PodSecurityLevel;
  /** Kubernetes minor the PSS `-version` labels pin to, e.g. `1.31`. */
  readonly kubernetesVersion: string;
  /** What the namespace is for (the `agent-platform.io/purpose` annotation). */
  readonly purpose: string;
  /** Istio sidecar injection (`istio-injection: enabled`). @default false */
  readonly mesh?: boolean;
  /**
   * Why the namespace is below restricted (the `agent-platform.io/pod-security-exception`
   * annotation). @default - no annotation
   */
  readonly podSecurityException?: string;
}

/** Pod Security Admission label keys. */
export const PSS_MODES = ['enforce', 'audit', 'warn'] as const;
export const pssLabel = (mode: (typeof PSS_MODES)[number]) => `pod-security.kubernetes.io/${mode}`;

/**
 * A namespace with Pod Security Standard labels for enforce, audit and warn, each
 * pinned to the cluster's minor so an upgrade never silently tightens or loosens
 * admission, and the Istio injection label.
 */
export class PlatformNamespace extends Construct {
  /** The Namespace object. */
  readonly resource: ApiObject;
  readonly name: string;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    const version = `v${props.kubernetesVersion}`;
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': props.name };
    for (const mode of PSS_MODES) {
      labels[pssLabel(mode)] = props.podSecurity;
      labels[`${pssLabel(mode)}-version`] = version;
    }
    labels['istio-injection'] = (props.mesh ?? false) ? 'enabled' : 'disabled';
    const annotations: Record<string, string> = { 'agent-platform.io/purpose': props.purpose };
    if (props.podSecurityException) {
      annotations['agent-platform.io/pod-security-exception'] = props.podSecurityException;
    }
    this.name = props.name;
    this.resource = new k8s.KubeNamespace(this, 'Resource', { metadata: { name: props.name, labels, annotations } });
  }
}
