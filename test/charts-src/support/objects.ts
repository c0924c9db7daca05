/** Finding rendered objects in tests. */
import { Chart, Testing } from 'cdk8s';
import type { Construct } from 'constructs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = any;

/** A chart to put a construct under test in (names are not hashed, as in the real charts). */
export function testChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id, { disableResourceNameHashes: true });
}

/** Rendered objects of a chart (or of the chart that holds a construct). */
export function objectsOf(scope: Construct): Obj[] {
  return Chart.of(scope).toJson() as Obj[];
}

/** The one object of this kind and name (and namespace, when given); throws when missing or ambiguous. */
export function find(objects: readonly Obj[], kind: string, name: string, namespace?: string): Obj {
  const found = objects.filter(
    (o) =>
      o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  );
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${namespace ?? '*'}/${name}, found ${found.length}`);
  }
  return found[0];
}

export const ofKind = (objects: readonly Obj[], kind: string) => objects.filter((o) => o.kind === kind);

/** The error message a function throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}
