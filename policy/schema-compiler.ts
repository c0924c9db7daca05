/**
 * Compiles schema nodes into checks, once per node and validator: what a node's
 * keywords ask is decided here, so checking a value inspects no schema. Nodes are
 * compiled on first use (a run touches only the kinds and fields it meets, and
 * recursive `$ref`s compile when they are reached). The cache is by object identity:
 * a schema must not change after it was first used.
 */
import { isObject } from './values';
import { combinatorChecks, specialCheck, specialOf } from './schema-combinators';
import { arrayChecks, objectChecks } from './schema-containers';
import { numberChecks, stringChecks } from './schema-scalars';
import { enumCheck, typeCheck } from './schema-type';
import type { Check, Compiler, Schema, SchemaNode } from './schema-walk';

/** A `$ref` chain longer than this is not followed further: the last node is checked as it is. */
const MAX_REF_HOPS = 32;

const NOTHING: SchemaNode = { run: () => {} };

const unresolved =
  (ref: string): Check =>
  (_data, walk) => {
    if (walk.reports())
      walk.problem(`schema reference ${ref} cannot be resolved`, 'report this: the schema files are incomplete');
  };

/** The keywords of one node (its `$ref`s followed). `null` and `undefined` mean unset: accepted anywhere. */
function compileBody(schema: Schema, compiler: Compiler): Check {
  const special = specialOf(schema);
  if (special !== undefined) return specialCheck(schema, special, compiler);
  const type = typeCheck(schema);
  const allowed = enumCheck(schema);
  const string = stringChecks(schema);
  const number = numberChecks(schema);
  const array = arrayChecks(schema, compiler);
  const object = objectChecks(schema, compiler);
  const combinators = combinatorChecks(schema, compiler);
  return (data, walk) => {
    if (data === null || data === undefined) return;
    if (type !== undefined && !type(data, walk)) return;
    if (allowed !== undefined) allowed(data, walk);
    if (typeof data === 'string') {
      if (string !== undefined) string(data, walk);
    } else if (typeof data === 'number') {
      if (number !== undefined) number(data, walk);
    } else if (Array.isArray(data)) {
      if (array !== undefined) array(data, walk);
    } else if (typeof data === 'object') {
      if (object !== undefined) object(data as Record<string, unknown>, walk);
    }
    if (combinators !== undefined && !walk.failed) combinators(data, walk);
  };
}

export class SchemaCompiler implements Compiler {
  private readonly nodes = new WeakMap<object, SchemaNode>();
  private readonly bodies = new WeakMap<object, Check>();

  /**
   * @param resolve resolves a `$ref` to its schema (the same schema every time)
   * @param schemaName names the schema in unknown-field messages
   */
  constructor(
    private readonly resolve: (ref: string) => Schema | undefined,
    readonly schemaName: string,
  ) {}

  node(schema: unknown): SchemaNode {
    if (!isObject(schema)) return NOTHING;
    let node = this.nodes.get(schema);
    if (!node) {
      const lazy: SchemaNode = {
        run: (data, walk) => {
          lazy.run = this.compile(schema);
          lazy.run(data, walk);
        },
      };
      node = lazy;
      this.nodes.set(schema, node);
    }
    return node;
  }

  /** Follows the node's `$ref`s (the definitions use `$ref` plus a description sibling), then its keywords. */
  private compile(schema: Schema): Check {
    let target: Schema = schema;
    let hops = 0;
    while (typeof target.$ref === 'string' && hops++ < MAX_REF_HOPS) {
      const next = this.resolve(target.$ref);
      if (!next) return unresolved(target.$ref);
      target = next;
    }
    if (!isObject(target)) return compileBody(target, this);
    let body = this.bodies.get(target);
    if (!body) {
      body = compileBody(target, this);
      this.bodies.set(target, body);
    }
    return body;
  }
}
