export * from './types';
export { parseMapping } from './mapping';
export { resolveRecipients, resolveRecipientsBatch, toIdentity, describePerson, gatherUnreached } from './resolve';
export { cachedDirectory } from './cache';
