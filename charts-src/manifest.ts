/** A rendered Kubernetes object as plain data (a leaf module: render.ts and diagram.ts both read it). */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};
