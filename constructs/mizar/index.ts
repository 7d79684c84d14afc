export * from './crds';
export { VPC_SUBNET_STATES } from './crd-schemas';
export * from './daemon';
export * from './mizar';
export * from './operator';
export * from './placement';
export * from './rbac';
export * from './subnet';
export * from './vpc';
