/**
 * The policy gate: judges Kubernetes manifests as data (parsed YAML plus,
 * optionally, the environment model). It never imports chart code, so it can
 * judge any directory of manifests.
 */
export * from './types';
export * from './manifests';
export * from './schemas';
export * from './runner';
export * from './report';
export * from './gate';
export { RULE_FAMILIES, ALL_RULES } from './rules';
