/**
 * Fixed facts of Hetzner Cloud and of the k3s layout this module builds. These are
 * not dial settings (those live in the stack files): they are limits the validator
 * checks against and constants both the static servers and the autoscaler's nodes use.
 */

/** Hetzner Cloud limits: part of the cloud's profile (config/clouds/hcloud.ts). */
export { HCLOUD_LIMITS } from '../../config';

/**
 * OS image of every node, static or added by the cluster autoscaler (its
 * `imagesForArch`); Hetzner publishes it under the same name for x86 and arm.
 */
export const SERVER_IMAGE = 'ubuntu-24.04';

/** Load balancer type in front of the Kubernetes API (25 targets, enough for 5 servers). */
export const API_LOAD_BALANCER_TYPE = 'lb11';

/** The Kubernetes API and k3s supervisor port. */
export const KUBE_API_PORT = 6443;

/** k3s's pod and service ranges: part of the cloud's profile too (host traffic sources). */
export { K3S_CLUSTER_CIDR, K3S_SERVICE_CIDR } from '../../config';

/** Host number (inside the control-plane pool's /24) of the API load balancer's private IP. */
export const API_LOAD_BALANCER_HOST = 250;

/** Largest number of static servers one pool's /24 holds (hosts 2..249; .1 is the gateway, .250 the LB). */
export const MAX_SERVERS_PER_SUBNET = 240;

/** Longest Hetzner server name / Kubernetes node name we create (a DNS label). */
export const MAX_SERVER_NAME_LENGTH = 63;
