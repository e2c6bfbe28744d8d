export * from './store';
export * from './scope';
export * from './instance';
