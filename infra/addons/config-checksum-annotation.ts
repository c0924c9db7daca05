/** Annotation on the autoscaler's pod template that changes whenever its environment does (config-checksum.ts). */
export const ENV_CHECKSUM_ANNOTATION = 'checksum/agent-platform.io-env';
