/**
 * anyOf/oneOf/allOf/not (CRD value validations such as "exactly one of"), and the
 * schemas marked SPECIAL, whose failure reads better as one plain sentence. Branches
 * other than allOf's are probed: only their verdict counts.
 */
import { isObject } from './values';
import { sequence, type Check, type Compiler, type Schema, type SchemaNode, type Walk } from './schema-walk';
import { show } from './schema-wording';

/** Marks schemas whose failure reads better as one plain sentence (quantity, int-or-string). */
export const SPECIAL = 'x-policy-special';

/** The sentence of a SPECIAL schema with anyOf branches, when it has one. */
export function specialOf(schema: Schema): string | undefined {
  const special = typeof schema[SPECIAL] === 'string' ? (schema[SPECIAL] as string) : undefined;
  return special && Array.isArray(schema.anyOf) ? special : undefined;
}

function anyAccepts(nodes: readonly SchemaNode[], data: unknown, walk: Walk): boolean {
  for (const node of nodes) if (walk.accepts(node, data)) return true;
  return false;
}

/** The nodes of a list of branches; holes of a sparse list are skipped, as some() and filter() skipped them. */
function branches(value: unknown, compiler: Compiler): SchemaNode[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const nodes: SchemaNode[] = [];
  value.forEach((branch) => nodes.push(compiler.node(branch)));
  return nodes;
}

/** A SPECIAL schema: one of its anyOf branches, or one plain sentence; nothing else is checked. */
export function specialCheck(schema: Schema, special: string, compiler: Compiler): Check {
  const nodes = branches(schema.anyOf, compiler)!;
  return (data, walk) => {
    if (data === null || data === undefined) return;
    if (!anyAccepts(nodes, data, walk) && walk.reports())
      walk.problem(`must be ${special}, got ${show(data)}`, `write ${special}`);
  };
}

function allOfCheck(nodes: readonly SchemaNode[]): Check {
  return (data, walk) => {
    for (const node of nodes) {
      node.run(data, walk);
      if (walk.failed) return;
    }
  };
}

function anyOfCheck(nodes: readonly SchemaNode[]): Check {
  return (data, walk) => {
    if (!anyAccepts(nodes, data, walk) && walk.reports()) {
      walk.problem(
        `${show(data)} matches none of the allowed forms (anyOf)`,
        'see the CRD schema for the allowed combinations',
      );
    }
  };
}

function oneOfCheck(nodes: readonly SchemaNode[]): Check {
  return (data, walk) => {
    let matches = 0;
    for (const node of nodes) if (walk.accepts(node, data)) matches++;
    if (matches !== 1 && walk.reports()) {
      walk.problem(
        matches === 0
          ? 'matches none of the allowed forms (oneOf)'
          : `matches ${matches} of the forms where exactly one is allowed (oneOf): fields that exclude each other are set together`,
        'set exactly one of the alternative fields',
      );
    }
  };
}

function notCheck(node: SchemaNode): Check {
  return (data, walk) => {
    if (walk.accepts(node, data) && walk.reports()) {
      walk.problem('uses a combination of fields the schema forbids (not)', 'remove one of the conflicting fields');
    }
  };
}

/** The combinators of a node, in the interpreter's order: allOf, anyOf, oneOf, not. */
export function combinatorChecks(schema: Schema, compiler: Compiler): Check | undefined {
  const allOf = branches(schema.allOf, compiler);
  const anyOf = branches(schema.anyOf, compiler);
  const oneOf = branches(schema.oneOf, compiler);
  return sequence([
    allOf && allOfCheck(allOf),
    anyOf && anyOfCheck(anyOf),
    oneOf && oneOfCheck(oneOf),
    isObject(schema.not) ? notCheck(compiler.node(schema.not)) : undefined,
  ]);
}
