/**
 * Waiting for the k3s API server before anything is installed into the cluster.
 *
 * On an empty project the servers exist seconds after Hetzner accepts them, but k3s
 * needs minutes (cloud-init, the binary download, etcd, the first server's CAs) before
 * its API answers. The Kubernetes provider does not wait: the first Helm release would
 * fail with "connection refused". ApiServerReady is a Pulumi dynamic resource that polls
 * `GET /readyz` with the admin client certificate until the API answers 200, or fails
 * after a timeout naming the endpoint and the last error. The add-ons and manifests
 * depend on it (through ClusterResult.readyResources).
 *
 * The machine running `pulumi up` must reach the API, as it must for the Kubernetes
 * provider anyway: its address has to be in `adminCidrs` (the firewall opens 6443 to them).
 */
import * as pulumi from '@pulumi/pulumi';

export interface ProbeResult {
  readonly ready: boolean;
  /** What the probe saw: `HTTP 503`, `connect ECONNREFUSED 192.0.2.1:6443`, ... */
  readonly detail: string;
}

/**
 * Calls `probe` every `intervalMs` until it reports ready; throws after `timeoutMs` with
 * the last thing it saw. Pure control flow, so it is tested without a network.
 */
export async function waitUntilReady(
  probe: () => Promise<ProbeResult>,
  options: {
    readonly timeoutMs: number;
    readonly intervalMs: number;
    readonly what: string;
    /** Called at most once per `reportEveryMs` while waiting, so a long wait shows progress. */
    readonly progress?: (line: string) => void;
    /** @default 60_000 */
    readonly reportEveryMs?: number;
  },
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => number = () => Date.now(),
): Promise<number> {
  const started = now();
  let attempts = 0;
  let last = 'no attempt made';
  let reported = started;
  for (;;) {
    attempts += 1;
    const result = await probe();
    if (result.ready) return attempts;
    last = result.detail;
    if (options.progress && now() - reported >= (options.reportEveryMs ?? 60_000)) {
      reported = now();
      options.progress(
        `still waiting for ${options.what}: ${Math.round((reported - started) / 1000)} s of at most ` +
          `${Math.round(options.timeoutMs / 1000)} s, ${attempts} attempts, last: ${last}`,
      );
    }
    if (now() - started + options.intervalMs > options.timeoutMs) {
      throw new Error(
        `${options.what} did not become ready within ${Math.round(options.timeoutMs / 1000)} s ` +
          `(${attempts} attempts; last: ${last}). Check that this machine's address is in adminCidrs ` +
          `and look at the first control-plane server's cloud-init log (/var/log/cloud-init-output.log).`,
      );
    }
    await sleep(options.intervalMs);
  }
}

export interface ApiServerReadyInputs {
  /** `https://<ip>:6443` of a control-plane server. */
  readonly endpoint: string;
  /** PEM of the CA that signs the API serving certificate. */
  readonly caCertPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  /** Name the serving certificate is verified against. */
  readonly tlsServerName: string;
  readonly timeoutSeconds: number;
}

/** One `GET /readyz` with the admin client certificate (runs inside the dynamic provider). */
function probeReadyz(inputs: ApiServerReadyInputs): Promise<ProbeResult> {
  // Required here, not imported at the top: the dynamic provider is serialized and runs
  // in Pulumi's provider host, where this is how it reaches Node's https module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const https = require('node:https') as typeof import('node:https');
  return new Promise((resolve) => {
    const request = https.get(
      `${inputs.endpoint}/readyz`,
      {
        ca: inputs.caCertPem,
        cert: inputs.clientCertPem,
        key: inputs.clientKeyPem,
        servername: inputs.tlsServerName,
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        resolve({ ready: response.statusCode === 200, detail: `HTTP ${response.statusCode}` });
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', (error) => resolve({ ready: false, detail: error.message }));
  });
}

async function waitForApi(inputs: ApiServerReadyInputs): Promise<void> {
  await waitUntilReady(() => probeReadyz(inputs), {
    timeoutMs: inputs.timeoutSeconds * 1000,
    intervalMs: 10_000,
    what: `the Kubernetes API at ${inputs.endpoint}`,
    // A dynamic provider's console output reaches `pulumi up` (pulumi/pulumi#18249, fixed by #18253).
    progress: (line) => console.log(line),
  });
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ApiServerReadyInputs) {
    await waitForApi(inputs);
    return { id: inputs.endpoint, outs: { endpoint: inputs.endpoint } };
  },
  async diff(_id: string, olds: { endpoint: string }, news: ApiServerReadyInputs) {
    // A new endpoint (control-plane server 0 replaced) is waited for again; nothing else matters.
    return { changes: olds.endpoint !== news.endpoint, replaces: olds.endpoint !== news.endpoint ? ['endpoint'] : [] };
  },
};

export interface ApiServerReadyArgs {
  readonly endpoint: pulumi.Input<string>;
  readonly caCertPem: pulumi.Input<string>;
  readonly clientCertPem: pulumi.Input<string>;
  readonly clientKeyPem: pulumi.Input<string>;
  /** @default 'kubernetes' */
  readonly tlsServerName?: string;
  /** How long a fresh cluster may take. @default 900 (k3s install, etcd, first boot) */
  readonly timeoutSeconds?: number;
}

/** Completes once the Kubernetes API answers `/readyz`; dependents start after it. */
export class ApiServerReady extends pulumi.dynamic.Resource {
  declare readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: ApiServerReadyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        endpoint: args.endpoint,
        caCertPem: args.caCertPem,
        clientCertPem: pulumi.secret(args.clientCertPem),
        clientKeyPem: pulumi.secret(args.clientKeyPem),
        tlsServerName: args.tlsServerName ?? 'kubernetes',
        timeoutSeconds: args.timeoutSeconds ?? 900,
      },
      opts,
    );
  }
}
