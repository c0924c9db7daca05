/**
 * A complete, compliant platform as plain objects, built from a real stack file's
 * environment (the way the charts should render it). Rule tests take a fresh copy,
 * break one thing, and assert the finding. No chart code: the gate judges data.
 */
import {
  AGENT_POD_LABEL,
  AGENT_TIER_LABEL,
  GVISOR_HANDLER,
  GVISOR_RUNTIME_CLASS,
  schedulingFor,
  type EnvironmentSpec,
} from '../../config';
import { fromObjects, runGate, type Finding, type GateOptions, type GateReport } from '../../policy';
import { SHARED_ROOT } from '../support/environments';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = any;

/** Schema locations of the tests: ../shared, offline. */
export const TEST_SCHEMAS = {
  schemaLocations: [join(SHARED_ROOT, 'k8s-schemas')],
  crdLocations: [join(SHARED_ROOT, 'crds')],
};

const UID = 10001;
export const podSecurityContext = () => ({
  runAsNonRoot: true,
  runAsUser: UID,
  runAsGroup: UID,
  fsGroup: UID,
  seccompProfile: { type: 'RuntimeDefault' },
});
export const containerSecurityContext = () => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: UID,
});
const probe = (path: string) => ({ httpGet: { path, port: 8080 }, periodSeconds: 10 });

export function container(name: string, resources: Obj): Obj {
  return {
    name,
    image: `ghcr.io/example/${name}:1.2.3`,
    ports: [{ containerPort: 8080, name: 'http' }],
    resources,
    readinessProbe: probe('/readyz'),
    livenessProbe: probe('/healthz'),
    securityContext: containerSecurityContext(),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

export function namespaceObjects(name: string, level: string, version: string, quota: Obj, limitRange: Obj): Obj[] {
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = `v${version}`;
  }
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: name },
      spec: {
        hard: {
          'requests.cpu': quota.requestsCpu,
          'requests.memory': quota.requestsMemory,
          'limits.cpu': quota.limitsCpu,
          'limits.memory': quota.limitsMemory,
          pods: String(quota.pods),
          services: String(quota.services),
          persistentvolumeclaims: String(quota.persistentVolumeClaims),
          'requests.storage': quota.requestsStorage,
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits', namespace: name },
      spec: {
        limits: [
          {
            type: 'Container',
            default: limitRange.container.default,
            defaultRequest: limitRange.container.defaultRequest,
            min: limitRange.container.min,
            max: limitRange.container.max,
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}

/** The whole platform of one environment, compliant with every rule. */
export function platform(spec: EnvironmentSpec): Obj[] {
  const version = spec.kubernetes.version;
  const ns = (key: string) => spec.namespaces.find((n) => n.key === key)!.name;
  const cp = ns('control-plane');
  const agents = ns('agents');
  const api = spec.controlPlaneApi;
  const out: Obj[] = [];
  for (const n of spec.namespaces) out.push(...namespaceObjects(n.name, n.podSecurity, version, n.quota, n.limitRange));

  out.push(
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'platform-critical' },
      value: 100000,
      globalDefault: false,
      description: 'the control-plane API',
    },
    {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: GVISOR_RUNTIME_CLASS },
      handler: GVISOR_HANDLER,
      overhead: { podFixed: { cpu: spec.agents!.runtimeOverhead.cpu, memory: spec.agents!.runtimeOverhead.memory } },
      scheduling: schedulingFor(spec.placement.agents!),
    },
  );

  // The control-plane API.
  const apiLabels = { 'app.kubernetes.io/name': 'api' };
  const apiScheduling = schedulingFor(spec.placement.api);
  out.push(
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'api', namespace: cp },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: cp, labels: apiLabels },
      spec: {
        selector: { matchLabels: apiLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: apiLabels },
          spec: {
            serviceAccountName: 'api',
            automountServiceAccountToken: true,
            priorityClassName: 'platform-critical',
            securityContext: podSecurityContext(),
            nodeSelector: apiScheduling.nodeSelector,
            tolerations: apiScheduling.tolerations,
            containers: [container('api', api.resources)],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: cp },
      spec: { selector: apiLabels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: cp },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicas: api.replicas.min,
        maxReplicas: api.replicas.max,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'api', namespace: cp },
      spec: { minAvailable: api.pdbMinAvailable, selector: { matchLabels: apiLabels } },
    },
    {
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      metadata: { name: 'api', namespace: cp },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        updatePolicy: { updateMode: 'Off' },
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'api', namespace: cp, labels: apiLabels },
      spec: { selector: { matchLabels: {} }, endpoints: [{ port: 'http', path: '/metrics' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-ingress', namespace: cp },
      spec: {
        podSelector: { matchLabels: apiLabels },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns('ingress') } } }] }],
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'orchestrator', namespace: agents },
      rules: [
        { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'delete'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'orchestrator', namespace: agents },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'orchestrator' },
      subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: cp }],
    },
  );

  // The agent runtime.
  const agentScheduling = schedulingFor(spec.placement.agents!);
  const agentPod = (tier: string): Obj => {
    const t = spec.agents!.tiers[tier]!;
    return {
      metadata: { labels: { [AGENT_POD_LABEL]: 'true', [AGENT_TIER_LABEL]: tier } },
      spec: {
        runtimeClassName: GVISOR_RUNTIME_CLASS,
        serviceAccountName: 'agent',
        automountServiceAccountToken: false,
        securityContext: podSecurityContext(),
        nodeSelector: agentScheduling.nodeSelector,
        tolerations: agentScheduling.tolerations,
        containers: [container('agent', { requests: t.requests, limits: t.limits })],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: t.workspace } }],
      },
    };
  };
  out.push({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'agent', namespace: agents },
    automountServiceAccountToken: false,
  });
  for (const tier of Object.keys(spec.agents!.tiers)) {
    out.push({
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: `agent-${tier}`, namespace: agents },
      template: agentPod(tier),
    });
  }
  const warm = spec.agents!.warmPool!;
  const warmPod = agentPod(warm.tier);
  warmPod.metadata.labels = { ...warmPod.metadata.labels, 'app.kubernetes.io/name': 'warm-pool' };
  out.push(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'agent-warm-pool', namespace: agents },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'warm-pool' } }, template: warmPod },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: 'agent-db', namespace: agents },
      spec: {
        secretTargetRef: [
          { parameter: 'connection', name: warm.database.secretName, key: warm.database.connectionKey },
        ],
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'agent-warm-pool', namespace: agents },
      spec: {
        scaleTargetRef: { name: 'agent-warm-pool' },
        minReplicaCount: warm.minReplicas,
        maxReplicaCount: warm.maxReplicas,
        pollingInterval: warm.pollingInterval,
        cooldownPeriod: warm.cooldownPeriod,
        triggers: [
          {
            type: 'postgresql',
            metadata: { query: warm.query, targetQueryValue: String(warm.targetQueryValue) },
            authenticationRef: { name: 'agent-db' },
          },
          { type: 'cpu', metricType: 'Utilization', metadata: { value: String(warm.cpuUtilization) } },
        ],
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'agents', namespace: agents },
      spec: { selector: { matchLabels: { [AGENT_POD_LABEL]: 'true' } }, podMetricsEndpoints: [{ port: 'http' }] },
    },
  );
  out.push(...agentAdmissionPolicies(agents));
  return out;
}

