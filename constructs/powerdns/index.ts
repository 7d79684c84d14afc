export * from './names';
export * from './config';
export * from './load-zones';
export * from './ready';
export * from './powerdns';
