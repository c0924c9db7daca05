import * as hcloud from '@pulumi/hcloud';
import { installMocks, valueOf } from '../../support/pulumi-mocks';

const mocks = installMocks();

describe('ClusterNetwork', () => {
  it('keeps each pool subnet when pools are reordered or added', async () => {
    const { ClusterNetwork } = await import('../../../infra/hcloud/network');
    const { allocateSubnets } = await import('../../../infra/hcloud/subnets');
    const provider = new hcloud.Provider('net-hcloud', { token: 't' });
    const spec = {
      name: 'lobstack',
      stack: 'staging',
      protect: false,
      cloud: { provider: 'hcloud' as const, region: 'eu-central', locations: ['fsn1'], networkCidr: '10.10.0.0/16' },
    };
    const ranges = async (id: string, pools: string[]) => {
      const network = new ClusterNetwork(id, { spec, subnets: allocateSubnets('10.10.0.0/16', pools), provider });
      await Promise.all([...network.poolSubnets.values()].map((s) => valueOf(s.urn)));
      return Object.fromEntries(
        mocks.resources
          .filter((r) => r.type === 'hcloud:index/networkSubnet:NetworkSubnet' && r.name.startsWith(`${id}-`))
          .map((r) => [r.name.slice(id.length + 1), r.inputs.ipRange]),
      );
    };
    const before = await ranges('n1', ['control-plane', 'api', 'agents']);
    const after = await ranges('n2', ['gpu', 'agents', 'control-plane', 'api']);
    expect(after).toEqual({ ...before, gpu: expect.stringMatching(/^10\.10\.\d+\.0\/24$/) });
    expect(before.autoscaled).toBe('10.10.255.0/24');
  });
});
