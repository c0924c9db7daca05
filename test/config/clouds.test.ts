import {
  allInstanceTypes,
  AWS,
  awsZoneSlot,
  CLOUD_PROFILES,
  CLOUDS,
  cloudProfile,
  HCLOUD,
  HCLOUD_LIMITS,
  hcloudLocationProblem,
  instanceType,
  PRICES_AS_OF,
} from '../../config';
import { HCLOUD_LIMITS as INFRA_HCLOUD_LIMITS } from '../../infra/hcloud/limits';
import { servicePrice } from '../../config/catalogue/service-prices';

describe('cloud profiles (config/clouds/)', () => {
  it('has one profile per cloud the schema accepts, each keyed by its own id', () => {
    expect(Object.keys(CLOUD_PROFILES).sort()).toEqual([...CLOUDS].sort());
    for (const cloud of CLOUDS) expect(cloudProfile(cloud).id).toBe(cloud);
  });

  it("holds each cloud's catalogue: every type of the cloud, in its currency", () => {
    for (const profile of Object.values(CLOUD_PROFILES)) {
      for (const type of profile.catalogue.instanceTypes) {
        expect(type).toMatchObject({ cloud: profile.id, currency: profile.catalogue.currency });
        expect(instanceType(profile.id, type.name)).toBe(type);
      }
      for (const price of profile.catalogue.servicePrices) {
        expect(price).toMatchObject({ cloud: profile.id, currency: profile.catalogue.currency });
      }
    }
    expect(allInstanceTypes()).toHaveLength(HCLOUD.catalogue.instanceTypes.length + AWS.catalogue.instanceTypes.length);
    expect(instanceType('aws', 'cpx22')).toBeUndefined();
    expect(PRICES_AS_OF).toEqual({ hcloud: '2025-10-15', aws: '2025-11-01' });
    expect(servicePrice('aws', AWS.catalogue.rootVolume!.priceKey)?.unit).toBe('GiB-month');
  });

  it('says where host traffic from another node comes from: the k3s cluster CIDR (flannel.1), the VPC on EKS', () => {
    const cloud = { region: 'eu-central', locations: ['fsn1'], networkCidr: '10.0.0.0/16' };
    expect(HCLOUD.hostTrafficSources(cloud)).toEqual(['10.42.0.0/16']);
    expect(AWS.hostTrafficSources({ ...cloud, networkCidr: '10.20.0.0/16' })).toEqual(['10.20.0.0/16']);
  });

  it("keeps Hetzner's limits once: the profile's are the ones infra/hcloud checks", () => {
    expect(HCLOUD.limits).toBe(HCLOUD_LIMITS);
    expect(INFRA_HCLOUD_LIMITS).toBe(HCLOUD_LIMITS);
    expect(HCLOUD_LIMITS).toMatchObject({ serversPerSpreadGroup: 10, serversPerNetwork: 100 });
  });

  it('states the location rules once: Hetzner locations by network zone, AWS zones by letter', () => {
    expect(hcloudLocationProblem('fsn1', 'eu-central')).toBeUndefined();
    expect(hcloudLocationProblem('hil', 'eu-central')).toBe(
      'is in network zone us-west, not in cloud.region (eu-central); one private network spans one zone',
    );
    expect(awsZoneSlot('eu-west-1b', 'eu-west-1')).toBe(1);
    expect(awsZoneSlot('eu-west-1g', 'eu-west-1')).toBe(-1);
    expect(awsZoneSlot('eu-west-1-az1', 'eu-west-1')).toBe(-1);
  });

  it('returns cloud-section problems relative to cloud', () => {
    expect(
      AWS.cloudProblems({ region: 'us-east-1', locations: ['us-east-1a', 'us-east-1b'], networkCidr: '10.0.0.0/16' }),
    ).toEqual([]);
    expect(
      HCLOUD.cloudProblems({ region: 'eu-central', locations: ['nbg1', 'sin'], networkCidr: '10.0.0.0/8' }),
    ).toEqual([
      {
        path: ['locations', 1],
        message:
          'is in network zone ap-southeast, not in cloud.region (eu-central); one private network spans one zone',
        input: 'sin',
      },
    ]);
  });
});