/** What each agent admission policy judges at least (the gate checks the scope, not the CEL). */
const AGENT_POLICY_SCOPES: Record<string, { resource: string; operations: string[] }> = {
  'agent-pods': { resource: 'pods', operations: ['CREATE'] },
  'agent-services': { resource: 'services', operations: ['CREATE', 'UPDATE'] },
  'agent-orchestrator-updates': { resource: 'pods', operations: ['UPDATE'] },
  'agent-orchestrator-secrets': { resource: 'secrets', operations: ['CREATE', 'UPDATE', 'DELETE'] },
};

/** The agent namespace's admission policies and Deny bindings, each with one trivial validation. */
export function agentAdmissionPolicies(namespace: string): Obj[] {
  return Object.entries(AGENT_POLICY_SCOPES).flatMap(([name, scope]) => [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: scope.operations, resources: [scope.resource] },
          ],
        },
        validations: [{ expression: 'true', message: 'fixture' }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } },
      },
    },
  ]);
}

/** Runs the gate over objects (one file per object kind group is irrelevant: one file). */
export function gate(objects: readonly Obj[], options: Omit<GateOptions, 'schemas'> = {}): GateReport {
  return runGate(fromObjects(objects, 'fixture.yaml'), { schemas: TEST_SCHEMAS, ...options });
}

export function find(objects: Obj[], kind: string, name: string): Obj {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`fixture has no ${kind} ${name}`);
  return found;
}

/** Findings of one rule. */
export function findingsOf(report: GateReport, rule: string): Finding[] {
  return report.findings.filter((f) => f.rule === rule);
}

/** Short form for failure output: `rule path: message`. */
export function summarize(report: GateReport): string[] {
  return report.findings.map(
    (f) => `${f.severity} ${f.rule} ${f.object.kind}/${f.object.name} ${f.path}: ${f.message}`,
  );
}
