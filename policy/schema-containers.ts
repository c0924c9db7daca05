/**
 * The keywords of lists (item counts, items) and objects (required, field counts,
 * properties, additionalProperties: false or a schema). Children are visited with the
 * walk's one path stack: a segment is pushed before and popped after each.
 */
import { asArray, isObject } from './values';
import { sequence, type Compiler, type Part, type Schema, type SchemaNode, type Walk } from './schema-walk';

type Fields = Record<string, unknown>;

const numberOf = (value: unknown) => (typeof value === 'number' ? value : undefined);

function itemCountCheck(schema: Schema): Part<unknown[]> | undefined {
  const min = numberOf(schema.minItems);
  const max = numberOf(schema.maxItems);
  if (min === undefined && max === undefined) return undefined;
  return (data, walk) => {
    if (min !== undefined && data.length < min && walk.reports()) {
      walk.problem(`has ${data.length} item(s); at least ${min} required`, `add items (at least ${min})`);
    }
    if (max !== undefined && data.length > max && walk.reports()) {
      walk.problem(`has ${data.length} items; at most ${max} allowed`, `remove items (at most ${max})`);
    }
  };
}

function itemsCheck(schema: Schema, compiler: Compiler): Part<unknown[]> | undefined {
  if (!isObject(schema.items)) return undefined;
  const items = compiler.node(schema.items);
  return (data, walk) => {
    const path = walk.path;
    for (let i = 0; i < data.length; i++) {
      const item = data[i];
      if (item === undefined && !(i in data)) continue; // a hole: forEach skipped those
      path.push(i);
      items.run(item, walk);
      path.pop();
      if (walk.failed) return;
    }
  };
}

export const arrayChecks = (schema: Schema, compiler: Compiler): Part<unknown[]> | undefined =>
  sequence([itemCountCheck(schema), itemsCheck(schema, compiler)]);

function requiredCheck(schema: Schema): Part<Fields> | undefined {
  const required = asArray(schema.required).filter((f): f is string => typeof f === 'string');
  if (required.length === 0) return undefined;
  return (data, walk) => {
    for (const field of required) {
      const value = data[field];
      if ((value === undefined || value === null) && walk.reports()) {
        walk.problem(`required field "${field}" is missing`, `set ${field}`, field);
      }
    }
  };
}

function fieldCountCheck(schema: Schema): Part<Fields> | undefined {
  const min = numberOf(schema.minProperties);
  const max = numberOf(schema.maxProperties);
  if (min === undefined && max === undefined) return undefined;
  return (data, walk) => {
    const count = Object.keys(data).length;
    if (min !== undefined && count < min && walk.reports()) {
      walk.problem(`has ${count} field(s); at least ${min} required`, 'set the missing fields');
    }
    if (max !== undefined && count > max && walk.reports()) {
      walk.problem(`has ${count} fields; at most ${max} allowed`, 'remove fields');
    }
  };
}

/** The nodes of the fields `properties` lists as its own (enumerable) keys. */
function ownProperties(schema: Schema, compiler: Compiler): Map<string, SchemaNode> {
  const own = new Map<string, SchemaNode>();
  if (!isObject(schema.properties)) return own;
  const properties = schema.properties;
  for (const key of Object.keys(properties)) {
    if (properties[key] !== undefined) own.set(key, compiler.node(properties[key]));
  }
  return own;
}

/**
 * A field's schema the way the interpreter looked it up (`properties[key]`) when it is
 * not an own key: a key only the prototype has (`constructor`) finds a non-schema that
 * checks nothing, rather than counting as unknown.
 */
function inheritedProperty(schema: Schema, compiler: Compiler): (key: string) => SchemaNode | undefined {
  if (!isObject(schema.properties)) return () => undefined;
  const properties = schema.properties;
  return (key) => {
    const inherited = properties[key];
    return inherited === undefined ? undefined : compiler.node(inherited);
  };
}

/** A field `properties` does not list: unknown when closed, else checked by `additionalProperties` if that is a schema. */
function otherFieldCheck(
  schema: Schema,
  compiler: Compiler,
): ((key: string, value: unknown, walk: Walk) => void) | undefined {
  if (schema.additionalProperties === false) {
    const allowed = Object.keys(isObject(schema.properties) ? schema.properties : {}).sort();
    const listed = allowed.join(', ') || '(none)';
    return (key, _value, walk) => {
      if (!walk.reports()) return;
      walk.problem(
        `unknown field "${key}" (not in ${compiler.schemaName})`,
        `remove "${key}" or correct its spelling; fields allowed here: ${listed}`,
        key,
        true,
      );
    };
  }
  if (!isObject(schema.additionalProperties)) return undefined;
  const additional = compiler.node(schema.additionalProperties);
  return (key, value, walk) => {
    walk.path.push(key);
    additional.run(value, walk);
    walk.path.pop();
  };
}

function fieldsCheck(schema: Schema, compiler: Compiler): Part<Fields> | undefined {
  const other = otherFieldCheck(schema, compiler);
  if (!isObject(schema.properties) && other === undefined) return undefined;
  const own = ownProperties(schema, compiler);
  const inherited = inheritedProperty(schema, compiler);
  return (data, walk) => {
    const path = walk.path;
    for (const key of Object.keys(data)) {
      const node = own.get(key) ?? inherited(key);
      if (node !== undefined) {
        path.push(key);
        node.run(data[key], walk);
        path.pop();
      } else if (other !== undefined) other(key, data[key], walk);
      if (walk.failed) return;
    }
  };
}

export const objectChecks = (schema: Schema, compiler: Compiler): Part<Fields> | undefined =>
  sequence([requiredCheck(schema), fieldCountCheck(schema), fieldsCheck(schema, compiler)]);
