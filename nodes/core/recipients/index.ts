export * from './types';
export { parseMapping, realEmail, REDACTED } from './mapping';
export { resolveRecipients, resolveRecipientsBatch, toIdentity, describePerson, gatherUnreached } from './resolve';
export { cachedDirectory } from './cache';
