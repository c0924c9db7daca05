/**
 * Every message the resolver (config/environment.ts and config/resolve/) can produce,
 * each from a minimal bad environment: a real stack file or example with one change,
 * asserting the exact line the ConfigError lists (`path (got) message`) or the warning.
 */
import { join } from 'node:path';
import { ConfigError, formatIssue, parseEnvironment, readStackConfig } from '../../config';
import { parseRaw, rawStack, REPO_ROOT } from '../support/environments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

/** A fresh copy of an example's raw environment (aws: support-copilot, lobstack-aws). */
const example = (name: string): Raw =>
  structuredClone(readStackConfig(join(REPO_ROOT, 'examples', name, `Pulumi.${name}.yaml`)));

/** The lines of the ConfigError that resolving `raw` throws. */
function problemsOf(raw: Raw): string[] {
  try {
    parseRaw(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error('expected the environment to be rejected, but it parsed');
}

const warningsOf = (raw: Raw): readonly string[] => parseEnvironment(raw, { stack: 't', source: 't' }).warnings;

/** A service of the support-copilot example, moved into staging's team-research namespace. */
const service = (changes: Raw = {}): Raw => ({
  ...example('support-copilot').services[0],
  namespace: 'team-research',
  ...changes,
});

const job = (changes: Raw = {}): Raw => ({
  name: 'evaluation',
  namespace: 'team-research',
  image: 'ghcr.io/acme/eval:1.0.0',
  schedule: '0 2 * * *',
  resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  ...changes,
});

describe('resolver: the cloud section (config/clouds/ profile rules)', () => {
  it('refuses a location Hetzner does not have, naming the ones it has', () => {
    const raw = rawStack();
    raw.cloud.locations = ['mars1'];
    expect(problemsOf(raw)).toContain(
      'cloud.locations[0] ("mars1") is not a Hetzner location (allowed: fsn1, nbg1, hel1, ash, hil, sin)',
    );
  });

  it('refuses a Hetzner location outside the network zone of cloud.region', () => {
    const raw = rawStack();
    raw.cloud.locations = ['fsn1', 'ash'];
    expect(problemsOf(raw)).toContain(
      'cloud.locations[1] ("ash") is in network zone us-east, not in cloud.region (eu-central); one private network spans one zone',
    );
  });

  it('refuses an AWS location that is not a zone letter of the region', () => {
    const raw = example('lobstack-aws');
    raw.cloud.locations = ['eu-central-1a', 'eu-central-1-az2'];
    expect(problemsOf(raw)).toContain(
      'cloud.locations[1] ("eu-central-1-az2") must be an availability zone of cloud.region (eu-central-1), e.g. eu-central-1a',
    );
  });

  it('refuses a single AWS zone', () => {
    const raw = example('lobstack-aws');
    raw.cloud.locations = ['eu-central-1a'];
    expect(problemsOf(raw)).toContain(
      'cloud.locations (["eu-central-1a"]) must list at least 2 availability zones (EKS requires subnets in two)',
    );
  });

  it('refuses a VPC range outside /16 to /20', () => {
    const raw = example('lobstack-aws');
    raw.cloud.networkCidr = '10.30.0.0/21';
    expect(problemsOf(raw)).toContain(
      'cloud.networkCidr ("10.30.0.0/21") must be a /16 to /20 on aws: each zone gets a /24 for nodes and pods (the VPC CNI gives every pod a VPC address)',
    );
  });
});

describe('resolver: node pools', () => {
  it('refuses a duplicated pool name, naming the first', () => {
    const raw = rawStack();
    raw.nodePools[2].name = 'api';
    expect(problemsOf(raw)).toContain(
      'nodePools[2].name ("api") duplicates nodePools[1].name: pool names must be unique',
    );
  });

  it('refuses an instance type the cloud catalogue does not have', () => {
    const raw = rawStack();
    raw.nodePools[1].instanceType = 'm5.large';
    expect(problemsOf(raw)).toContain(
      'nodePools[1].instanceType ("m5.large") is not a known hcloud instance type (see config/clouds/hcloud.ts)',
    );
  });

  it('warns about a deprecated type, naming its current equivalent', () => {
    const raw = rawStack();
    raw.nodePools[1].instanceType = 'cpx21';
    expect(warningsOf(raw)).toContain(
      'nodePools[1].instanceType: hcloud type cpx21 is deprecated; use cpx22 (its current equivalent)',
    );
  });

  it('refuses gpu: true on a type without GPUs', () => {
    const raw = rawStack();
    raw.nodePools[1].gpu = true;
    expect(problemsOf(raw)).toContain('nodePools[1].gpu (true) is true but cpx22 has no GPU');
  });

  it('refuses spot capacity on Hetzner', () => {
    const raw = rawStack();
    raw.nodePools[1].capacity = 'spot';
    expect(problemsOf(raw)).toContain(
      'nodePools[1].capacity ("spot") must be "on-demand" on hcloud (Hetzner has no spot servers)',
    );
  });

  it('refuses a control-plane pool on EKS', () => {
    const raw = example('lobstack-aws');
    raw.nodePools[0].role = 'control-plane';
    expect(problemsOf(raw)).toContain(
      'nodePools[0].role ("control-plane") cannot be "control-plane" on aws: EKS manages the control plane; use role "system" for add-ons',
    );
  });

  it('refuses a k3s server pool that is autoscaled or of an even size', () => {
    const raw = rawStack();
    raw.nodePools[0].min = 2;
    raw.nodePools[0].max = 2;
    expect(problemsOf(raw)).toContain(
      'nodePools[0].max (2) must equal min and be 1, 3 or 5: etcd needs a fixed, odd number of servers (min is 2)',
    );
  });

  it('refuses a pool location outside cloud.locations', () => {
    const raw = rawStack();
    raw.nodePools[1].locations = ['fsn1', 'ash'];
    expect(problemsOf(raw)).toContain(
      'nodePools[1].locations[1] ("ash") must be one of cloud.locations (fsn1, nbg1, hel1)',
    );
  });

  it('warns about gVisor on arm64 on Hetzner', () => {
    const raw = rawStack();
    raw.nodePools[2].instanceType = 'cax41';
    expect(warningsOf(raw)).toContain('nodePools[2]: gVisor on arm64 (cax41) runs, but is less tested than x86_64');
  });

  it('requires exactly one control-plane pool on Hetzner', () => {
    const raw = rawStack();
    raw.nodePools[0].role = 'system';
    expect(problemsOf(raw)).toContain(
      'nodePools must contain exactly one pool with role "control-plane" on hcloud (k3s servers), found 0',
    );
  });

  it('refuses alternative instance types on Hetzner', () => {
    const raw = rawStack();
    raw.nodePools[1].alternativeInstanceTypes = ['cpx32'];
    expect(problemsOf(raw)).toContain(
      'nodePools[1].alternativeInstanceTypes[0] ("cpx32") is only supported on aws (Hetzner servers have one type)',
    );
  });

  it('refuses an unknown or differently sized alternative type on AWS', () => {
    const raw = example('lobstack-aws');
    raw.nodePools[1].alternativeInstanceTypes = ['m9.large', 'm5.xlarge'];
    const problems = problemsOf(raw);
    expect(problems).toContain(
      'nodePools[1].alternativeInstanceTypes[0] ("m9.large") is not a known aws instance type (see config/clouds/aws.ts)',
    );
    expect(problems).toContain(
      'nodePools[1].alternativeInstanceTypes[1] ("m5.xlarge") must match m6i.large (2 vCPU, 8 GiB): the autoscaler assumes one node size per group',
    );
  });
});

describe('resolver: placement', () => {
  it('refuses a placement that names no pool, listing the pools', () => {
    const raw = rawStack();
    raw.addons.pool = 'system';
    expect(problemsOf(raw)).toContain(
      'addons.pool ("system") names no pool in nodePools (have: control-plane, api, agents)',
    );
  });

  it('requires a pool of a preferred role when none is named', () => {
    const raw = rawStack();
    raw.nodePools[1].role = 'data';
    expect(problemsOf(raw)).toContain(
      'controlPlaneApi.pool is required: no pool with role "api" or "general" or "system" for the control-plane API',
    );
  });

  it('requires an agents pool when agents are defined', () => {
    const raw = rawStack();
    raw.nodePools[2].role = 'batch';
    raw.nodePools[2].gvisor = true;
    expect(problemsOf(raw)).toContain('agents.pool is required: no pool with role "agents" for agent pods');
  });

  it('refuses an agents pool without gVisor', () => {
    const raw = rawStack();
    raw.agents.pool = 'api';
    expect(problemsOf(raw)).toContain(
      'agents.pool ("api") names pool "api", which has gvisor: false; agent pods need runsc',
    );
  });
});

describe('resolver: agent tiers', () => {
  it('refuses a warm pool or session limit of an undefined tier', () => {
    const raw = rawStack();
    raw.agents.warmPool.tier = 'premium';
    raw.agents.sessions.premium = 3;
    const problems = problemsOf(raw);
    const tiers = '(starter, standard, performance, enterprise)';
    expect(problems).toContain(`agents.warmPool.tier ("premium") is not a tier defined in agents.tiers ${tiers}`);
    expect(problems).toContain(`agents.sessions.premium is not a tier defined in agents.tiers ${tiers}`);
  });
});

describe('resolver: add-ons', () => {
  it("refuses Hetzner's own add-ons on another cloud", () => {
    const raw = example('lobstack-aws');
    raw.addons.hcloudCcm = { enabled: true };
    raw.addons.hcloudCsi = { enabled: true };
    const problems = problemsOf(raw);
    expect(problems).toContain(
      'addons.hcloudCcm.enabled (true) must be false on aws: the Hetzner cloud controller manager runs only on hcloud',
    );
    expect(problems).toContain(
      'addons.hcloudCsi.enabled (true) must be false on aws: the Hetzner CSI driver runs only on hcloud',
    );
  });

  it('refuses an even number of Vault replicas', () => {
    const raw = rawStack();
    raw.addons.vault.replicas = 4;
    expect(problemsOf(raw)).toContain('addons.vault.replicas (4) must be odd: Raft needs a majority (3 or 5)');
  });

  it('refuses prometheus-adapter without Prometheus', () => {
    const raw = rawStack();
    raw.addons.kubePrometheusStack = { enabled: false };
    expect(problemsOf(raw)).toContain(
      'addons.prometheusAdapter.enabled (true) requires addons.kubePrometheusStack.enabled: the adapter reads Prometheus',
    );
  });

  it('refuses a requests-per-second target without prometheus-adapter (API and services)', () => {
    const raw = rawStack();
    raw.addons.prometheusAdapter = { enabled: false };
    raw.services = [service({ autoscaling: { cpuUtilization: 70, requestsPerSecond: 50 } })];
    const problems = problemsOf(raw);
    const why = 'requires addons.prometheusAdapter.enabled: the pods metric is served by prometheus-adapter';
    expect(problems).toContain(`controlPlaneApi.autoscaling.requestsPerSecond (100) ${why}`);
    expect(problems).toContain(`services[0].autoscaling.requestsPerSecond (50) ${why}`);
  });

  const external = [{ metric: 'queue_depth', averageValue: '10' }];

  it('refuses external metrics while KEDA owns the external metrics API', () => {
    const raw = rawStack();
    raw.services = [service({ autoscaling: { cpuUtilization: 70, external } })];
    expect(problemsOf(raw)).toContain(
      'services[0].autoscaling.external cannot be served while addons.keda is enabled: KEDA owns the external metrics API; scale this service with services[].keda, or disable KEDA',
    );
  });

  it('refuses external metrics without prometheus-adapter', () => {
    const raw = example('ai-workflow');
    raw.addons.prometheusAdapter = { enabled: false };
    expect(problemsOf(raw)).toContain(
      'services[0].autoscaling.external requires addons.prometheusAdapter.enabled: it serves the external metrics API from Prometheus',
    );
  });

  it('requires KEDA for the warm pool', () => {
    const raw = rawStack();
    raw.addons.keda = { enabled: false };
    expect(problemsOf(raw)).toContain(
      'addons.keda.enabled (false) must be true when agents are defined: KEDA scales the warm pool',
    );
  });
});

describe('resolver: namespaces', () => {
  it('refuses an override of a namespace that is not a platform namespace', () => {
    const raw = rawStack();
    raw.namespaces['team-x'] = {};
    const [problem] = problemsOf(raw);
    expect(problem).toMatch(
      /^namespaces\.team-x is not a platform namespace \(allowed: control-plane, .*\); declare team namespaces under tenants$/,
    );
  });

  it('refuses a tenant whose namespace is already taken', () => {
    const raw = rawStack();
    raw.tenants[1].name = 'agents';
    expect(problemsOf(raw)).toContain(
      'tenants[1].name ("agents") gives namespace "lobstack-agents", already used by the platform namespace "agents"',
    );
  });

  it('refuses a meshed tenant without Istio', () => {
    const raw = rawStack();
    raw.addons.istio.enabled = false;
    raw.tenants[0].mesh = true;
    expect(problemsOf(raw)).toContain('tenants[0].mesh (true) requires addons.istio.enabled');
  });

  it('refuses a namespace name longer than 63 characters, at the field that makes it', () => {
    const raw = rawStack();
    raw.tenants[0].name = `team-${'x'.repeat(52)}`;
    expect(problemsOf(raw)).toContain(
      `tenants[0].name gives namespace "lobstack-team-${'x'.repeat(52)}" (66 characters); at most 63 are allowed`,
    );
    const platform = rawStack();
    platform.namespacePrefix = 'p'.repeat(50);
    expect(problemsOf(platform)).toContain(
      `namespacePrefix gives namespace "${'p'.repeat(50)}-control-plane" (64 characters); at most 63 are allowed`,
    );
  });

  it('refuses a service in a namespace the environment does not have', () => {
    const raw = rawStack();
    raw.services = [service({ namespace: 'team-x' })];
    expect(problemsOf(raw)[0]).toMatch(
      /^services\[0\]\.namespace \("team-x"\) is not a namespace of this environment \(have: control-plane, .*team-research, team-support\)$/,
    );
  });
});

describe('resolver: workloads', () => {
  it('refuses two workloads of one name in a namespace, naming the first', () => {
    const raw = rawStack();
    raw.services = [service()];
    raw.jobs = [job({ name: raw.services[0].name })];
    expect(problemsOf(raw)).toContain(
      `jobs[0].name ("${raw.services[0].name}") duplicates services.0.name: workload names must be unique in a namespace`,
    );
  });

  it('refuses a stateful service or job in an unknown namespace', () => {
    const raw = rawStack();
    raw.jobs = [job({ namespace: 'team-x' })];
    expect(problemsOf(raw)[0]).toMatch(
      /^jobs\[0\]\.namespace \("team-x"\) is not a namespace of this environment \(have: .*\)$/,
    );
  });

  it('refuses a workload pool that does not exist', () => {
    const raw = rawStack();
    raw.jobs = [job({ pool: 'batch' })];
    expect(problemsOf(raw)).toContain(
      'jobs[0].pool ("batch") names no pool in nodePools (have: control-plane, api, agents)',
    );
  });

  it('refuses GPUs without a GPU pool, or on a named pool without GPUs', () => {
    const raw = rawStack();
    raw.jobs = [job({ gpus: 1 }), job({ name: 'tune', gpus: 2, pool: 'api' })];
    const problems = problemsOf(raw);
    expect(problems).toContain(
      'jobs[0].pool is required: the workload requests 1 GPU(s) and no pool with role "gpu" and gpu: true exists',
    );
    expect(problems).toContain(
      'jobs[1].pool ("api") must name a pool with gpu: true, since the workload requests 2 GPU(s)',
    );
  });

  it('refuses a PriorityClass the environment does not define (services, the API, jobs)', () => {
    const raw = rawStack();
    raw.controlPlaneApi.priorityClass = 'urgent';
    raw.jobs = [job({ priorityClass: 'urgent' })];
    const problems = problemsOf(raw);
    const have = '(have: platform-critical, agent, batch)';
    expect(problems).toContain(
      `controlPlaneApi.priorityClass ("urgent") is not a PriorityClass of this environment ${have}`,
    );
    expect(problems).toContain(`jobs[0].priorityClass ("urgent") is not a PriorityClass of this environment ${have}`);
  });

  it('refuses a caller that is no workload', () => {
    const raw = rawStack();
    raw.services = [service({ callers: ['gateway'] })];
    expect(problemsOf(raw)).toContain(
      `services[0].callers[0] ("gateway") names no workload (have: api, ${raw.services[0].name})`,
    );
  });

  it('refuses two default StorageClasses', () => {
    const raw = example('ai-workflow');
    raw.storageClasses[0].default = true;
    expect(problemsOf(raw)).toContain(
      'storageClasses must mark at most one class as default (marked: fast-ssd, standard-ssd)',
    );
  });

  it('refuses a PriorityClass that takes a built-in or an earlier name', () => {
    const raw = example('support-copilot');
    raw.priorityClasses.push({ ...raw.priorityClasses[0] }, { ...raw.priorityClasses[0], name: 'batch' });
    const problems = problemsOf(raw);
    const why = 'duplicates a PriorityClass name (platform-critical, agent and batch are built in)';
    expect(problems).toContain(`priorityClasses[1].name ("inference-critical") ${why}`);
    expect(problems).toContain(`priorityClasses[2].name ("batch") ${why}`);
  });
});

describe('resolver: warnings of the whole environment', () => {
  it('warns when the admin CIDRs open SSH and the API to the internet', () => {
    const raw = rawStack();
    raw.adminCidrs = ['0.0.0.0/0'];
    expect(warningsOf(raw)).toContain(
      'adminCidrs contains 0.0.0.0/0: SSH and the Kubernetes API are open to the internet',
    );
  });

  it('reports problems in a stable order: cloud, pools, placement, add-ons, namespaces, workloads', () => {
    const raw = rawStack();
    raw.jobs = [job({ pool: 'batch' })];
    raw.tenants[0].mesh = true;
    raw.tenants[1].mesh = false;
    raw.addons.istio.enabled = false;
    raw.addons.vault.replicas = 2;
    raw.nodePools[1].capacity = 'spot';
    raw.cloud.locations = ['mars1', 'fsn1', 'nbg1', 'hel1'];
    expect(problemsOf(raw).map((p) => p.split(' ')[0])).toEqual([
      'cloud.locations[0]',
      'nodePools[1].capacity',
      'addons.vault.replicas',
      'tenants[0].mesh',
      'jobs[0].pool',
    ]);
  });
});

describe('resolver: recovery (config/recovery.ts, run by the resolver)', () => {
  it('requires backup settings in prod', () => {
    const raw = rawStack('prod');
    delete raw.backup;
    expect(problemsOf(raw)).toContain(
      'backup is required in prod: declare rpo, rto, the object storage and the schedules (see docs/backup.md)',
    );
  });

  it('refuses turning Velero off while volumes are scheduled', () => {
    const raw = rawStack();
    raw.addons.velero = { enabled: false };
    expect(problemsOf(raw)).toContain(
      'addons.velero.enabled (false) must not be false: backup.volumes and stateful services need Velero',
    );
  });

  it('refuses two volume schedules of one name, and a schedule of a namespace the environment lacks', () => {
    const raw = rawStack();
    raw.backup.volumes.push({ ...raw.backup.volumes[0], namespaces: ['team-x'] });
    const problems = problemsOf(raw);
    expect(problems).toContain('backup.volumes must give each schedule its own name');
    expect(problems.find((p) => p.startsWith('backup.volumes[1].namespaces[0]'))).toMatch(
      /^backup\.volumes\[1\]\.namespaces\[0\] \("team-x"\) is not a namespace of this environment \(have: control-plane, .*, team-research, team-support\)$/,
    );
  });

  it('refuses a schedule that cannot meet the RPO, with a schedule that would', () => {
    const raw = rawStack();
    raw.backup.volumes[0].schedule = '0 */2 * * *';
    expect(problemsOf(raw)).toContain(
      'backup.volumes[0].schedule ("0 */2 * * *") cannot meet backup.rpo (1h): the Velero schedule "control-plane" runs "0 */2 * * *", so up to 2h of data is lost between two runs, and 2h > 1h. Run it at least every 1h (e.g. "0 * * * *") or raise backup.rpo',
    );
  });
});
