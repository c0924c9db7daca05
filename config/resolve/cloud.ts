/** The `cloud` section: locations, region and network range, by the cloud's profile rules. */
import { cloudProfile } from '../clouds';
import type { ConfigIssue } from '../errors';
import type { ParsedEnvironment } from '../schema';
import { issue } from './issue';

/** Problems with `cloud.locations`, `cloud.region` and `cloud.networkCidr` on this cloud. */
export function cloudIssues(cloud: ParsedEnvironment['cloud']): ConfigIssue[] {
  return cloudProfile(cloud.provider)
    .cloudProblems(cloud)
    .map((p) => issue(['cloud', ...p.path], p.message, p.input));
}
