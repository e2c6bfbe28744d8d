export * from './attachments';
export * from './claims';
export * from './delivery';
export * from './retry';
export * from './split';
export * from './threads';
export * from './users';
export * from './interactive';
