/**
 * One Pod Security control: a check of one pod template at one level (baseline or
 * restricted) reporting under one rule id, plus the small readers the controls share.
 */
import { asObject, asString } from '../manifests';
import type { PathSegment, Violation } from '../types';
import type { ContainerRef, PodTemplate } from '../workloads';

export interface PssControl {
  readonly rule: string;
  /** The lowest level that enforces the control. */
  readonly level: 'baseline' | 'restricted';
  /** Version-dependent controls read `version` (the namespace's policy minor). */
  readonly check: (template: PodTemplate, version: string) => Violation[];
}

/** `container "api"`, `init container "migrate"`, `ephemeral container "debug"`. */
export function where(c: ContainerRef): string {
  const what =
    c.list === 'containers' ? 'container' : c.list === 'initContainers' ? 'init container' : 'ephemeral container';
  return `${what} "${c.name}"`;
}

export const securityContextOf = (c: ContainerRef) => asObject(c.container.securityContext);

export const securityContextPath = (c: ContainerRef, ...rest: PathSegment[]): PathSegment[] => [
  ...c.path,
  'securityContext',
  ...rest,
];

export const podSecurityContextOf = (t: PodTemplate) => asObject(t.spec.securityContext);

export const podSecurityContextPath = (t: PodTemplate, ...rest: PathSegment[]): PathSegment[] => [
  ...t.specPath,
  'securityContext',
  ...rest,
];

export const isWindows = (t: PodTemplate) => asString(asObject(t.spec.os).name) === 'windows';
