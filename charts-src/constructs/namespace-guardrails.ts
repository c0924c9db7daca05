/**
 * The guardrails every namespace of the platform gets, platform, add-on and tenant
 * alike: a ResourceQuota and a LimitRange sized from the environment, a
 * default-deny NetworkPolicy for ingress and egress, DNS, and then only the flows
 * the platform needs. Tenant namespaces also get traffic between their own pods
 * and RoleBindings of their groups to the built-in `admin` / `view` ClusterRoles.
 *
 * Instantiated once per namespace (up to ~1,000 tenants), so it does no more work
 * than building its handful of L1 objects.
 */
import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { limitRangeOrderViolations, limitsBelowRequests, type LimitRangeSpec, type Quota } from '../../config';
import {
  ALLOW_DNS_POLICY,
  ALLOW_SAME_NAMESPACE_POLICY,
  DEFAULT_DENY_POLICY,
  NAMESPACE_LIMITS,
  NAMESPACE_QUOTA,
  TENANT_ADMINS_BINDING,
  TENANT_VIEWERS_BINDING,
} from '../names';
import {
  fail,
  requireCpu,
  requireDnsLabel,
  requireInt,
  requireLimitRangeOrder,
  requireMemory,
} from './construct-input';
import { flowPolicy, peer, type NetworkFlow, type NetworkPeer } from './network-flow';

export interface NamespaceGuardrailsProps {
  /** Name of the namespace (it must exist: PlatformNamespace). */
  readonly name: string;
  /** The namespace's ResourceQuota. */
  readonly quota: Quota;
  /** The namespace's LimitRange: container defaults and bounds, optional pod and PVC bounds. */
  readonly limitRange: LimitRangeSpec;
  /** Groups bound to the built-in `admin` ClusterRole in the namespace (a tenant's leads). @default [] */
  readonly adminGroups?: readonly string[];
  /** Groups bound to the built-in `view` ClusterRole in the namespace. @default [] */
  readonly viewGroups?: readonly string[];
  /**
   * Flows the namespace needs beyond DNS; each becomes one NetworkPolicy.
   * @default [] (default-deny and DNS only)
   */
  readonly flows?: readonly NetworkFlow[];
  /**
   * Allow all traffic between the namespace's own pods (tenants; add-ons whose pods talk
   * among themselves).
   * @default false
   */
  readonly allowSameNamespace?: boolean;
  /**
   * The cluster DNS every pod may query on UDP and TCP 53.
   * @default - pods `k8s-app: kube-dns` in kube-system (CoreDNS on k3s and EKS)
   */
  readonly dns?: NetworkPeer;
}

const q = (value: string) => k8s.Quantity.fromString(value);

