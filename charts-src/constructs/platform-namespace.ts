import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { NamespaceSpec } from '../../config';

export interface PlatformNamespaceProps {
  /** The resolved namespace (name, Pod Security level, mesh). */
  readonly namespace: NamespaceSpec;
  /** Kubernetes minor the PSS `-version` labels pin to, e.g. `1.31`. */
  readonly kubernetesVersion: string;
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
    const ns = props.namespace;
    const version = `v${props.kubernetesVersion}`;
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': ns.name };
    for (const mode of PSS_MODES) {
      labels[pssLabel(mode)] = ns.podSecurity;
      labels[`${pssLabel(mode)}-version`] = version;
    }
    labels['istio-injection'] = ns.mesh ? 'enabled' : 'disabled';
    const annotations: Record<string, string> = { 'agent-platform.io/purpose': ns.purpose };
    if (ns.exception) annotations['agent-platform.io/pod-security-exception'] = ns.exception;
    this.name = ns.name;
    this.resource = new k8s.KubeNamespace(this, 'Resource', { metadata: { name: ns.name, labels, annotations } });
  }
}
