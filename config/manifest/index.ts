/**
 * The manifest core: the Kubernetes object type, reading YAML manifests (fast for the
 * plain documents synth writes, exact lines from the full parser), API group and version
 * parsing, and Kubernetes quantities. policy/, infra/, tools/ and charts-src/ use it; it
 * imports nothing of ours.
 */
export * from './object';
export { readYaml, type ReadYamlOptions, type YamlDocument, type YamlProblem, type YamlStream } from './read';
export { readYamlFile, type ReadYamlFileOptions } from './read-file';
export * from './quantity';
export { readPlainYaml } from './plain-yaml';
