import { App, Chart } from 'cdk8s';

/** A fresh chart to hang one construct on (path `test/<id>`). */
export const chart = () => new Chart(new App(), 'test', { disableResourceNameHashes: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = any;

/** The error message `build` throws. */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, but nothing was thrown');
}
