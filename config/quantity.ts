/**
 * Kubernetes resource quantities: the manifest core's module (config/manifest/quantity.ts),
 * under the name the environment model has always imported.
 */
export { bytes, cpuMillis, formatBytes, formatCpu, isByteQuantity, isCpuQuantity } from './manifest/quantity';
