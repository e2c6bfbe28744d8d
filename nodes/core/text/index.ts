export * from './clip';
export * from './mentions';
export * from './markdown';
export * from './url';
export * from './template';
