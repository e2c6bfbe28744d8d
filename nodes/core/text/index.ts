export * from './clip';
export * from './email';
export * from './mentions';
export * from './markdown';
export * from './url';
export * from './template';
