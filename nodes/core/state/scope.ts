/**
 * Key scopes: the one place that says whose a remembered thing is. State belongs to one node of one workflow (two
 * Mattermost nodes in a workflow keep separate books; renaming a node starts afresh, as n8n's static data does), and
 * server answers also belong to the server and token they came from. Keys are hashed: they may hold e-mails and
 * tokens, and a fixed short length keeps the stores compact.
 */
import { createHash } from 'node:crypto';

/** Package's prefix in a shared Redis, next to n8n's own `bull:` and `n8n:` keys. */
export const KEY_PREFIX = 'mattermost-devops';

/** A short, stable hash of a key (48 bits, base64url): collisions are negligible for books of thousands of keys. */
export function hashKey(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

/** The scope of one node in one workflow. */
export function nodeScope(workflowId: string | undefined, nodeName: string): string {
	return createHash('sha256').update(`${workflowId ?? ''}\u0000${nodeName}`).digest('base64url').slice(0, 12);
}

/** Who answers came from: the servers and tokens they were asked with (only a hash is kept). */
export function identityScope(...parts: string[]): string {
	return createHash('sha256').update(parts.map((p) => p.trim().replace(/\/+$/, '')).join('\u0000')).digest('base64url').slice(0, 12);
}

/** A key within an identity, for books that several identities share (a node whose credential changed). */
export const withIdentity = (identity: string, key: string) => `${identity}|${key}`;
