export * from './mentions';
export * from './markdown';
