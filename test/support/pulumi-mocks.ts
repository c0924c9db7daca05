/**
 * Pulumi mocks for tests: records every registered resource with its inputs, and
 * answers provider functions. Call `installMocks()` before importing program code.
 */
import * as pulumi from '@pulumi/pulumi';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Resource options as the mock monitor sees them. */
  readonly provider?: string;
}

export interface Mocks {
  readonly resources: RecordedResource[];
  /** Resources of one type token, e.g. `hcloud:index/server:Server`. */
  ofType(type: string): RecordedResource[];
  /** The one resource with this logical name (throws if absent or ambiguous). */
  named(name: string): RecordedResource;
  reset(): void;
}

/** Canned results for provider functions (`aws:index/getAvailabilityZones:getAvailabilityZones`, ...). */
export type CallHandler = (args: pulumi.runtime.MockCallArgs) => Record<string, unknown>;

/** Extra state a resource type computes on the provider side (`aws:eks/cluster:Cluster` → endpoint, ...). */
export type OutputsHandler = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;

export function installMocks(
  options: {
    stack?: string;
    project?: string;
    calls?: Record<string, CallHandler>;
    outputs?: Record<string, OutputsHandler>;
  } = {},
): Mocks {
  // Pulumi records a stack trace for every resource, and jest source-maps every frame:
  // about 50 ms per resource under ts-jest. Five frames keep assertion locations readable.
  Error.stackTraceLimit = Math.min(Error.stackTraceLimit, 5);
  const resources: RecordedResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          ...(args.provider ? { provider: args.provider } : {}),
        });
        const state: Record<string, unknown> = { arn: `arn:aws:mock:::${args.name}`, ...args.inputs };
        // Outputs some resources compute on the provider side.
        if (args.type === 'tls:index/privateKey:PrivateKey') {
          state.publicKeyOpenssh = 'ssh-ed25519 AAAAmock';
          state.privateKeyOpenssh = '-----BEGIN OPENSSH PRIVATE KEY-----\nmock\n-----END OPENSSH PRIVATE KEY-----';
          state.privateKeyPem = '-----BEGIN PRIVATE KEY-----\nmock\n-----END PRIVATE KEY-----';
        }
        if (
          args.type === 'random:index/randomPassword:RandomPassword' ||
          args.type === 'random:index/randomString:RandomString'
        ) {
          state.result = 'mock-random-value';
        }
        if (
          args.type === 'tls:index/selfSignedCert:SelfSignedCert' ||
          args.type === 'tls:index/locallySignedCert:LocallySignedCert'
        ) {
          state.certPem = `-----BEGIN CERTIFICATE-----\nmock ${args.name}\n-----END CERTIFICATE-----\n`;
        }
        if (args.type === 'tls:index/certRequest:CertRequest') {
          state.certRequestPem = `-----BEGIN CERTIFICATE REQUEST-----\nmock ${args.name}\n-----END CERTIFICATE REQUEST-----\n`;
        }
        if (args.type.startsWith('hcloud:') && !('ipv4Address' in state)) state.ipv4Address = '192.0.2.10';
        Object.assign(state, options.outputs?.[args.type]?.(args));
        // Hetzner IDs are numbers; programs convert them with Number().
        const id = args.type.startsWith('hcloud:') ? String(numericId(args.name)) : `${args.name}-id`;
        return { id, state: { ...state, urn: args.name } };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const handler = options.calls?.[args.token];
        return handler ? handler(args) : { ...args.inputs };
      },
    },
    options.project ?? 'agent-platform',
    options.stack ?? 'staging',
    false,
  );
  return {
    resources,
    ofType: (type) => resources.filter((r) => r.type === type),
    named(name) {
      const found = resources.filter((r) => r.name === name);
      if (found.length !== 1) {
        throw new Error(
          `expected one resource named ${name}, found ${found.length} (have: ${resources.map((r) => r.name).join(', ')})`,
        );
      }
      return found[0]!;
    },
    reset: () => resources.splice(0, resources.length),
  };
}

/** A stable positive number per logical name (FNV-1a), for providers whose IDs are numeric. */
function numericId(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (hash % 99_999_999) + 1;
}

/** Resolves an Output in tests. */
export function valueOf<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

/** Whether an Output is marked secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}
