export * from './args';
export * from './parse';
export * from './token';
export * from './loop';
export * from './reply';
