export * from './powerdns';
export * from './config';
export * from './layout';
export { LOAD_ZONES_SCRIPT } from './load-zones';
