/**
 * A JSON-schema validator for the subset Kubernetes OpenAPI definitions and CRD
 * structural schemas use (type, properties, additionalProperties, required, items,
 * enum, pattern, formats, bounds, anyOf/oneOf/allOf/not, $ref). Each schema node is
 * compiled into a closure on first use (policy/schema-compiler.ts), so a cold start
 * costs little and a large run inspects no schema per value; every problem is worded
 * for a reviewer (what, where, how to fix).
 *
 * Semantics follow the API server where they differ from plain JSON schema:
 * `null` means "unset" and is accepted anywhere; patterns are Go RE2 (inline
 * `(?i)` flags are honoured).
 */
import { SchemaCompiler } from './schema-compiler';
import { Walk, type Schema, type SchemaProblem } from './schema-walk';

export { goRegExp } from './go-regexp';
export { SPECIAL } from './schema-combinators';
export type { Schema, SchemaProblem };

export class SchemaValidator {
  private readonly compiler: SchemaCompiler;

  /**
   * @param resolve resolves a `$ref` to its schema
   * @param schemaName names the schema in unknown-field messages (`Kubernetes 1.31 apps/v1 Deployment`)
   */
  constructor(resolve: (ref: string) => Schema | undefined, schemaName: string) {
    this.compiler = new SchemaCompiler(resolve, schemaName);
  }

  validate(schema: Schema, data: unknown): SchemaProblem[] {
    const walk = new Walk();
    this.compiler.node(schema).run(data, walk);
    return walk.problems();
  }
}
