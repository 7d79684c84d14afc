export * from './zone';
export * from './compile';
export * from './bind';
export * from './zone-file';
export * from './source';
export * from './record-names';
