/**
 * One error for a whole stack file: every problem, each with its path, what it
 * got and what is allowed. Messages read like `nodePools[2].max (1) must be >= min (3)`.
 */
import type { z } from 'zod';

export interface ConfigIssue {
  /** Path inside the environment, e.g. `['nodePools', 2, 'max']`. */
  readonly path: readonly PropertyKey[];
  /** What is wrong and what is allowed, without the path. */
  readonly message: string;
  /** The offending value, when there is one. */
  readonly input?: unknown;
  readonly hasInput: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatIssues(source, issues));
    this.name = 'ConfigError';
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `nodePools[2].labels["example.com/team"]` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}

export function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = formatPath(issue.path);
  const got = issue.hasInput && issue.input !== undefined ? ` (${formatValue(issue.input)})` : '';
  return `${where}${got} ${issue.message}`;
}

export function formatIssues(source: string, issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return [`${source}: ${count}:`, ...issues.map((i) => `  - ${formatIssue(i)}`)].join('\n');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Turns zod's issues into ours, with wording a platform engineer can act on. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const input = (issue as { input?: unknown }).input;
    const base = { path: issue.path, input, hasInput: 'input' in issue };
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push({ path: [...issue.path, key], message: issue.message, hasInput: false });
        }
        break;
      case 'invalid_type':
        out.push(
          input === undefined
            ? { path: issue.path, message: `is required (${issue.expected})`, hasInput: false }
            : { ...base, message: `must be ${article(issue.expected)}, got ${typeName(input)}` },
        );
        break;
      case 'invalid_value':
        out.push({
          ...base,
          message:
            issue.values.length === 1
              ? `must be ${formatValue(issue.values[0])}`
              : `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`,
        });
        break;
      case 'too_small':
        out.push({ ...base, message: boundMessage('>=', issue.origin, issue.minimum, issue.inclusive) });
        break;
      case 'too_big':
        out.push({ ...base, message: boundMessage('<=', issue.origin, issue.maximum, issue.inclusive) });
        break;
      case 'invalid_union':
        out.push({ ...base, message: 'does not match any allowed form' });
        break;
      default:
        // A refinement that passes no `input` gets the whole refined object from zod;
        // showing that object as "what you got" would only confuse.
        out.push({
          ...base,
          hasInput: base.hasInput && (input === null || typeof input !== 'object'),
          message: issue.message,
        });
    }
  }
  return out;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function boundMessage(op: '>=' | '<=', origin: string, bound: number | bigint, inclusive = true): string {
  const strictOp = inclusive ? op : op === '>=' ? '>' : '<';
  switch (origin) {
    case 'array':
    case 'set':
      return op === '>=' ? `must have at least ${bound} item(s)` : `must have at most ${bound} item(s)`;
    case 'string':
      if (op === '>=' && Number(bound) === 1) return 'must not be empty';
      return op === '>=' ? `must be at least ${bound} characters` : `must be at most ${bound} characters`;
    default:
      return `must be ${strictOp} ${bound}`;
  }
}
