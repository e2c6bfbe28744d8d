export * from './clock';
export * from './errors';
export * from './messages';
export * from './team';
export * from './post';
