/**
 * Applied objects are named by identity, not by the dist/ file that holds them: the
 * ConfigGroup of every file gets the same resource prefix (so moving an object between
 * charts keeps its URN), and each child is aliased to the per-file name it had before.
 */
import * as pulumi from '@pulumi/pulumi';
import { installMocks, valueOf, type RecordedResource } from '../support/pulumi-mocks';

const mocks = installMocks();

import { parseAllDocuments } from 'yaml';
import type { EnvironmentSpec } from '../../config';
import {
  appliedObjectName,
  appliedObjectType,
  legacyNameAliases,
  type ObjectIdentity,
} from '../../infra/applied-names';
import type { PlatformOutputs } from '../../infra/program';
import { stackSpec } from '../support/environments';
import { committedFile, committedFiles, fakeCluster, writeDist, type DistFile } from './support';

const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';

async function configGroups(spec: EnvironmentSpec, files: readonly DistFile[]): Promise<RecordedResource[]> {
  mocks.reset();
  const { definePlatform } = await import('../../infra/program');
  const out: PlatformOutputs = definePlatform(spec, { cluster: fakeCluster(spec), distDir: writeDist(spec, files) });
  const groups = [...Object.values(out.namespaces.groups), ...Object.values(out.manifests.groups)];
  await valueOf(pulumi.all(groups.map((g) => g.urn)));
  return mocks.resources.filter((r) => r.type === CONFIG_GROUP);
}

const objectsOf = (text: string): ObjectIdentity[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as ObjectIdentity | null)
    .filter((o): o is ObjectIdentity => o !== null);

const committed = (stack: 'staging' | 'prod'): DistFile[] =>
  committedFiles(stack).map((name) => ({ name, content: committedFile(stack, name) }));

/** The Pulumi name the engine gives each object: the recorded prefix of the group holding its file. */
async function appliedNames(spec: EnvironmentSpec, files: readonly DistFile[]): Promise<Map<string, string>> {
  const groups = await configGroups(spec, files);
  const names = new Map<string, string>();
  for (const file of files) {
    const group = groups.find((g) => g.inputs.yaml === file.content);
    if (!group) throw new Error(`no ConfigGroup applies ${file.name}`);
    for (const o of objectsOf(file.content)) {
      const key = `${appliedObjectType(o)} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      names.set(key, appliedObjectName(String(group.inputs.resourcePrefix), o));
    }
  }
  return names;
}

describe('names of applied objects', () => {
  it.each(['staging', 'prod'] as const)('%s: every file is applied with the stack-wide prefix', async (stack) => {
    const spec = stackSpec(stack);
    const groups = await configGroups(spec, committed(stack));
    expect(groups.length).toBe(committedFiles(stack).length);
    for (const g of groups) expect(g.inputs.resourcePrefix).toBe('lobstack');
  });

  it('pins the names and types of objects of both stacks', async () => {
    const names = await appliedNames(stackSpec('staging'), committed('staging'));
    expect(names.get('kubernetes:apps/v1:Deployment lobstack-control-plane/api')).toBe(
      'lobstack-lobstack-control-plane/api',
    );
    expect(names.get('kubernetes:core/v1:Namespace /lobstack-agents')).toBe('lobstack-lobstack-agents');
    const prod = await appliedNames(stackSpec('prod'), committed('prod'));
    for (const all of [names, prod]) {
      // No two objects collapse onto one URN (type + name), and no name carries a file.
      const urns = [...all].map(([key, name]) => `${key.split(' ')[0]}::${name}`);
      expect(new Set(urns).size).toBe(all.size);
      for (const name of all.values()) expect(name).not.toMatch(/-manifests-|-namespaces-/);
    }
  });

  it('moving an object to another chart file keeps its name (and so its URN)', async () => {
    const spec = stackSpec('staging');
    const files = committed('staging');
    const from = files.find((f) => f.name === 'control-plane.yaml')!;
    const to = files.find((f) => f.name === 'monitoring.yaml')!;
    const docs = from.content.split(/^---\n/m);
    const monitor = docs.findIndex((d) => /^kind: ServiceMonitor$/m.test(d));
    expect(monitor).toBeGreaterThanOrEqual(0);
    const moved: DistFile[] = files.map((f) => {
      if (f === from) return { ...f, content: docs.filter((_, i) => i !== monitor).join('---\n') };
      if (f === to) return { ...f, content: `${to.content}---\n${docs[monitor]!.replace(/\n*$/, '\n')}` };
      return f;
    });
    const before = await appliedNames(spec, files);
    const after = await appliedNames(spec, moved);
    const key = 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor lobstack-control-plane/api';
    expect(before.get(key)).toBeDefined();
    expect(after.get(key)).toBe(before.get(key));
    expect(after).toEqual(before);
  });
});

describe('aliases to the per-file names used before', () => {
  const transform = legacyNameAliases('lobstack', 'lobstack-manifests-control-plane');
  const child = (name: string, custom = true) => ({
    custom,
    type: 'kubernetes:apps/v1:Deployment',
    name,
    props: { kind: 'Deployment' },
    opts: { aliases: [{ name: 'kept' }] },
  });

  it('gives each object the name the file-derived prefix gave it, keeping other aliases', () => {
    const result = transform(child('lobstack-lobstack-control-plane/api')) as pulumi.ResourceTransformResult;
    // Before: ConfigGroup `lobstack-manifests-control-plane` with the default prefix (its own name).
    expect(result.opts.aliases).toEqual([
      { name: 'kept' },
      { name: 'lobstack-manifests-control-plane-lobstack-control-plane/api' },
    ]);
    expect(result.props).toEqual({ kind: 'Deployment' });
  });

  it('leaves the ConfigGroup component and foreign names alone', () => {
    expect(transform(child('lobstack-manifests-control-plane', false))).toBeUndefined();
    expect(transform(child('other-x'))).toBeUndefined();
  });
});
