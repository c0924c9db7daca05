/**
 * Join or initialize: decided by each control-plane server at its first boot, from what
 * answers on the API load balancer, never from its index in the pool.
 *
 * k3s's embedded etcd starts a NEW cluster when a server starts with `cluster-init` and no
 * datastore, whatever else exists; a server started with `server: <url>` joins the one
 * that answers there (k3s docs datastore/ha-embedded.md). User data is fixed when a server
 * is created, so a recreated server 0 would initialize a second, empty cluster behind the
 * same load balancer if the choice were made by index (kube-hetzner likewise uses
 * `cluster-init` only once and writes `server:` for every other start). So:
 *
 * - a server that may initialize (server 0) probes `<api>/ping` (k3s answers `pong`
 *   without credentials) for a while: any answer means a cluster exists, and it joins;
 *   only when none answers does it write `cluster-init: true`. A fresh cluster's first
 *   boot waits that long once.
 * - every other server never initializes: it waits for an answer, then joins; it fails
 *   the boot (loudly) if none comes.
 * - the decision is written once, to its own k3s config drop-in, and kept on later runs:
 *   after the first start the datastore exists and k3s ignores `cluster-init` anyway.
 *
 * Residual risk: server 0 recreated while EVERY other server is down finds nothing and
 * initializes; with one server the old datastore is gone anyway, with three the operator
 * must not replace server 0 during a full control-plane outage (infra/hcloud/README.md).
 */

export const CLUSTER_DROPIN_PATH = '/etc/rancher/k3s/config.yaml.d/20-cluster-membership.yaml';

export interface MembershipOptions {
  /** `https://<api lb private ip>:6443` */
  readonly apiUrl: string;
  /** true for the one server allowed to initialize a cluster when none answers. */
  readonly mayInitialize: boolean;
  /** Probes before giving up (joiners) or initializing (server 0). */
  readonly attempts: number;
  readonly intervalSeconds: number;
  /** @default CLUSTER_DROPIN_PATH */
  readonly dropinPath?: string;
}

/** Probing budget: server 0 waits 2 minutes before initializing; joiners wait 30 minutes. */
export const INITIALIZER_PROBE = { attempts: 12, intervalSeconds: 10 } as const;
export const JOINER_PROBE = { attempts: 180, intervalSeconds: 10 } as const;

/** Bash that defines and runs `decide_cluster_membership`. */
export function clusterMembershipScript(options: MembershipOptions): string {
  const dropin = options.dropinPath ?? CLUSTER_DROPIN_PATH;
  if (!/^https:\/\/[^\s'"]+$/.test(options.apiUrl)) throw new Error(`apiUrl "${options.apiUrl}" must be an https URL`);
  return [
    `API_URL='${options.apiUrl}'`,
    `MEMBERSHIP_DROPIN='${dropin}'`,
    `MAY_INITIALIZE='${options.mayInitialize}'`,
    'decide_cluster_membership() {',
    '  if [ -s "${MEMBERSHIP_DROPIN}" ]; then',
    '    echo "agent-platform: keeping the earlier decision: $(cat "${MEMBERSHIP_DROPIN}")"',
    '    return 0',
    '  fi',
    '  mkdir -p "$(dirname "${MEMBERSHIP_DROPIN}")"',
    `  for _ in $(seq 1 ${options.attempts}); do`,
    '    if curl -ksf --max-time 5 -o /dev/null "${API_URL}/ping"; then',
    '      echo "agent-platform: a cluster answers at ${API_URL}; joining it"',
    '      printf \'server: %s\\n\' "${API_URL}" > "${MEMBERSHIP_DROPIN}"',
    '      chmod 0600 "${MEMBERSHIP_DROPIN}"',
    '      return 0',
    '    fi',
    `    sleep ${options.intervalSeconds}`,
    '  done',
    '  if [ "${MAY_INITIALIZE}" = true ]; then',
    '    echo "agent-platform: no cluster answers at ${API_URL}; initializing a new one"',
    '    printf \'cluster-init: true\\n\' > "${MEMBERSHIP_DROPIN}"',
    '    chmod 0600 "${MEMBERSHIP_DROPIN}"',
    '    return 0',
    '  fi',
    `  echo "agent-platform: no cluster answers at \${API_URL} after ${options.attempts * options.intervalSeconds} s; this server only joins, it never initializes" >&2`,
    '  return 1',
    '}',
    'decide_cluster_membership',
  ].join('\n');
}
