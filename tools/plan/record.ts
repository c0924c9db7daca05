/**
 * Runs a Pulumi program against a mocked engine and records what it declares:
 * every resource with its type token, name, parent and inputs. No CLI, no cloud,
 * no credentials: the engine is `pulumi.runtime.setMocks`, and every input the
 * program marked secret is recorded as `[secret]`, never as its value.
 */
import * as pulumi from '@pulumi/pulumi';

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource; undefined for resources at the root. */
  readonly parent?: string;
  /** false for component resources. */
  readonly custom: boolean;
  /** Inputs as the engine received them; secret values replaced by `[secret]`. */
  readonly inputs: Record<string, unknown>;
  /** Pulumi `protect`: `pulumi up` refuses to delete or replace it. */
  readonly protect?: boolean;
  /** Input paths the program tells the engine to ignore after creation (`ignoreChanges`). */
  readonly ignoreChanges?: readonly string[];
}

export interface RecordOptions {
  readonly stack: string;
  readonly project?: string;
  /** Canned answers for provider functions, by token. */
  readonly calls?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
  /** Outputs providers compute, per type token (`ipv4Address`, `arn`, ...), merged into the echoed inputs. */
  readonly outputs?: Record<string, (name: string, inputs: Record<string, unknown>) => Record<string, unknown>>;
  /** Stack config (`agent-platform:hcloudToken`), set as secrets with placeholder values. */
  readonly secretConfig?: readonly string[];
}

export const SECRET_PLACEHOLDER = '[secret]';
const SPECIAL_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** Replaces, in `value`, whatever `raw` (the wire form) marks as secret. */
function maskSecrets(raw: unknown, value: unknown): unknown {
  if (raw === null || typeof raw !== 'object') return value;
  const record = raw as Record<string, unknown>;
  if (record[SPECIAL_SIG] === SECRET_SIG) return SECRET_PLACEHOLDER;
  if (Array.isArray(raw)) return Array.isArray(value) ? value.map((v, i) => maskSecrets(raw[i], v)) : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = maskSecrets(record[k], v);
  return out;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): unknown } | undefined;
  getProtect?(): boolean | undefined;
  getIgnorechangesList?(): string[];
}
interface Monitor {
  registerResource(req: RegisterRequest, callback: (err: unknown, response?: { getUrn(): string }) => void): unknown;
}

/** The program failed while running under the mocked engine (one message per distinct failure). */
export class ProgramError extends Error {
  override readonly name = 'ProgramError';
  constructor(readonly failures: readonly string[]) {
    super(`the program failed under the mocked engine:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  }
}

let running = false;

/** Waits until the engine has no registration in flight (internal API, with a fallback). */
async function settle(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  // Outputs resolve in follow-up turns and may register more resources: drain a few times.
  for (let i = 0; i < 5; i++) {
    if (runtime.waitForRPCs) await runtime.waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Runs `program` under mocks and returns the resources it registered, in
 * registration order. One recording at a time per process.
 */
export async function recordProgram(program: () => unknown, options: RecordOptions): Promise<PlannedResource[]> {
  if (running) throw new Error('recordProgram: another recording is running in this process');
  running = true;
  try {
    const project = options.project ?? 'agent-platform';
    const resources: PlannedResource[] = [];
    let current: RegisterRequest | undefined;
    const pending: {
      type: string;
      name: string;
      inputs: Record<string, unknown>;
      req?: RegisterRequest;
      read: boolean;
    }[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          // MockMonitor.registerResource calls this synchronously with the request in `current`.
          pending.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs as Record<string, unknown>,
            ...(current ? { req: current } : {}),
            read: !current && typeof args.id === 'string' && args.id !== '',
          });
          const extra = {
            ...(args.type.startsWith('aws:') ? { arn: `arn:aws:offline:::${args.name}` } : {}),
            ...(options.outputs?.[args.type]?.(args.name, args.inputs as Record<string, unknown>) ?? {}),
          };
          return { id: args.custom === false ? undefined : `${args.name}-id`, state: { ...args.inputs, ...extra } };
        },
        call(args) {
          const handler = options.calls?.[args.token];
          return handler
            ? handler(args.inputs as Record<string, unknown>)
            : { ...(args.inputs as Record<string, unknown>) };
        },
      },
      project,
      options.stack,
      false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor | undefined;
    if (!monitor || typeof monitor.registerResource !== 'function') {
      throw new Error(
        'recordProgram: the mocked Pulumi engine has no resource monitor (unsupported @pulumi/pulumi version)',
      );
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      current = req;
      try {
        return register(req, (err, response) => {
          const entry = pending.find((p) => p.req === req);
          if (!err && entry && response) {
            const raw = req.getObject()?.toJavaScript();
            const ignoreChanges = req.getIgnorechangesList?.() ?? [];
            resources.push({
              type: entry.type,
              name: entry.name,
              urn: response.getUrn(),
              ...(req.getParent() ? { parent: req.getParent() } : {}),
              custom: req.getCustom(),
              inputs: maskSecrets(raw, entry.inputs) as Record<string, unknown>,
              ...(req.getProtect?.() ? { protect: true } : {}),
              ...(ignoreChanges.length > 0 ? { ignoreChanges: [...ignoreChanges].sort() } : {}),
            });
            pending.splice(pending.indexOf(entry), 1);
          }
          callback(err, response);
        });
      } finally {
        current = undefined;
      }
    };
    for (const key of options.secretConfig ?? []) {
      pulumi.runtime.setConfig(key, SECRET_PLACEHOLDER);
    }
    if (options.secretConfig?.length) {
      // Mark them secret so programs that call requireSecret see a secret.
      const all = pulumi.runtime.allConfig();
      pulumi.runtime.setAllConfig(all, [...options.secretConfig]);
    }
    // Errors thrown inside `apply` surface as rejected promises, not as exceptions of `program`.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await program();
      await settle();
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    if (failures.length > 0) {
      const messages = [...new Set(failures.map((f) => (f instanceof Error ? f.message : String(f))))];
      throw new ProgramError(messages);
    }
    // Reads (`Resource.get`) come without a registration; anything else unmatched means the
    // mock monitor no longer calls newResource synchronously: parents would be lost, so say so.
    const unmatched = pending.filter((p) => !p.req && !p.read);
    if (unmatched.length > 0) {
      throw new Error(
        `recordProgram: ${unmatched.length} registrations could not be matched to their requests ` +
          `(first: ${unmatched[0]!.type} ${unmatched[0]!.name}); the @pulumi/pulumi mock monitor changed`,
      );
    }
    return resources;
  } finally {
    running = false;
  }
}
