import { readStackConfig } from '../../config';
import { configErrorOf, parseRaw, REPO_ROOT } from '../support/environments';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const awsRaw = (): any =>
  structuredClone(readStackConfig(join(REPO_ROOT, 'examples', 'lobstack-aws', 'Pulumi.lobstack-aws.yaml')));

describe('aws environments', () => {
  it('accepts the minors EKS offers that every pinned component supports', () => {
    for (const version of ['1.35']) {
      const raw = awsRaw();
      raw.kubernetes.version = version;
      expect(parseRaw(raw).kubernetes.version).toBe(version);
    }
  });

  it('refuses a Kubernetes minor the platform no longer supports, naming the ones it does', () => {
    const raw = awsRaw();
    raw.kubernetes.version = '1.31';
    expect(configErrorOf(raw)).toContain('kubernetes.version ("1.31") must be one of: 1.35, 1.36');
  });

  it('refuses locations that are not a zone letter of the region', () => {
    const raw = awsRaw();
    raw.cloud.locations = ['eu-central-1a', 'eu-central-1-az2', 'eu-west-1c'];
    const message = configErrorOf(raw);
    expect(message).toContain(
      'cloud.locations[1] ("eu-central-1-az2") must be an availability zone of cloud.region (eu-central-1), e.g. eu-central-1a',
    );
    expect(message).toContain('cloud.locations[2] ("eu-west-1c") must be an availability zone of cloud.region');
  });

  it('refuses a VPC range the subnet plan cannot split', () => {
    const raw = awsRaw();
    raw.cloud.networkCidr = '10.30.0.0/24';
    expect(configErrorOf(raw)).toContain(
      'cloud.networkCidr ("10.30.0.0/24") must be a /16 to /20 on aws: each zone gets a /27 for nodes and pods',
    );
  });
});
