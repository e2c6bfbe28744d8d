export * from './mentions';
export * from './markdown';
export * from './url';
