/**
 * Vault in HA with integrated (Raft) storage and its agent injector, in the
 * restricted vault namespace. Replicas come from `addons.vault.replicas` (odd:
 * validated by config/); every server joins the others through `retry_join`.
 */
import { namespaceOf, type EnvironmentSpec } from '../../config';
import { haReplicas, resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import type { AddonDefinition } from './types';

/** Helm release (and StatefulSet) name: pods are `vault-0..n`, the headless Service `vault-internal`. */
export const VAULT_RELEASE = 'vault';
const SERVER = resources('250m', '256Mi', '1', '1Gi');
const INJECTOR = resources('50m', '64Mi', '250m', '256Mi');

/** The server configuration: Raft storage at /vault/data, every peer in retry_join. */
export function vaultRaftConfig(spec: EnvironmentSpec): string {
  const namespace = namespaceOf(spec, 'vault').name;
  const joins = Array.from(
    { length: spec.addons.vault.replicas },
    (_, i) =>
      `  retry_join {\n    leader_api_addr = "http://${VAULT_RELEASE}-${i}.${VAULT_RELEASE}-internal.${namespace}.svc:8200"\n  }`,
  ).join('\n');
  return [
    'ui = true',
    // No `disable_mlock` here: mlock needs IPC_LOCK, which restricted forbids, and the chart
    // appends `disable_mlock = true` to an HCL config itself (vault-helm 0.31.0,
    // templates/_helpers.tpl "vault.config"); a second one is a duplicate attribute that
    // Vault 1.21 refuses at start (hashicorp/vault#31634).
    'listener "tcp" {',
    '  tls_disable = 1',
    '  address = "[::]:8200"',
    '  cluster_address = "[::]:8201"',
    '}',
    'storage "raft" {',
    '  path = "/vault/data"',
    joins,
    '}',
    'service_registration "kubernetes" {}',
    '',
  ].join('\n');
}

export const vault: AddonDefinition = {
  name: 'vault',
  release: VAULT_RELEASE,
  purpose: 'secrets: Vault HA on integrated Raft storage, with the agent injector',
  enabled: (spec) => spec.addons.vault.enabled,
  chartVersionOverride: (spec) => spec.addons.vault.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'vault').name,
  // Raft data lives on volumes: the CSI driver first (Hetzner).
  dependsOn: () => ['hcloudCsi'],
  crdGroups: [],
  // The injector mutates pods annotated vault.hashicorp.com/agent-inject.
  admissionWebhooks: () => true,
  placement: 'system',
  values: ({ spec }) => {
    const placement = systemPlacement(spec);
    const settings = spec.addons.vault;
    return {
      global: { enabled: true, tlsDisable: true },
      injector: {
        enabled: true,
        replicas: haReplicas(spec),
        resources: INJECTOR,
        ...placement,
        securityContext: { pod: restrictedPod(100, 1000), container: restrictedContainer() },
      },
      server: {
        resources: SERVER,
        ...placement,
        // Preferred, not required: prod runs 5 replicas on a 3-node system pool.
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  topologyKey: 'kubernetes.io/hostname',
                  labelSelector: {
                    matchLabels: { 'app.kubernetes.io/name': 'vault', component: 'server' },
                  },
                },
              },
            ],
          },
        },
        dataStorage: { enabled: true, size: settings.storage, accessMode: 'ReadWriteOnce' },
        // The chart's entrypoint renders its config to /tmp: writable scratch, read-only root.
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        statefulSet: { securityContext: { pod: restrictedPod(100, 1000), container: restrictedContainer() } },
        standalone: { enabled: false },
        ha: {
          enabled: true,
          replicas: settings.replicas,
          raft: { enabled: true, setNodeId: true, config: vaultRaftConfig(spec) },
          disruptionBudget: { enabled: true, maxUnavailable: 1 },
        },
      },
    };
  },
};
