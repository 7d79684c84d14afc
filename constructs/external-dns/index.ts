export * from './args';
export * from './sources';
export * from './sidecar';
export * from './access';
export * from './dns-endpoint-crd';
export * from './token-volume';
