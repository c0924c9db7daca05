/**
 * Rules that more than one layer enforces, each once, as a pure predicate over plain
 * values. The layers adapt them: the schema (zod refinements, config/schema.ts and
 * config/primitives.ts), the constructs (charts-src/constructs), the add-on values
 * (infra/addons) and the gate (policy/rules). See docs/architecture.md, "Rules".
 */
export * from './amounts';
export * from './resources';
export * from './limit-range';
export * from './disruption';
