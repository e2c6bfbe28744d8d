import { normaliseUsername, realEmail, type Identity } from '../people';
import type { MappingInput } from './types';

export interface Mapping {
	byUsername: Map<string, string>;
	byId: Map<number, string>;
	byEmail: Map<string, string>;
}

/** E-mails are compared without letter case, as both servers do. */
export function emailKey(value: unknown): string | undefined {
	return realEmail(value)?.toLowerCase();
}

export function emptyMapping(): Mapping {
	return { byUsername: new Map(), byId: new Map(), byEmail: new Map() };
}

/**
 * Reads a mapping whose keys are whatever a person types: digits are a GitLab user id, an address is an e-mail,
 * anything else a username (a leading @ is ignored). Later entries win over earlier ones for the same key.
 */
export function parseMapping(input: MappingInput | undefined, into: Mapping = emptyMapping()): Mapping {
	if (input === undefined || input === null) return into;
	if (typeof input !== 'object') {
		throw new Error('the mapping must be an object of GitLab username, id or e-mail → Mattermost username');
	}
	const entries: Array<[unknown, unknown]> = Array.isArray(input)
		? input.map((entry) => [entry?.gitlab, entry?.mattermost])
		: Object.entries(input);
	for (const [rawKey, rawTarget] of entries) {
		const key = typeof rawKey === 'number' ? String(rawKey) : rawKey;
		if (typeof key !== 'string' || key.trim() === '') throw new Error('a mapping entry has an empty GitLab user');
		if (typeof rawTarget !== 'string' || normaliseUsername(rawTarget) === '') {
			throw new Error(`the mapping for "${key}" must be a Mattermost username`);
		}
		const target = normaliseUsername(rawTarget);
		const trimmed = key.trim();
		if (/^\d+$/.test(trimmed)) into.byId.set(Number(trimmed), target);
		else if (emailKey(trimmed)) into.byEmail.set(emailKey(trimmed) as string, target);
		else into.byUsername.set(normaliseUsername(trimmed), target);
	}
	return into;
}

/** Every distinct Mattermost username the mapping gives for what is known of this person. */
export function mappedTargets(mapping: Mapping, identity: Identity): string[] {
	const found = new Set<string>();
	if (identity.username) {
		const hit = mapping.byUsername.get(normaliseUsername(identity.username));
		if (hit) found.add(hit);
	}
	if (identity.id !== undefined) {
		const hit = mapping.byId.get(identity.id);
		if (hit) found.add(hit);
	}
	const email = emailKey(identity.email);
	if (email) {
		const hit = mapping.byEmail.get(email);
		if (hit) found.add(hit);
	}
	return [...found];
}
