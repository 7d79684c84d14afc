export * from './names';
export * from './sync-options';
export * from './application';
export * from './app-project';
