/**
 * Rendering an environment to manifest files in memory: one YAML file per chart,
 * objects in construction order, keys sorted by cdk8s. Nothing touches disk here,
 * so the gate can judge the whole result before a byte is written.
 */
import { Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { environmentDigest, sha256, type EnvironmentSpec } from '../config';
import { buildApp } from './app';

/** A Kubernetes object as plain data. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

export interface RenderedFile {
  /** File name inside dist/<stack>/, e.g. `namespaces.yaml`. */
  readonly name: string;
  readonly objects: readonly Manifest[];
  readonly content: string;
}

export interface RenderedStack {
  readonly stack: string;
  readonly files: readonly RenderedFile[];
  /** index.json content. */
  readonly index: string;
}

/** Name of the index file in each dist/<stack>/. */
export const INDEX_FILE = 'index.json';

/**
 * YAML 1.1 output rules: kubectl, Helm and the API server read YAML with Go parsers
 * that follow 1.1, where an unquoted `Off`, `on`, `yes` or `no` is a boolean. Emitting
 * as 1.1 quotes such strings (`updateMode: "Off"`), so every reader sees a string.
 */
const YAML_OPTIONS = { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

export function toYaml(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, YAML_OPTIONS)).join('---\n');
}

export interface StackIndex {
  readonly stack: string;
  readonly platform: string;
  readonly platformVersion: string;
  readonly kubernetesVersion: string;
  readonly environmentDigest: string;
  readonly files: readonly { file: string; sha256: string; objects: number }[];
}

export function renderStack(spec: EnvironmentSpec, platformVersion: string): RenderedStack {
  const app = buildApp(spec);
  const files: RenderedFile[] = [];
  for (const child of app.node.children) {
    if (!(child instanceof Chart)) continue;
    const objects = child.toJson() as Manifest[];
    if (objects.length === 0) continue;
    files.push({ name: `${child.node.id}.yaml`, objects, content: toYaml(objects) });
  }
  const index: StackIndex = {
    stack: spec.stack,
    platform: spec.name,
    platformVersion,
    kubernetesVersion: spec.kubernetes.version,
    environmentDigest: environmentDigest(spec),
    files: files.map((f) => ({ file: f.name, sha256: sha256(f.content), objects: f.objects.length })),
  };
  return { stack: spec.stack, files, index: `${JSON.stringify(index, null, 2)}\n` };
}
