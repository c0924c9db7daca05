/**
 * The format of dist/<stack>/index.json: written by the synth (charts-src/render.ts),
 * read by the deploy step (infra/deploy.ts) and the tools. It lives here, with the
 * other contracts between the engines, so writer and reader cannot drift apart.
 */

/** Name of the index file in each dist/<stack>/. */
export const INDEX_FILE = 'index.json';

export interface StackIndex {
  /** The stack the folder was rendered for. */
  readonly stack: string;
  readonly platform: string;
  readonly platformVersion: string;
  readonly kubernetesVersion: string;
  /** k3s release of the nodes (Hetzner), from config/runtime-versions.ts. */
  readonly k3sVersion?: string;
  /** gVisor release of the gVisor pools, from config/runtime-versions.ts. */
  readonly gvisorVersion?: string;
  /** environmentDigest() of the resolved environment it was rendered from. */
  readonly environmentDigest: string;
  /** Every manifest file, in apply order, with its sha256 and object count. */
  readonly files: readonly { readonly file: string; readonly sha256: string; readonly objects: number }[];
}
