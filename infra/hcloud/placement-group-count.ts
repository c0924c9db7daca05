/** How many spread placement groups a pool needs (pure: the synth-time checks use it too). */
import { HCLOUD_LIMITS } from './limits';

/** Placement groups a pool of `servers` static servers needs. */
export function placementGroupCount(servers: number): number {
  return Math.ceil(servers / HCLOUD_LIMITS.serversPerSpreadGroup);
}
