/**
 * Scale environments for the benchmark: a stack file derived from a real one
 * (Pulumi.staging.yaml) whose `tenants` list is replaced by N generated tenants,
 * each with admin and view groups so every tenant gets its full guardrails
 * (quota, limit range, network policies, RBAC). Everything else is the real
 * environment, so the scale series measures what a real environment of that
 * size costs.
 */
import { isMap, isSeq, parseDocument } from 'yaml';

/** The stack key whose value is the environment (see config/load.ts PLATFORM_KEY). */
const PLATFORM_KEY = 'agent-platform:platform';

/** Tenant names: `t0001` ... fixed width so the order is the same sorted or not. */
export function tenantName(index: number, count: number): string {
  const width = Math.max(4, String(count).length);
  return `t${String(index + 1).padStart(width, '0')}`;
}

export interface ScaleTenant {
  readonly name: string;
  readonly adminGroups: readonly string[];
  readonly viewGroups: readonly string[];
}

export function scaleTenants(count: number): ScaleTenant[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`tenant count must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => {
    const name = tenantName(i, count);
    return { name, adminGroups: [`${name}-admins`], viewGroups: [`${name}-developers`] };
  });
}

/**
 * Returns the text of a stack file equal to `baseText` except that
 * `config."agent-platform:platform".tenants` holds `count` generated tenants.
 * Comments and the rest of the document are kept as they were.
 */
export function scaleStackFile(baseText: string, count: number): string {
  const doc = parseDocument(baseText);
  if (doc.errors.length > 0) throw new Error(`base stack file is not valid YAML: ${doc.errors[0]!.message}`);
  const platform = doc.getIn(['config', PLATFORM_KEY]);
  if (!isMap(platform)) throw new Error(`base stack file has no config."${PLATFORM_KEY}" mapping`);
  const tenants = doc.createNode(scaleTenants(count).map((t) => ({ ...t })));
  if (!isSeq(tenants)) throw new Error('internal: tenants did not become a sequence');
  platform.set('tenants', tenants);
  return doc.toString({ lineWidth: 0 });
}

/** Stack name of the scale environment with `count` tenants, e.g. `scale-1000`. */
export const scaleStackName = (count: number) => `scale-${count}`;
