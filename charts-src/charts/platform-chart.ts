import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvironmentSpec } from '../../config';

export interface PlatformChartProps {
  /** The environment this chart renders. */
  readonly spec: EnvironmentSpec;
  /** `app.kubernetes.io/component` of every object in the chart. */
  readonly component: string;
}

/** Label keys every object carries, so reviewers and tools can group by them. */
export const PART_OF = 'app.kubernetes.io/part-of';
export const COMPONENT = 'app.kubernetes.io/component';
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const ENVIRONMENT = 'agent-platform.io/environment';

export function commonLabels(spec: Pick<EnvironmentSpec, 'name' | 'stack'>, component: string): Record<string, string> {
  return {
    [PART_OF]: spec.name,
    [COMPONENT]: component,
    [MANAGED_BY]: 'agent-platform',
    [ENVIRONMENT]: spec.stack,
  };
}

/**
 * Base of every chart: stable names (no hash suffixes: construct ids are API) and
 * the common labels. The chart id becomes the file name under dist/<stack>/.
 */
export class PlatformChart extends Chart {
  readonly spec: EnvironmentSpec;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: commonLabels(props.spec, props.component) });
    this.spec = props.spec;
  }
}
