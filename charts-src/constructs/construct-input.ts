/**
 * Checks of construct input. Stack files are validated by config/ long before a
 * construct runs, but constructs are also used directly (tests, new charts), so
 * each checks what it is given and fails at once with the construct path, the
 * value and the rule: `guardrails/lobstack-agents: quota.requestsCpu ("lots") must be a CPU quantity ...`.
 */
import type { IConstruct } from 'constructs';
import {
  bytes,
  cpuMillis,
  formatValue,
  isByteQuantity,
  isCpuQuantity,
  limitRangeOrderViolations,
  limitsBelowRequests,
  type LimitRangeBounds,
} from '../../config';

/** Bad input to a construct: names the construct path, the field, the value and the rule. */
export class ConstructInputError extends Error {
  override name = 'ConstructInputError';
  constructor(
    readonly path: string,
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${path}: ${field}${value === undefined ? '' : ` (${formatValue(value)})`} ${rule}`);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function fail(scope: IConstruct, field: string, value: unknown, rule: string): never {
  throw new ConstructInputError(scope.node.path, field, value, rule);
}

export function requireDnsLabel(scope: IConstruct, field: string, value: string): void {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    fail(
      scope,
      field,
      value,
      'must be a DNS label (RFC 1123): at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
    );
  }
}

export function requireCpu(scope: IConstruct, field: string, value: string): number {
  if (!isCpuQuantity(value)) fail(scope, field, value, 'must be a CPU quantity such as 250m, 1 or 1.5');
  return cpuMillis(value);
}

export function requireMemory(scope: IConstruct, field: string, value: string): number {
  if (!isByteQuantity(value)) fail(scope, field, value, 'must be a byte quantity such as 512Mi, 2Gi or 10G');
  return bytes(value);
}

export function requireInt(scope: IConstruct, field: string, value: number, min: number, max?: number): void {
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    fail(
      scope,
      field,
      value,
      max === undefined ? `must be an integer >= ${min}` : `must be an integer between ${min} and ${max}`,
    );
  }
}

export function requirePort(scope: IConstruct, field: string, value: number | string): void {
  if (typeof value === 'number') requireInt(scope, field, value, 1, 65535);
  else if (value.length > 15 || !IANA_SVC_NAME.test(value)) {
    fail(
      scope,
      field,
      value,
      'must be a port number (1-65535) or a port name: at most 15 lower-case letters, digits or "-", with a letter',
    );
  }
}

export function requireCidr(scope: IConstruct, field: string, value: string): void {
  const m = CIDR.exec(value);
  if (!m || !m.slice(1, 5).every((o) => Number(o) <= 255) || Number(m[5]) > 32) {
    fail(scope, field, value, 'must be an IPv4 CIDR such as 10.0.0.0/16');
  }
}

/** A request/limit pair: both parse, and the limit is >= the request (config/rules/resources.ts). */
export function requireResources(
  scope: IConstruct,
  field: string,
  r: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } },
): void {
  requireCpu(scope, `${field}.requests.cpu`, r.requests.cpu);
  requireCpu(scope, `${field}.limits.cpu`, r.limits.cpu);
  requireMemory(scope, `${field}.requests.memory`, r.requests.memory);
  requireMemory(scope, `${field}.limits.memory`, r.limits.memory);
  const [v] = limitsBelowRequests(r.requests, r.limits);
  if (v) fail(scope, `${field}.limits.${v.resource}`, v.limit, `must be >= requests.${v.resource} (${v.request})`);
}

/**
 * A LimitRange item's bounds in order, min <= defaultRequest <= default <= max
 * (config/rules/limit-range.ts); `field` prefixes the path (`namespace.limitRange.container`).
 * The values must already be checked quantities.
 */
export function requireLimitRangeOrder(scope: IConstruct, field: string, item: LimitRangeBounds<string>): void {
  const [v] = limitRangeOrderViolations(item);
  if (v)
    fail(
      scope,
      `${field}.${v.upper}.${v.resource}`,
      v.high,
      `must be >= container.${v.lower}.${v.resource} (${v.low})`,
    );
}
