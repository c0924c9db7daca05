import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { namespaceOf, type AgentsSpec, type EnvironmentSpec } from '../../config';
import {
  AGENT_SERVICE_ACCOUNT,
  API_NAME,
  INGRESS_GATEWAY_LABELS,
  INGRESS_GATEWAY_SERVICE,
  API_POD_LABELS,
  API_SERVICE_ACCOUNT,
  PROMETHEUS_POD_LABELS,
  VAULT_POD_LABELS,
  VAULT_PORT,
} from '../names';
import {
  AgentPodTemplate,
  DEFAULT_VAULT_AGENT_RESOURCES,
  HTTP_PORT_NAME,
  METRICS_PORT_NAME,
  type AgentPodSpecProps,
  type AgentVaultInjection,
} from '../constructs/agent-pod-template';
import { AgentNetworkPolicies } from '../constructs/agent-network-policies';
import { peer } from '../constructs/network-flow';
import { AgentPodMonitor } from '../constructs/agent-pod-monitor';
import { AgentQuotaBudget } from '../constructs/agent-quota-budget';
import { GvisorRuntimeClass } from '../constructs/gvisor-runtime-class';
import { OrchestratorRbac } from '../constructs/orchestrator-rbac';
import { WarmPool } from '../constructs/warm-pool';
import { PlatformChart } from './platform-chart';

/** The Vault role agent pods log in as when the stack file names none. */
export const defaultVaultRole = (spec: Pick<EnvironmentSpec, 'name'>) => `${spec.name}-agent`;

/**
 * The agent runtime (only when `agents` is configured): the gVisor RuntimeClass, one PodTemplate
 * per tier that the orchestrator stamps out, the KEDA-scaled warm pool, the orchestrator's RBAC,
 * the isolation policies of agent pods, their PodMonitor, and the synth-time check that the
 * namespace quota admits everything the config allows to run.
 *
 * The namespace itself, its default-deny policies, quota and limit range come from the
 * namespaces chart; this chart only adds what is specific to agents.
 */
export class AgentRuntimeChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'agent-runtime' });
    const agents: AgentsSpec | undefined = spec.agents;
    const pool = spec.placement.agents;
    if (!agents || !pool) {
      throw new Error(
        `${this.node.path}: environment ${spec.stack} defines no agents (or no agents pool); do not build this chart`,
      );
    }
    const agentsNamespace = namespaceOf(spec, 'agents');
    const namespace = agentsNamespace.name;
    const controlPlane = namespaceOf(spec, 'control-plane').name;

    const vault: AgentVaultInjection | undefined = spec.addons.vault.enabled
      ? { role: agents.vault.role ?? defaultVaultRole(spec), secrets: agents.vault.secrets }
      : undefined;

    new AgentQuotaBudget(this, 'QuotaBudget', {
      namespace,
      quota: agentsNamespace.quota,
      limitRange: agentsNamespace.limitRange,
      tiers: agents.tiers,
      sessions: agents.sessions,
      ...(agents.warmPool
        ? { warmPool: { tier: agents.warmPool.tier, maxReplicas: agents.warmPool.maxReplicas } }
        : {}),
      overhead: agents.runtimeOverhead,
      ...(vault
        ? { initContainer: { name: 'vault-agent-init', resources: vault.resources ?? DEFAULT_VAULT_AGENT_RESOURCES } }
        : {}),
      quotaPath: 'namespaces.agents.quota (or guardrails.quota)',
    });

    new GvisorRuntimeClass(this, 'RuntimeClass', { pool, overhead: agents.runtimeOverhead });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: AGENT_SERVICE_ACCOUNT, namespace },
      automountServiceAccountToken: false,
    });

    // Under STRICT mTLS a meshed API admits only the ingress gateway, and agents are not in the
    // mesh (gVisor, no sidecar): their calls to the API go through the gateway, with the API's
    // public host name, dialled at the gateway's in-cluster Service.
    const apiMeshed = spec.addons.istio.enabled && namespaceOf(spec, 'control-plane').mesh;
    const ingress = apiMeshed ? namespaceOf(spec, 'ingress').name : undefined;
    const api = ingress
      ? {
          url: `https://${spec.controlPlaneApi.host}`,
          connectTo: `${INGRESS_GATEWAY_SERVICE}.${ingress}.svc.cluster.local:443`,
        }
      : { url: `http://${API_NAME}.${controlPlane}.svc.cluster.local:${spec.controlPlaneApi.port}` };

    const podProps = (tier: string): Omit<AgentPodSpecProps, 'restartPolicy'> => {
      const resources = agents.tiers[tier];
      if (!resources) {
        throw new Error(
          `${this.node.path}: tier "${tier}" is not defined in agents.tiers (${Object.keys(agents.tiers).join(', ')})`,
        );
      }
      return {
        tier,
        resources,
        image: agents.image,
        port: agents.port,
        ...(agents.metricsPort !== undefined ? { metricsPort: agents.metricsPort } : {}),
        runAsUser: agents.runAsUser,
        api,
        probes: agents.probes,
        ...(vault ? { vault } : {}),
      };
    };

    for (const tier of Object.keys(agents.tiers)) {
      new AgentPodTemplate(this, `Tier-${tier}`, { namespace, ...podProps(tier) });
    }

    const w = agents.warmPool;
    if (w) {
      new WarmPool(this, 'WarmPool', {
        namespace,
        pod: podProps(w.tier),
        scaling: {
          minReplicas: w.minReplicas,
          maxReplicas: w.maxReplicas,
          pollingInterval: w.pollingInterval,
          cooldownPeriod: w.cooldownPeriod,
          cpuUtilization: w.cpuUtilization,
          query: w.query,
          targetQueryValue: w.targetQueryValue,
          database: w.database,
        },
      });
    }

    new OrchestratorRbac(this, 'OrchestratorRbac', {
      namespace,
      serviceAccount: { name: API_SERVICE_ACCOUNT, namespace: controlPlane },
    });

    const metricsPort = agents.metricsPort ?? agents.port;
    const monitoring = spec.addons.kubePrometheusStack.enabled ? namespaceOf(spec, 'monitoring').name : undefined;
    new AgentNetworkPolicies(this, 'NetworkPolicies', {
      namespace,
      api: peer.pods(controlPlane, API_POD_LABELS),
      agentPort: agents.port,
      apiPort: spec.controlPlaneApi.port,
      ...(ingress ? { apiEgress: { peer: peer.pods(ingress, INGRESS_GATEWAY_LABELS), port: 443 } } : {}),
      ...(monitoring ? { prometheus: { peer: peer.pods(monitoring, PROMETHEUS_POD_LABELS), port: metricsPort } } : {}),
      ...(vault
        ? { vault: { peer: peer.pods(namespaceOf(spec, 'vault').name, VAULT_POD_LABELS), port: VAULT_PORT } }
        : {}),
      egressPorts: agents.egressPorts,
      egressUdpPorts: agents.egressUdpPorts,
      networkCidr: spec.cloud.networkCidr,
    });

    if (monitoring) {
      new AgentPodMonitor(this, 'PodMonitor', {
        namespace,
        portName: metricsPort === agents.port ? HTTP_PORT_NAME : METRICS_PORT_NAME,
      });
    }
  }
}
