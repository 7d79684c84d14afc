export * from './powerdns';
export * from './config';
export * from './names';
export { LOAD_ZONES_SCRIPT } from './load-zones';
