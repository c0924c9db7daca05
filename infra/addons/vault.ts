/**
 * Vault in HA with integrated (Raft) storage and its agent injector, in the
 * restricted vault namespace. Replicas come from `addons.vault.replicas` (odd:
 * validated by config/); every server joins the others through `retry_join`.
 *
 * TLS only: the listener serves the certificate cert-manager issues from the
 * internal CA into the Secret `vault-server-tls` (dist/<stack>/certificates.yaml),
 * mounted by the chart's `server.extraVolumes` at /vault/userconfig/<name>/
 * (hashicorp/vault-helm 0.31.0 templates/_helpers.tpl "vault.volumes"); raft joins
 * verify the leader against that CA; `global.tlsDisable: false` makes the chart use
 * https for VAULT_ADDR, VAULT_API_ADDR and the injector's AGENT_INJECT_VAULT_ADDR.
 * Vault reads its certificate at start and on SIGHUP only: after cert-manager
 * renews it, restart the pods one at a time (docs/runbooks/certificate-expiring-soon.md).
 */
import { VAULT_AGENT_IMAGE, VAULT_SERVICE, VAULT_TLS_SECRET, namespaceOf, type EnvironmentSpec } from '../../config';
import { haReplicas, resources, restrictedContainer, restrictedPod, systemPlacement, pod } from './common';
import type { AddonDefinition } from './types';

/** Helm release (and StatefulSet) name: pods are `vault-0..n`, the headless Service `vault-internal`. */
export const VAULT_RELEASE = VAULT_SERVICE;
/** Where the chart mounts the TLS Secret (`server.extraVolumes`, type secret). */
export const VAULT_TLS_DIR = `/vault/userconfig/${VAULT_TLS_SECRET}`;
const SERVER = resources('250m', '256Mi', '1', '1Gi');
const INJECTOR = resources('50m', '64Mi', '250m', '256Mi');

/** The server configuration: Raft storage at /vault/data, every peer in retry_join. */
export function vaultRaftConfig(spec: EnvironmentSpec): string {
  const namespace = namespaceOf(spec, 'vault').name;
  const joins = Array.from({ length: spec.addons.vault.replicas }, (_, i) =>
    [
      '  retry_join {',
      `    leader_api_addr = "https://${VAULT_RELEASE}-${i}.${VAULT_RELEASE}-internal.${namespace}.svc:8200"`,
      `    leader_ca_cert_file = "${VAULT_TLS_DIR}/ca.crt"`,
      `    leader_client_cert_file = "${VAULT_TLS_DIR}/tls.crt"`,
      `    leader_client_key_file = "${VAULT_TLS_DIR}/tls.key"`,
      '  }',
    ].join('\n'),
  ).join('\n');
  return [
    'ui = true',
    // No `disable_mlock` here: mlock needs IPC_LOCK, which restricted forbids, and the chart
    // appends `disable_mlock = true` to an HCL config itself (vault-helm 0.31.0,
    // templates/_helpers.tpl "vault.config"); a second one is a duplicate attribute that
    // Vault 1.21 refuses at start (hashicorp/vault#31634).
    'listener "tcp" {',
    '  address = "[::]:8200"',
    '  cluster_address = "[::]:8201"',
    `  tls_cert_file = "${VAULT_TLS_DIR}/tls.crt"`,
    `  tls_key_file = "${VAULT_TLS_DIR}/tls.key"`,
    '  tls_min_version = "tls12"',
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
  pods: (spec) => [
    pod('server', spec.addons.vault.replicas, SERVER),
    pod('agent-injector', haReplicas(spec), INJECTOR),
  ],
  values: ({ spec }) => {
    const placement = systemPlacement(spec);
    const settings = spec.addons.vault;
    return {
      global: { enabled: true, tlsDisable: false },
      injector: {
        enabled: true,
        // Agent pods' admission policy admits exactly this image (config/versions.ts).
        agentImage: { ...VAULT_AGENT_IMAGE },
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
        extraVolumes: [{ type: 'secret', name: VAULT_TLS_SECRET }],
        // The in-pod CLI (VAULT_ADDR https://127.0.0.1:8200) verifies against the internal CA.
        extraEnvironmentVars: { VAULT_CACERT: `${VAULT_TLS_DIR}/ca.crt` },
        statefulSet: { securityContext: { pod: restrictedPod(100, 1000), container: restrictedContainer() } },
        standalone: { enabled: false },
        ha: {
          enabled: true,
          replicas: settings.replicas,
          raft: { enabled: true, setNodeId: true, config: vaultRaftConfig(spec) },
          // A name the certificate carries (the chart's default is the pod IP, which it does not);
          // VAULT_K8S_POD_NAME is defined before VAULT_API_ADDR, so $(...) expands.
          apiAddr: `https://$(VAULT_K8S_POD_NAME).${VAULT_RELEASE}-internal.${namespaceOf(spec, 'vault').name}.svc:8200`,
          disruptionBudget: { enabled: true, maxUnavailable: 1 },
        },
      },
    };
  },
};
