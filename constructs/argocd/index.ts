export * from './application';
export * from './app-project';
export * from './sync-options';
