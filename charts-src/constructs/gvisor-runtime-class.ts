import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  GVISOR_HANDLER,
  GVISOR_RUNTIME_CLASS,
  isByteQuantity,
  isCpuQuantity,
  schedulingFor,
  type PoolIdentity,
} from '../../config';

export interface GvisorRuntimeClassProps {
  /** The gVisor node pool: pods of this class land only there (nodeSelector + tolerations). */
  readonly pool: PoolIdentity;
  /** Pod overhead of the sandbox; the scheduler and ResourceQuota add it to every pod of the class. */
  readonly overhead: { readonly cpu: string; readonly memory: string };
  /** @default GVISOR_RUNTIME_CLASS ('gvisor') */
  readonly name?: string;
  /** @default GVISOR_HANDLER ('runsc'), the containerd runtime the nodes register */
  readonly handler?: string;
}

/**
 * RuntimeClass `gvisor` (handler `runsc`). Its `scheduling` is merged into every pod that uses it
 * by the RuntimeClass admission controller, so agent pods carry no nodeSelector of their own and
 * can never land on a node without runsc.
 */
export class GvisorRuntimeClass extends Construct {
  readonly resource: ApiObject;
  readonly name: string;

  constructor(scope: Construct, id: string, props: GvisorRuntimeClassProps) {
    super(scope, id);
    if (!props.pool.gvisor) {
      throw new Error(
        `${this.node.path}: pool "${props.pool.name}" has gvisor: false; the gVisor RuntimeClass needs a pool with runsc`,
      );
    }
    if (!isCpuQuantity(props.overhead.cpu) || !isByteQuantity(props.overhead.memory)) {
      throw new Error(
        `${this.node.path}: overhead (${props.overhead.cpu}, ${props.overhead.memory}) must be a CPU and a byte quantity, e.g. 100m and 64Mi`,
      );
    }
    this.name = props.name ?? GVISOR_RUNTIME_CLASS;
    const { nodeSelector, tolerations } = schedulingFor(props.pool);
    this.resource = new k8s.KubeRuntimeClass(this, 'Resource', {
      metadata: { name: this.name },
      handler: props.handler ?? GVISOR_HANDLER,
      overhead: {
        podFixed: {
          cpu: k8s.Quantity.fromString(props.overhead.cpu),
          memory: k8s.Quantity.fromString(props.overhead.memory),
        },
      },
      scheduling: {
        nodeSelector,
        tolerations: tolerations.map((t) => ({ ...t })),
      },
    });
  }
}
