/**
 * The cluster's two k3s join secrets, kept apart by privilege:
 *
 * - the **server token** (`--token`): joins servers, reads the datastore's bootstrap data
 *   (every CA key) and is as good as cluster admin. Only control-plane servers hold it.
 * - the **agent token** (`--agent-token` on servers): joins agents only. k3s registers it
 *   as the password of the `node` user in role `k3s:agent`, which gets node certificates
 *   and nothing else (k3s-io/k3s pkg/daemons/control/deps/deps.go `genUsers`,
 *   pkg/server/handlers/router.go). Workers and the autoscaler's node configs hold only this.
 *
 * Joining nodes get the secure format `K10<sha256 of the server CA PEM>::<user>:<secret>`
 * (k3s docs cli/token.md "Secure"): before sending the secret, a node downloads /cacerts,
 * hashes it and refuses a server whose CA does not match. k3s generates the CAs itself, so
 * the hash is known only after the first server is up (cluster-ca.ts reads it); the first
 * server therefore starts with the bare server secret, which k3s requires anyway ("only the
 * short token format can be used when starting the first server").
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';

/** k3s's basic-auth user for each token kind. */
export type K3sTokenUser = 'server' | 'node';

/** sha256 of the server CA bundle exactly as /cacerts serves it (hex): the K10 hash. */
export function caHash(serverCaCertPem: string): string {
  return createHash('sha256').update(serverCaCertPem, 'utf8').digest('hex');
}

/** `K10<ca hash>::<user>:<secret>` */
export function secureToken(serverCaCertPem: string, secret: string, user: K3sTokenUser = 'server'): string {
  return `K10${caHash(serverCaCertPem)}::${user}:${secret}`;
}

export interface ClusterTokensArgs {
  readonly randomProvider: random.Provider;
}

export class ClusterTokens extends pulumi.ComponentResource {
  /** The bare server secret (secret): control-plane servers only. */
  readonly serverSecret: pulumi.Output<string>;
  /** The bare agent secret (secret): servers set it as `agent-token`; agents join with it. */
  readonly agentSecret: pulumi.Output<string>;

  constructor(name: string, args: ClusterTokensArgs, opts?: pulumi.ComponentResourceOptions) {
    // The type token and the server secret's child name predate the agent token: keeping
    // them keeps the URN, so a running cluster keeps its server secret.
    super('agent-platform:hcloud:JoinToken', name, {}, opts);
    const secret = (role: string) =>
      pulumi.secret(
        new random.RandomPassword(
          `${name}-${role}`,
          { length: 64, special: false },
          { parent: this, provider: args.randomProvider },
        ).result,
      );
    this.serverSecret = secret('Resource');
    this.agentSecret = secret('agent');
    this.registerOutputs({});
  }
}