/** Quota, limit range, default-deny and allowed flows for one namespace. */
export class NamespaceGuardrails extends Construct {
  readonly quota: ApiObject;
  readonly limitRange: ApiObject;
  readonly defaultDeny: ApiObject;
  /** Every NetworkPolicy of the namespace, default-deny first. */
  readonly policies: ApiObject[] = [];
  /** Tenant RoleBindings (none for platform namespaces). */
  readonly roleBindings: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: NamespaceGuardrailsProps) {
    super(scope, id);
    const name = props.name;
    requireDnsLabel(this, 'name', name);
    const flows = props.flows ?? [];
    const allowSameNamespace = props.allowSameNamespace ?? false;
    const dns = props.dns ?? peer.dns();

    this.quota = new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: NAMESPACE_QUOTA, namespace: name },
      spec: { hard: this.quotaHard(props.quota) },
    });
    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: NAMESPACE_LIMITS, namespace: name },
      spec: { limits: this.limits(props.limitRange) },
    });

    this.defaultDeny = new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: {
        name: DEFAULT_DENY_POLICY,
        namespace: name,
        annotations: {
          'agent-platform.io/flow':
            'deny all ingress and egress of every pod unless another policy of this namespace allows it',
        },
      },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.policies.push(this.defaultDeny);
    this.policies.push(
      flowPolicy(this, 'AllowDns', name, {
        name: ALLOW_DNS_POLICY,
        description: 'every pod resolves names through the cluster DNS',
        direction: 'egress',
        peers: [dns],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      }),
    );
    if (allowSameNamespace) {
      const description = 'pods of this namespace talk to each other freely; other namespaces stay closed';
      this.policies.push(
        new k8s.KubeNetworkPolicy(this, 'AllowSameNamespace', {
          metadata: {
            name: ALLOW_SAME_NAMESPACE_POLICY,
            namespace: name,
            annotations: { 'agent-platform.io/flow': description },
          },
          spec: {
            podSelector: {},
            policyTypes: ['Ingress', 'Egress'],
            ingress: [{ from: [{ podSelector: {} }] }],
            egress: [{ to: [{ podSelector: {} }] }],
          },
        }),
      );
    }
    const seen = new Set<string>([DEFAULT_DENY_POLICY, ALLOW_DNS_POLICY, ALLOW_SAME_NAMESPACE_POLICY]);
    for (const flow of flows) {
      if (seen.has(flow.name)) fail(this, 'flows[].name', flow.name, 'must be unique within the namespace');
      seen.add(flow.name);
      this.policies.push(flowPolicy(this, `Flow-${flow.name}`, name, flow));
    }

    const bind = (bindingId: string, bindingName: string, role: 'admin' | 'view', groups: readonly string[]) => {
      if (groups.length === 0) return;
      groups.forEach((g, i) => {
        if (g.length === 0) fail(this, `${role}Groups[${i}]`, g, 'must not be empty');
      });
      this.roleBindings.push(
        new k8s.KubeRoleBinding(this, bindingId, {
          metadata: { name: bindingName, namespace: name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
          subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
        }),
      );
    };
    bind('AdminBinding', TENANT_ADMINS_BINDING, 'admin', props.adminGroups ?? []);
    bind('ViewBinding', TENANT_VIEWERS_BINDING, 'view', props.viewGroups ?? []);
  }

  private quotaHard(quota: Quota): Record<string, k8s.Quantity> {
    requireCpu(this, 'namespace.quota.requestsCpu', quota.requestsCpu);
    requireCpu(this, 'namespace.quota.limitsCpu', quota.limitsCpu);
    requireMemory(this, 'namespace.quota.requestsMemory', quota.requestsMemory);
    requireMemory(this, 'namespace.quota.limitsMemory', quota.limitsMemory);
    // Every limit >= its request (config/rules/resources.ts), on the quota's flat field names.
    const requests = { cpu: quota.requestsCpu, memory: quota.requestsMemory };
    const [v] = limitsBelowRequests(requests, { cpu: quota.limitsCpu, memory: quota.limitsMemory });
    if (v) {
      const f = v.resource === 'cpu' ? 'Cpu' : 'Memory';
      fail(this, `namespace.quota.limits${f}`, v.limit, `must be >= requests${f} (${v.request})`);
    }
    requireMemory(this, 'namespace.quota.requestsStorage', quota.requestsStorage);
    requireInt(this, 'namespace.quota.pods', quota.pods, 1);
    requireInt(this, 'namespace.quota.services', quota.services, 0);
    requireInt(this, 'namespace.quota.persistentVolumeClaims', quota.persistentVolumeClaims, 0);
    return {
      'requests.cpu': q(quota.requestsCpu),
      'requests.memory': q(quota.requestsMemory),
      'limits.cpu': q(quota.limitsCpu),
      'limits.memory': q(quota.limitsMemory),
      pods: q(String(quota.pods)),
      services: q(String(quota.services)),
      persistentvolumeclaims: q(String(quota.persistentVolumeClaims)),
      'requests.storage': q(quota.requestsStorage),
    };
  }

  private limits(lr: LimitRangeSpec): k8s.LimitRangeItem[] {
    const pair = (field: string, v: { cpu: string; memory: string }) => {
      requireCpu(this, `${field}.cpu`, v.cpu);
      requireMemory(this, `${field}.memory`, v.memory);
      return { cpu: q(v.cpu), memory: q(v.memory) };
    };
    const c = lr.container;
    const items: k8s.LimitRangeItem[] = [
      {
        type: 'Container',
        default: pair('namespace.limitRange.container.default', c.default),
        defaultRequest: pair('namespace.limitRange.container.defaultRequest', c.defaultRequest),
        min: pair('namespace.limitRange.container.min', c.min),
        max: pair('namespace.limitRange.container.max', c.max),
      },
    ];
    // The API server rejects a LimitRange unless min <= defaultRequest <= default <= max.
    requireLimitRangeOrder(this, 'namespace.limitRange.container', c);
    if (lr.pod) items.push({ type: 'Pod', max: pair('namespace.limitRange.pod.max', lr.pod.max) });
    if (lr.persistentVolumeClaim) {
      const pvc = lr.persistentVolumeClaim;
      requireMemory(this, 'namespace.limitRange.persistentVolumeClaim.min', pvc.min);
      requireMemory(this, 'namespace.limitRange.persistentVolumeClaim.max', pvc.max);
      if (limitRangeOrderViolations({ min: { storage: pvc.min }, max: { storage: pvc.max } }).length > 0) {
        fail(
          this,
          'namespace.limitRange.persistentVolumeClaim.max',
          pvc.max,
          `must be >= persistentVolumeClaim.min (${pvc.min})`,
        );
      }
      items.push({ type: 'PersistentVolumeClaim', min: { storage: q(pvc.min) }, max: { storage: q(pvc.max) } });
    }
    return items;
  }
}
