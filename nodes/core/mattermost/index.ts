export * from './attachments';
export * from './claims';
export * from './deliver';
export * from './delivery';
export * from './retry';
export * from './split';
export * from './threads';
export * from './users';
