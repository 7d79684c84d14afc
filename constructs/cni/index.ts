export * from './install';
export * from './network-config';
export * from './plugins';
export * from './versions';
export { CNI_WRITER_SCRIPT } from './writer-script';
export * from './cluster-network';
