import { isRecord } from '../util';
import { realEmail } from './email';

/** Whatever is known of a person, as GitLab names them: any of it may be missing (payloads often carry only ids). */
export interface Identity {
	username?: string;
	id?: number;
	/** Only ever a real address: GitLab's `[REDACTED]` is dropped on reading. */
	email?: string;
	name?: string;
}

/** GitLab and Mattermost usernames: letters, digits, `_`, `.` and `-`. */
const USERNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

/** A username as typed, with or without @; undefined when it cannot be one. */
export function usernameOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim().replace(/^@/, '');
	return USERNAME.test(text) ? text : undefined;
}

/** For comparing: usernames are case-insensitive on both servers, and a leading @ is no part of them. */
export function normaliseUsername(value: string): string {
	return value.trim().replace(/^@/, '').toLowerCase();
}

/** A numeric user id given as a number or as digits; anything else undefined. */
export function userIdOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
	if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

function nameOf(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	return text.length > 200 ? text.slice(0, 200) : text;
}

/**
 * A person given as text (a username, `@username` or an e-mail) or as an object with username, id, email and name.
 * Undefined when it names no one that can be looked up: a name alone cannot be.
 */
export function personOf(value: unknown): Identity | undefined {
	if (typeof value === 'string') {
		const email = realEmail(value);
		if (email) return { email };
		const username = usernameOf(value);
		return username ? { username } : undefined;
	}
	if (!isRecord(value)) return undefined;
	const identity: Identity = {};
	const username = usernameOf(own(value, 'username'));
	const id = userIdOf(own(value, 'id'));
	const email = realEmail(own(value, 'email'));
	const name = nameOf(own(value, 'name'));
	if (username !== undefined) identity.username = username;
	if (id !== undefined) identity.id = id;
	if (email !== undefined) identity.email = email;
	if (name !== undefined) identity.name = name;
	return username !== undefined || id !== undefined || email !== undefined ? identity : undefined;
}

/** Own properties only: a key such as `__proto__` in untrusted input must never reach prototype members. */
function own(record: Record<string, unknown>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** One person named twice: the same id, else the same username, else the same e-mail (letter case ignored). */
export function samePerson(a: Identity, b: Identity): boolean {
	if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
	if (a.username && b.username) return normaliseUsername(a.username) === normaliseUsername(b.username);
	if (a.email && b.email) return a.email.toLowerCase() === b.email.toLowerCase();
	return false;
}
