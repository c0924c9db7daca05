/**
 * Pulumi names of the applied manifests: derived from each object's identity (group,
 * kind, namespace, name), never from the dist/ file that holds it.
 *
 * `kubernetes:yaml/v2:ConfigGroup` registers one child per object and names it
 * `<resourcePrefix>-<namespace>/<name>` (cluster-scoped: `<resourcePrefix>-<name>`),
 * with the type token `kubernetes:<group or core>/<version>:<Kind>`; the prefix
 * defaults to the ConfigGroup's own name (pulumi/pulumi-kubernetes,
 * provider/pkg/provider/yaml/v2/yaml.go, parseUnstructured). Our ConfigGroups are one
 * per dist/ file, so with the default prefix moving an object from one chart to another
 * (which `npm run diff` rightly calls "not a change") or renaming a chart changed the
 * object's URN: the create then fails with AlreadyExists, or with upsert the delete of
 * the old URN removes the live object. Every group therefore gets one fixed prefix per
 * stack, and a transform aliases each child to the name the per-file prefix gave it, so
 * stacks deployed before this change keep every object (no replace, no delete).
 */
import * as pulumi from '@pulumi/pulumi';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks';

/** The identity-bearing part of a manifest object. */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** The child's Pulumi name inside a ConfigGroup with this resource prefix. */
export function appliedObjectName(prefix: string, object: ObjectIdentity): string {
  const { name, namespace } = object.metadata;
  return `${prefix}-${namespace ? `${namespace}/${name}` : name}`;
}

/** The child's Pulumi type token: `v1` → `kubernetes:core/v1:Kind`, `apps/v1` → `kubernetes:apps/v1:Kind`. */
export function appliedObjectType(object: ObjectIdentity): string {
  const version = object.apiVersion.includes('/') ? object.apiVersion : `core/${object.apiVersion}`;
  return `kubernetes:${version}:${object.kind}`;
}

/**
 * A transform for one file's ConfigGroup: each child named `<prefix>-<rest>` also
 * answers to `<legacyPrefix>-<rest>`, its name under the file-derived prefix used before
 * (the group's own name, `<component>-<file stem>`). The alias keeps the child's type
 * and parent, which are unchanged, so the engine matches the old state entry and
 * neither replaces nor deletes the object.
 */
export function legacyNameAliases(prefix: string, legacyPrefix: string): pulumi.ResourceTransform {
  const start = `${prefix}-`;
  return (args) => {
    if (!args.custom || !args.name.startsWith(start)) return undefined;
    const legacyName = `${legacyPrefix}-${args.name.slice(start.length)}`;
    return { props: args.props, opts: { ...args.opts, aliases: [...(args.opts.aliases ?? []), { name: legacyName }] } };
  };
}

/**
 * The transforms one file's ConfigGroup carries: the legacy-name aliases, except under
 * `pulumi.runtime.setMocks`, whose monitor refuses transforms (@pulumi/pulumi
 * runtime/mocks.js sets `supportsTransforms = false`) and never constructs the
 * ConfigGroup's children anyway (the provider does that). The transform itself is
 * unit-tested (test/infra/applied-names.test.ts).
 */
export function appliedObjectTransforms(prefix: string, legacyPrefix: string): pulumi.ResourceTransform[] {
  return pulumi.runtime.getMonitor() instanceof MockMonitor ? [] : [legacyNameAliases(prefix, legacyPrefix)];
}
