/**
 * The add-ons the platform can install, by name. A leaf module (it imports nothing):
 * the pinned versions (versions.ts) and the support table (kubernetes-support.ts) both
 * key on it without importing each other in a cycle.
 */
export type AddonName =
  | 'keda'
  | 'vpa'
  | 'metricsServer'
  | 'prometheusAdapter'
  | 'kubePrometheusStack'
  | 'falco'
  | 'vault'
  | 'istioBase'
  | 'istioCni'
  | 'istiod'
  | 'istioGateway'
  | 'clusterAutoscaler'
  | 'hcloudCcm'
  | 'hcloudCsi'
  | 'snapshotController'
  | 'certManager'
  | 'externalDns'
  | 'fluentBit'
  | 'falcosidekick'
  | 'velero'
  | 'awsLoadBalancerController'
  | 'nvidiaDevicePlugin';
