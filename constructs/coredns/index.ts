export * from './corefile';
export * from './plugins';
export * from './corefiles';
export * from './coredns';
export * from './rbac';
export * from './cluster-dns';
export * from './cluster-gateway';
export * from './tier-authority';
