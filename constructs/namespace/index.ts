export * from './names';
export * from './namespace';
