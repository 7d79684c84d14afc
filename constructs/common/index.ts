export * from './ip';
export * from './dns-name';
export * from './prop-issues';
export * from './rbac';
export * from './workload';
