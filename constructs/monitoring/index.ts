export * from './monitors';
export * from './resources';
