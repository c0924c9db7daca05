/**
 * Rule family service-exposure: what a Service opens beyond the cluster. NodePort and
 * LoadBalancer Services publish a port on every node or a cloud load balancer;
 * `externalIPs` lets whoever creates the Service intercept traffic to any address
 * (CVE-2020-8554, kubernetes/kubernetes#97076); ExternalName points cluster DNS
 * anywhere. Only the ingress namespace may expose.
 */
import { asArray, asObject, asString, namespaceOf } from '../manifests';
import { ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Manifest } from '../types';
import { ingressNamespace, ingressNamespaceText } from './content-scope';
import { ofKind } from './object-index';
import { shown } from '../values';

const services = (ctx: GateContext) => ofKind(ctx, 'Service');
const outsideIngress = (ctx: GateContext, m: Manifest) => namespaceOf(m.object) !== ingressNamespace(ctx);

const WHAT_TYPES_OPEN: Record<string, string> = {
  NodePort: 'publishes a port on every node address',
  LoadBalancer: 'publishes the Service on a cloud load balancer (and a port on every node)',
};

function typeHits(ctx: GateContext, m: Manifest): Hit[] {
  const type = asString(asObject(m.object.spec).type) ?? 'ClusterIP';
  const opens = WHAT_TYPES_OPEN[type];
  if (!opens || !outsideIngress(ctx, m)) return [];
  return [
    {
      manifest: m,
      path: ['spec', 'type'],
      message: `type ${type} ${opens} from namespace ${namespaceOf(m.object)}; ${ingressNamespaceText(ctx)} expose Services`,
    },
  ];
}

function externalIpHits(m: Manifest): Hit[] {
  const ips = asArray(asObject(m.object.spec).externalIPs);
  if (ips.length === 0) return [];
  return [
    {
      manifest: m,
      path: ['spec', 'externalIPs'],
      message: `externalIPs ${JSON.stringify(ips)}: the cluster intercepts traffic to those addresses from every pod and node (CVE-2020-8554)`,
    },
  ];
}

function externalNameHits(ctx: GateContext, m: Manifest): Hit[] {
  const spec = asObject(m.object.spec);
  if (spec.type !== 'ExternalName' || !outsideIngress(ctx, m)) return [];
  return [
    {
      manifest: m,
      path: ['spec', 'externalName'],
      message: `type ExternalName points cluster DNS name ${asString(asObject(m.object.metadata).name) ?? ''} at ${shown(spec.externalName)} from namespace ${namespaceOf(m.object)}; ${ingressNamespaceText(ctx)} create ExternalName Services`,
    },
  ];
}

export const serviceTypeRule: GateRule = {
  id: 'service.exposed-type',
  severity: 'error',
  description: 'NodePort and LoadBalancer Services only in the ingress namespace',
  fix: 'use type ClusterIP and route outside traffic through the ingress gateway',
  check: (ctx) => services(ctx).flatMap((m) => typeHits(ctx, m)),
};

export const externalIpsRule: GateRule = {
  id: 'service.external-ips',
  severity: 'error',
  description: 'no Service externalIPs (CVE-2020-8554)',
  fix: 'remove spec.externalIPs; expose through the ingress gateway or a LoadBalancer in the ingress namespace',
  check: (ctx) => services(ctx).flatMap(externalIpHits),
};

export const externalNameRule: GateRule = {
  id: 'service.external-name',
  severity: 'error',
  description: 'ExternalName Services only in the ingress namespace',
  fix: 'call the external host by its own name (with an egress NetworkPolicy), or move the Service to the ingress namespace',
  check: (ctx) => services(ctx).flatMap((m) => externalNameHits(ctx, m)),
};

export const serviceExposureRules = ruleFamily('service-exposure', [
  serviceTypeRule,
  externalIpsRule,
  externalNameRule,
]);
