/**
 * A checksum of the configuration a pod reads from a Secret, for a pod-template
 * annotation. Kubernetes does not restart pods when a Secret they read through `envFrom`
 * changes; a changed annotation changes the pod template, so the Deployment rolls.
 * (Helm's documented idiom, "Automatically Roll Deployments": `checksum/config`.)
 *
 * The inputs are secrets (the Hetzner token, the node cloud-init with the agent token),
 * but their sha256 over high-entropy values reveals nothing usable, so the checksum is
 * deliberately NOT a secret: the plan shows that the autoscaler will restart and why.
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

export { ENV_CHECKSUM_ANNOTATION } from './config-checksum-annotation';

/** sha256 over `KEY=value` lines in key order: independent of the object's key order. */
export function envChecksum(env: Readonly<Record<string, pulumi.Input<string>>>): pulumi.Output<string> {
  const keys = Object.keys(env).sort();
  const digest = pulumi.all(keys.map((k) => pulumi.output(env[k]!))).apply((values) => {
    const hash = createHash('sha256');
    keys.forEach((key, i) => hash.update(`${key}=${values[i]}\n`, 'utf8'));
    return hash.digest('hex');
  });
  return pulumi.unsecret(digest);
}
