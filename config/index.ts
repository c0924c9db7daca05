/** The environment model and the contract both engines share. */
export * from './schema';
export * from './errors';
export * from './environment';
export * from './load';
export * from './contract';
export * from './namespaces';
export * from './edge';
export * from './quantity';
export * from './versions';
export * from './catalogue/instance-types';
export * from './digest';
export * from './workloads';
export * from './dist-index';
export * from './backup';
export * from './recovery';
export * from './kubernetes-support';
export * from './kubernetes-support-check';
