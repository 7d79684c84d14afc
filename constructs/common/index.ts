export * from './ip';
export * from './dns-name';
export * from './prop-issues';
export * from './rbac';
export * from './workload';
export * from './crd';
export * from './dns-server';
export * from './node-agent';
