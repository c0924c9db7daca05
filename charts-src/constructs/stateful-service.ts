import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { namespaceOf, poolFor, schedulingFor, type EnvironmentSpec, type StatefulServiceSpec } from '../../config';
import { PRIORITY_PLATFORM_CRITICAL } from '../names';
import { containerEnv } from './container-env';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { NAME_LABEL, peerSelector, scratchVolumes, workloadPeer } from './workload-identity';

export interface StatefulServiceProps {
  readonly spec: EnvironmentSpec;
  readonly service: StatefulServiceSpec;
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
    const { spec, service: s } = props;
    const namespace = namespaceOf(spec, s.namespace).name;
    const labels = { [NAME_LABEL]: s.name };
    const pool = poolFor(spec, s.pool, ['data']);
    const scratch = scratchVolumes(s.scratchPaths);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: s.name, namespace },
      automountServiceAccountToken: false,
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: s.name, namespace, labels },
      spec: {
        clusterIp: 'None',
        selector: labels,
        ports: [{ name: 'tcp', port: s.port, targetPort: k8s.IntOrString.fromNumber(s.port) }],
      },
    });
    const probe = { tcpSocket: { port: k8s.IntOrString.fromNumber(s.port) }, periodSeconds: 10, timeoutSeconds: 3 };
    this.resource = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: s.name, namespace, labels },
      spec: {
        serviceName: s.name,
        replicas: s.replicas,
        selector: { matchLabels: labels },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: s.name,
            automountServiceAccountToken: false,
            priorityClassName: PRIORITY_PLATFORM_CRITICAL,
            securityContext: restrictedPodSecurityContext(s.runAsUser),
            ...schedulingFor(pool),
            containers: [
              {
                name: s.name,
                image: s.image,
                args: s.args.length > 0 ? s.args : undefined,
                env: containerEnv(s.env, s.secrets),
                ports: [{ name: 'tcp', containerPort: s.port }],
                resources: {
                  requests: {
                    cpu: k8s.Quantity.fromString(s.resources.requests.cpu),
                    memory: k8s.Quantity.fromString(s.resources.requests.memory),
                  },
                  limits: {
                    cpu: k8s.Quantity.fromString(s.resources.limits.cpu),
                    memory: k8s.Quantity.fromString(s.resources.limits.memory),
                  },
                },
                securityContext: restrictedContainerSecurityContext(s.runAsUser),
                startupProbe: { ...probe, failureThreshold: 30 },
                livenessProbe: { ...probe, failureThreshold: 3 },
                readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 3 },
                volumeMounts: [{ name: 'data', mountPath: s.storage.mountPath }, ...scratch.mounts],
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
              ...(s.storage.storageClass ? { storageClassName: s.storage.storageClass } : {}),
              resources: { requests: { storage: k8s.Quantity.fromString(s.storage.size) } },
            },
          },
        ],
      },
    });
    if (s.replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'Pdb', {
        metadata: { name: s.name, namespace },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
      });
    }

    const clients = s.clients.map((c) => ({ name: c, peer: workloadPeer(spec, c) }));
    new k8s.KubeNetworkPolicy(this, 'AllowClients', {
      metadata: { name: `${s.name}-allow-clients`, namespace },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: clients.map((c) => peerSelector(c.peer)),
            ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(s.port) }],
          },
        ],
      },
    });
    for (const client of clients) {
      new k8s.KubeNetworkPolicy(this, `Egress-${client.name}`, {
        metadata: { name: `${client.name}-to-${s.name}`, namespace: client.peer.namespace },
        spec: {
          podSelector: { matchLabels: client.peer.podLabels },
          policyTypes: ['Egress'],
          egress: [
            {
              to: [peerSelector({ namespace, podLabels: labels })],
              ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(s.port) }],
            },
          ],
        },
      });
    }
  }
}
