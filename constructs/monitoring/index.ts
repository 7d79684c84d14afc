export * from './names';
export * from './monitors';
