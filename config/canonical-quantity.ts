/**
 * The canonical form of a Kubernetes quantity (`1000m` → `1`): the manifest core's
 * (config/manifest/quantity.ts), under the name it has always had.
 */
export { canonicalQuantity } from './manifest/quantity';
