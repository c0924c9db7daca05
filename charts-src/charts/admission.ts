import type { Construct } from 'constructs';
import { namespaceOf, VAULT_AGENT_IMAGE_REF, type EnvironmentSpec } from '../../config';
import { agentPodPolicy } from '../admission/agent-pods';
import { agentServicesPolicy } from '../admission/agent-services';
import { orchestratorSecretsPolicy } from '../admission/orchestrator-secrets';
import { orchestratorUpdatesPolicy } from '../admission/orchestrator-updates';
import { serviceExposurePolicy } from '../admission/service-exposure';
import { tenantNetworkPoliciesPolicy } from '../admission/tenant-network-policies';
import type { AdmissionPolicyDefinition } from '../admission/policy-definition';
import { DEFAULT_VAULT_AGENT_RESOURCES } from '../constructs/agent-pod-template';
import { AdmissionPolicy } from '../constructs/admission-policy';
import { AGENT_SERVICE_ACCOUNT, API_SERVICE_ACCOUNT, PRIORITY_AGENT } from '../names';
import { PlatformChart } from './platform-chart';

/** Audience of the projected token vault-agent logs in with (AgentVaultInjection.tokenAudience default). */
const VAULT_TOKEN_AUDIENCE = 'vault';

/** Every admission policy the environment needs, from the model. */
export function admissionPolicies(spec: EnvironmentSpec): AdmissionPolicyDefinition[] {
  const policies: AdmissionPolicyDefinition[] = [];
  const ingress = spec.namespaces.find((n) => n.key === 'ingress');
  policies.push(serviceExposurePolicy(ingress?.name));
  const tenants = spec.namespaces.filter((n) => n.kind === 'tenant').map((n) => n.name);
  if (tenants.length > 0) policies.push(tenantNetworkPoliciesPolicy({ namespaces: tenants }));
  const agents = spec.agents;
  const pool = spec.placement.agents;
  if (agents && pool) {
    const namespace = namespaceOf(spec, 'agents').name;
    const identity = {
      namespace,
      serviceAccount: { name: API_SERVICE_ACCOUNT, namespace: namespaceOf(spec, 'control-plane').name },
    };
    policies.push(
      agentPodPolicy({
        namespace,
        pool,
        tiers: agents.tiers,
        allowedRegistries: agents.allowedRegistries,
        serviceAccount: AGENT_SERVICE_ACCOUNT,
        priorityClass: PRIORITY_AGENT,
        ...(spec.addons.vault.enabled
          ? {
              vault: {
                image: VAULT_AGENT_IMAGE_REF,
                resources: DEFAULT_VAULT_AGENT_RESOURCES,
                tokenAudience: VAULT_TOKEN_AUDIENCE,
              },
            }
          : {}),
      }),
      agentServicesPolicy(namespace),
      orchestratorUpdatesPolicy(identity),
      orchestratorSecretsPolicy(identity),
    );
  }
  return policies;
}

/**
 * ValidatingAdmissionPolicies and bindings: the sandbox of runtime-created agent pods,
 * the orchestrator's limits, Service exposure and tenant egress. Applied before the
 * control plane and the agent runtime, so no agent pod is ever created unjudged.
 */
export class AdmissionChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'admission' });
    for (const definition of admissionPolicies(spec)) {
      new AdmissionPolicy(this, definition.name, { definition });
    }
  }
}
