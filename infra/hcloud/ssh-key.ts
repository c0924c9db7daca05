/**
 * The nodes' SSH key, generated in the program (ed25519) and registered with Hetzner.
 * The private key is a Pulumi secret (stack output for break-glass access); nobody
 * has to hand a personal key to the program. Both static servers and autoscaled
 * nodes (HCLOUD_SSH_KEY) get it, so Hetzner never mails root passwords.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import type { EnvironmentSpec } from '../../config';
import { clusterPrefix, resourceLabels } from './names';

export interface ClusterSshKeyArgs {
  readonly spec: Pick<EnvironmentSpec, 'name' | 'stack'>;
  readonly provider: hcloud.Provider;
  readonly tlsProvider: tls.Provider;
}

export class ClusterSshKey extends pulumi.ComponentResource {
  readonly sshKey: hcloud.SshKey;
  /** Hetzner's ID of the key, as a string (servers take IDs or names). */
  readonly sshKeyId: pulumi.Output<string>;
  /** OpenSSH private key (secret). */
  readonly privateKeyOpenssh: pulumi.Output<string>;

  constructor(name: string, args: ClusterSshKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:ClusterSshKey', name, {}, opts);
    const key = new tls.PrivateKey(
      `${name}-private-key`,
      { algorithm: 'ED25519' },
      { parent: this, provider: args.tlsProvider },
    );
    this.sshKey = new hcloud.SshKey(
      `${name}-Resource`,
      { name: clusterPrefix(args.spec), publicKey: key.publicKeyOpenssh, labels: resourceLabels(args.spec) },
      { parent: this, provider: args.provider },
    );
    this.sshKeyId = this.sshKey.id;
    this.privateKeyOpenssh = pulumi.secret(key.privateKeyOpenssh);
    this.registerOutputs({ sshKeyId: this.sshKeyId });
  }
}
