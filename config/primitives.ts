/**
 * Building blocks of the environment schema: strict objects whose unknown-key
 * error lists the allowed keys, DNS labels, quantities, pinned image references,
 * CIDRs, label keys/values and resources.
 */
import { z } from 'zod';
import { isByteQuantity, isCpuQuantity, bytes as parseBytes, cpuMillis as parseCpu } from './quantity';
import { limitsBelowRequests } from './rules/resources';

// Refinements in zod v4 keep running after a field failed its own check, so the
// comparisons below treat an unparseable quantity as "not comparable" (NaN): the
// format error is reported once, by the field itself.
export const cpuMillisOrNaN = (v: string) => (isCpuQuantity(v) ? parseCpu(v) : NaN);
export const bytesOrNaN = (v: string) => (isByteQuantity(v) ? parseBytes(v) : NaN);

/** A strict object whose unknown-key error lists the keys that are allowed. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key (allowed: ${allowed})` : undefined),
  });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = z.string().max(63, { error: 'must be at most 63 characters (a DNS label)' }).regex(DNS_LABEL, {
  error: 'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
});

export const cpu = z.string().refine(isCpuQuantity, {
  error: 'must be a CPU quantity such as 250m, 1 or 1.5',
});
export const memory = z.string().refine(isByteQuantity, {
  error: 'must be a byte quantity such as 512Mi, 2Gi or 10G',
});
export const positiveInt = z.number().int().min(1);
export const nonNegativeInt = z.number().int().min(0);
export const percent = z.number().int().min(1).max(100);

const IMAGE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
/** An image reference pinned by tag or digest; `latest` and untagged are refused. */
export const imageRef = z
  .string()
  .regex(IMAGE, { error: 'must be an image reference such as ghcr.io/org/name:1.2.3' })
  .refine((ref) => /(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/.test(ref.replace(/^[^/]*:\d+\//, '')), {
    error: 'must be pinned to a tag or digest (untagged images float)',
  })
  .refine((ref) => !/:latest(@|$)/.test(ref), { error: 'must not use the floating tag "latest"' });

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
export const cidr = z.string().refine(
  (value) => {
    const m = CIDR.exec(value);
    return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
  },
  { error: 'must be an IPv4 CIDR such as 203.0.113.0/24' },
);

export const labelKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    error: 'must be a label key such as example.com/team',
  });
export const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, {
  error: 'must be a label value: up to 63 letters, digits, "-", "_" or "."',
});

/** CPU and memory pair, used for requests and limits. */
export const cpuMemory = strict({ cpu, memory });

/**
 * The schema's adapter of "every limit is at least its request" (config/rules/resources.ts):
 * an issue on each `limits.<resource>` below `requests.<resource>`.
 */
export function refineLimitsAtLeastRequests(
  r: { requests: Record<string, string>; limits: Record<string, string> },
  ctx: z.RefinementCtx,
): void {
  for (const v of limitsBelowRequests(r.requests, r.limits)) {
    ctx.addIssue({
      code: 'custom',
      path: ['limits', v.resource],
      input: v.limit,
      message: `must be >= requests.${v.resource} (${v.request})`,
    });
  }
}

/** Requests and limits; every limit must be >= its request. */
export const resources = strict({ requests: cpuMemory, limits: cpuMemory }).superRefine(refineLimitsAtLeastRequests);
export type Resources = z.output<typeof resources>;
