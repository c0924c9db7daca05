/** Defaults the add-on layer assumes when a cloud module leaves them unset. */

/** k3s's default `--cluster-cidr`: the pod network the Hetzner CCM routes. */
export const DEFAULT_POD_CIDR = '10.42.0.0/16';
