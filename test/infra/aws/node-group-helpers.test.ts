import { join } from 'node:path';
import { loadStackFile, type NodePool } from '../../../config';
import { amiTypeFor, autoscalerTags, EKS_TAINT_EFFECTS } from '../../../infra/aws/node-group';
import { REPO_ROOT } from '../../support/environments';

const spec = loadStackFile(join(REPO_ROOT, 'examples', 'lobstack-aws', 'Pulumi.lobstack-aws.yaml')).spec;
const pool = (name: string): NodePool => spec.nodePools.find((p) => p.name === name)!;

describe('node group helpers', () => {
  it('picks the AL2023 AMI family by architecture and GPU', () => {
    expect(amiTypeFor(pool('agents'))).toBe('AL2023_x86_64_STANDARD');
    expect(amiTypeFor({ gpu: true, instance: { ...pool('agents').instance, gpus: 1 } })).toBe('AL2023_x86_64_NVIDIA');
    expect(amiTypeFor({ gpu: false, instance: { ...pool('agents').instance, architecture: 'arm64' } })).toBe(
      'AL2023_ARM_64_STANDARD',
    );
  });

  it('spells taint effects the way the EKS API wants them', () => {
    expect(EKS_TAINT_EFFECTS).toEqual({
      NoSchedule: 'NO_SCHEDULE',
      PreferNoSchedule: 'PREFER_NO_SCHEDULE',
      NoExecute: 'NO_EXECUTE',
    });
  });

  it('tags a pool for autoscaler discovery and scale-from-zero templates', () => {
    expect(autoscalerTags('lobstack-lobstack-aws', pool('agents'))).toEqual({
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/lobstack-lobstack-aws': 'owned',
      'k8s.io/cluster-autoscaler/node-template/label/agent-platform.io/pool': 'agents',
      'k8s.io/cluster-autoscaler/node-template/label/agent-platform.io/role': 'agents',
      'k8s.io/cluster-autoscaler/node-template/label/agent-platform.io/capacity': 'on-demand',
      'k8s.io/cluster-autoscaler/node-template/label/agent-platform.io/gvisor': 'true',
      'k8s.io/cluster-autoscaler/node-template/taint/agent-platform.io/dedicated': 'agents:NoSchedule',
    });
    expect(Object.keys(autoscalerTags('c', pool('api'))).filter((k) => k.includes('/taint/'))).toEqual([]);
  });
});
