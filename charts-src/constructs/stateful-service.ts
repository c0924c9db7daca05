import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Resources } from '../../config';
import { PRIORITY_PLATFORM_CRITICAL } from '../names';
import { containerEnv } from './container-env';
import { networkPolicyPeer, peer } from './network-flow';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { NAME_LABEL, scratchVolumes, type PodScheduling, type WorkloadPeer } from './workload-identity';

export interface StatefulServiceProps {
  /** Name of the StatefulSet, its headless Service, ServiceAccount, PDB and policies. */
  readonly name: string;
  /** Namespace it runs in. */
  readonly namespace: string;
  /** Pinned image reference. */
  readonly image: string;
  /** TCP port it serves on (container, Service, probes and policies). */
  readonly port: number;
  /** Requests and limits of the container. */
  readonly resources: Resources;
  /** The persistent volume each replica gets (kept when the set is deleted or scaled down). */
  readonly storage: {
    /** Requested size, e.g. `20Gi`. */
    readonly size: string;
    /** Where the volume is mounted. */
    readonly mountPath: string;
    /** @default - the cluster's default StorageClass */
    readonly storageClass?: string;
  };
  /** Workloads whose pods may connect: an ingress rule here, an egress policy in each one's namespace. */
  readonly clients: readonly WorkloadPeer[];
  /** Replicas of the StatefulSet; above 1 it gets a PDB (maxUnavailable 1). @default 1 */
  readonly replicas?: number;
  /** Non-zero UID (and GID) of the image (postgres and redis images use 999). @default 999 */
  readonly runAsUser?: number;
  /** Writable emptyDir mounts besides the data volume (the root filesystem is read-only). @default ['/tmp'] */
  readonly scratchPaths?: readonly string[];
  /** Container arguments. @default [] (the image's own) */
  readonly args?: readonly string[];
  /** Plain environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Secrets read by name: each key becomes an env var of the same name. @default [] */
  readonly secrets?: readonly { readonly name: string; readonly keys: readonly string[] }[];
  /** nodeSelector and tolerations of the pool the pods belong on. @default - none */
  readonly scheduling?: PodScheduling;
  /** @default PRIORITY_PLATFORM_CRITICAL ('platform-critical') */
  readonly priorityClassName?: string;
}

/**
 * A database or cache as a StatefulSet: persistent volume per replica (kept when
 * the set is deleted or scaled down), a headless Service, a dedicated tokenless
 * ServiceAccount, and network policies that let only the listed clients in —
 * both the ingress side here and the egress side in each client's namespace.
 * A single replica gets no PDB: a PDB that forbids its only pod blocks every drain.
 */
export class StatefulService extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id);
    const { name, namespace, port, storage } = props;
    const replicas = props.replicas ?? 1;
    const runAsUser = props.runAsUser ?? 999;
    const args = props.args ?? [];
    const labels = { [NAME_LABEL]: name };
    const scratch = scratchVolumes(props.scratchPaths ?? ['/tmp']);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace },
      automountServiceAccountToken: false,
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace, labels },
      spec: {
        clusterIp: 'None',
        selector: labels,
        ports: [{ name: 'tcp', port, targetPort: k8s.IntOrString.fromNumber(port) }],
      },
    });
    const probe = { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 10, timeoutSeconds: 3 };
    this.resource = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        serviceName: name,
        replicas,
        selector: { matchLabels: labels },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            priorityClassName: props.priorityClassName ?? PRIORITY_PLATFORM_CRITICAL,
            securityContext: restrictedPodSecurityContext(runAsUser),
            ...(props.scheduling
              ? {
                  nodeSelector: props.scheduling.nodeSelector,
                  tolerations: props.scheduling.tolerations.map((t) => ({ ...t })),
                }
              : {}),
            containers: [
              {
                name,
                image: props.image,
                args: args.length > 0 ? [...args] : undefined,
                env: containerEnv(props.env ?? {}, props.secrets ?? []),
                ports: [{ name: 'tcp', containerPort: port }],
                resources: {
                  requests: {
                    cpu: k8s.Quantity.fromString(props.resources.requests.cpu),
                    memory: k8s.Quantity.fromString(props.resources.requests.memory),
                  },
                  limits: {
                    cpu: k8s.Quantity.fromString(props.resources.limits.cpu),
                    memory: k8s.Quantity.fromString(props.resources.limits.memory),
                  },
                },
                securityContext: restrictedContainerSecurityContext(runAsUser),
                startupProbe: { ...probe, failureThreshold: 30 },
                livenessProbe: { ...probe, failureThreshold: 3 },
                readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 3 },
                volumeMounts: [{ name: 'data', mountPath: storage.mountPath }, ...scratch.mounts],
              },
            ],
            volumes: scratch.volumes,
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
              resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } },
            },
          },
        ],
      },
    });
    if (replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'Pdb', {
        metadata: { name, namespace },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
      });
    }

    new k8s.KubeNetworkPolicy(this, 'AllowClients', {
      metadata: { name: `${name}-allow-clients`, namespace },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: props.clients.map((c, i) =>
              networkPolicyPeer(this, `clients[${i}]`, peer.pods(c.namespace, c.podLabels)),
            ),
            ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }],
          },
        ],
      },
    });
    for (const client of props.clients) {
      new k8s.KubeNetworkPolicy(this, `Egress-${client.name}`, {
        metadata: { name: `${client.name}-to-${name}`, namespace: client.namespace },
        spec: {
          podSelector: { matchLabels: { ...client.podLabels } },
          policyTypes: ['Egress'],
          egress: [
            {
              to: [networkPolicyPeer(this, 'namespace', peer.pods(namespace, labels))],
              ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }],
            },
          ],
        },
      });
    }
  }
}
