/**
 * One pass of a compiled schema over a value: where it is (one path stack for the
 * whole walk, copied only when a problem is recorded), what it found, and whether it
 * is probing. anyOf/oneOf/not only need a verdict, so a probe words nothing and the
 * checks stop at its first problem.
 */
import type { PathSegment } from './values';

export type Schema = Record<string, unknown>;

export interface SchemaProblem {
  readonly unknownField: boolean;
  readonly path: PathSegment[];
  readonly message: string;
  readonly fix: string;
}

/** A check of one value (already narrowed to T by the caller) against one schema node. */
export type Part<T> = (data: T, walk: Walk) => void;
export type Check = Part<unknown>;

/** A schema node; its check is compiled on first use (schemas are recursive through `$ref`). */
export interface SchemaNode {
  run: Check;
}

/** What the keyword compilers need of the compiler. */
export interface Compiler {
  /** The node of a sub-schema (anything that is not an object checks nothing). */
  node(schema: unknown): SchemaNode;
  /** Names the schema in unknown-field messages (`Kubernetes 1.31 apps/v1 Deployment`). */
  readonly schemaName: string;
}

export class Walk {
  readonly path: PathSegment[] = [];
  /** Problems found; undefined while probing. */
  private out: SchemaProblem[] | undefined = [];
  /** Set only while probing, at the first problem: the checks stop. */
  failed = false;

  problems(): SchemaProblem[] {
    return this.out ?? [];
  }

  /** A problem was found: true when it is to be worded and recorded, false while probing. */
  reports(): boolean {
    if (this.out !== undefined) return true;
    this.failed = true;
    return false;
  }

  /** Records a problem at the current path, or at its `field` (a field of the current object). */
  problem(message: string, fix: string, field?: string, unknownField = false): void {
    const path = this.path.slice();
    if (field !== undefined) path.push(field);
    this.out!.push({ unknownField, path, message, fix });
  }

  /** True when `node` finds no problem with `data` here; records nothing. */
  accepts(node: SchemaNode, data: unknown): boolean {
    const out = this.out;
    const failed = this.failed;
    this.out = undefined;
    this.failed = false;
    node.run(data, this);
    const accepted = !this.failed;
    this.out = out;
    this.failed = failed;
    return accepted;
  }
}

/** The checks that are present, run in order (stopping early only while probing); undefined when none is. */
export function sequence<T>(checks: readonly (Part<T> | undefined)[]): Part<T> | undefined {
  const present = checks.filter((c): c is Part<T> => c !== undefined);
  if (present.length <= 1) return present[0];
  return (data, walk) => {
    for (const check of present) {
      check(data, walk);
      if (walk.failed) return;
    }
  };
}
