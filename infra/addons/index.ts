/** The add-on layer: definitions, catalogue, graph and the Pulumi component. */
export * from './types';
export * from './catalogue';
export * from './graph';
export { PlatformAddons, type PlatformAddonsArgs } from './platform-addons';
export { REQUESTS_PER_SECOND_METRIC, REQUESTS_PER_SECOND_RULE } from './prometheus-adapter';
