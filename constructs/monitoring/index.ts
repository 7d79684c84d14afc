export * from './names';
export * from './resources';
export * from './monitors';
