/**
 * The Helm releases an environment installs, as the engine would receive them: the
 * real cloud module (infra/hcloud or infra/aws, not a fake ClusterResult) and the
 * add-on component run under Pulumi's mocks, each release's chart, version,
 * namespace and values recorded (secret inputs as `[secret]`).
 */
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import { PlatformAddons } from '../../infra/addons/platform-addons';
import { createEksCluster } from '../../infra/aws';
import { createHcloudCluster } from '../../infra/hcloud';
import { recordProgram, type PlannedResource } from '../../tools/plan/record';
import { OFFLINE_OUTPUTS, offlineCalls } from '../../tools/plan/run';

export const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';

export interface RecordedRelease {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

export function releaseOf(resource: PlannedResource): RecordedRelease {
  const inputs = resource.inputs as {
    name: string;
    chart: string;
    version: string;
    namespace: string;
    values?: Record<string, unknown>;
  };
  return {
    name: inputs.name,
    chart: inputs.chart,
    version: inputs.version,
    namespace: inputs.namespace,
    values: inputs.values ?? {},
  };
}

export interface RecordedAddons {
  /** Every resource the cloud module and the add-ons registered. */
  readonly resources: readonly PlannedResource[];
  readonly releases: readonly RecordedRelease[];
}

/** Runs the environment's cloud module and add-ons under mocks; returns every release. */
export async function recordAddonReleases(spec: EnvironmentSpec): Promise<RecordedAddons> {
  // Pulumi records a stack trace per resource and jest source-maps every frame (~50 ms a
  // resource); nothing here reads them.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const resources = await recordProgram(
    () => {
      const cluster =
        spec.cloud.provider === 'hcloud'
          ? createHcloudCluster(spec.name, spec, { token: pulumi.secret('test-token') })
          : createEksCluster(spec.name, spec);
      return new PlatformAddons(`${spec.name}-addons`, { spec, cluster });
    },
    { stack: spec.stack, calls: offlineCalls(spec), outputs: OFFLINE_OUTPUTS },
  ).finally(() => {
    Error.stackTraceLimit = limit;
  });
  return { resources, releases: resources.filter((r) => r.type === HELM_RELEASE).map(releaseOf) };
}
