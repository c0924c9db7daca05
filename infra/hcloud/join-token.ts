/**
 * The k3s join token. The first server starts with the bare secret; every other node
 * joins with k3s's secure format `K10<sha256 of the server CA PEM>::server:<secret>`,
 * so a joining node verifies it is talking to THIS cluster's API before it sends
 * the secret. The CA hash is known in advance because the program generates the CA.
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';

export interface JoinTokenArgs {
  /** PEM of the server CA, exactly as written to server-ca.crt. */
  readonly serverCaCertPem: pulumi.Output<string>;
  readonly randomProvider: random.Provider;
}

/** `K10<ca hash>::server:<secret>` */
export function secureToken(serverCaCertPem: string, secret: string): string {
  const hash = createHash('sha256').update(serverCaCertPem, 'utf8').digest('hex');
  return `K10${hash}::server:${secret}`;
}

export class JoinToken extends pulumi.ComponentResource {
  /** The bare secret the cluster-init server starts with (secret). */
  readonly secret: pulumi.Output<string>;
  /** The secure-format token joining servers and agents use (secret). */
  readonly token: pulumi.Output<string>;

  constructor(name: string, args: JoinTokenArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:JoinToken', name, {}, opts);
    const password = new random.RandomPassword(
      `${name}-Resource`,
      { length: 64, special: false },
      { parent: this, provider: args.randomProvider },
    );
    this.secret = pulumi.secret(password.result);
    this.token = pulumi.secret(
      pulumi.all([args.serverCaCertPem, password.result]).apply(([ca, secret]) => secureToken(ca, secret)),
    );
    this.registerOutputs({});
  }
}
