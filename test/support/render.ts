/** Rendering helpers for chart tests: the objects of an environment, and lookups by kind/name. */
import { renderStack, type Manifest, type RenderedStack } from '../../charts-src/render';
import type { EnvironmentSpec } from '../../config';

export function render(spec: EnvironmentSpec): RenderedStack {
  return renderStack(spec, '0.0.0-test');
}

export function objectsOf(spec: EnvironmentSpec): Manifest[] {
  return render(spec).files.flatMap((f) => f.objects);
}

/** The one object of this kind and name (and namespace, when given); throws otherwise. */
export function find(objects: readonly Manifest[], kind: string, name: string, namespace?: string): Manifest {
  const found = objects.filter(
    (o) =>
      o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  );
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${namespace ? `${namespace}/` : ''}${name}, found ${found.length}`);
  }
  return found[0]!;
}

export function ofKind(objects: readonly Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;
