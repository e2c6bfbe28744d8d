import { isEmailAddress, personOf } from '../people';
import { isRecord } from '../util';

/** How a user was named in the node's input: by Mattermost user id, by username or by e-mail. */
export type UserReference =
	| { kind: 'id'; value: string; raw: string }
	| { kind: 'username'; value: string; raw: string }
	| { kind: 'email'; value: string; raw: string };

/** Mattermost ids: 26 characters of lower-case base32. */
const ID = /^[a-z0-9]{26}$/;

/** Whether a value is a Mattermost id, the only thing an id may be where it goes into an API path. */
export function isMattermostId(value: string): boolean {
	return ID.test(value);
}
const USERNAME = /^[a-z0-9.\-_]+$/i;

/**
 * One reference. `@name` is always a username; `a@b.c` is an e-mail; 26 lower-case letters/digits is an id
 * (write `@name` for the rare username that looks like one); anything else is a username. Usernames and
 * e-mails are compared case-insensitively by Mattermost, so they are lower-cased.
 */
export function parseUserReference(input: string): UserReference {
	const raw = input.trim();
	if (!raw) throw new Error('empty user reference');
	if (raw.startsWith('@')) {
		const name = raw.slice(1);
		if (!name || !USERNAME.test(name)) throw new Error(`'${raw}' is not a valid username`);
		return { kind: 'username', value: name.toLowerCase(), raw };
	}
	if (raw.includes('@')) {
		if (!isEmailAddress(raw)) throw new Error(`'${raw}' is not a valid e-mail address`);
		return { kind: 'email', value: raw.toLowerCase(), raw };
	}
	if (ID.test(raw)) return { kind: 'id', value: raw, raw };
	if (!USERNAME.test(raw)) throw new Error(`'${raw}' is not a valid user id, username or e-mail`);
	return { kind: 'username', value: raw.toLowerCase(), raw };
}

/**
 * A list of references from a comma/space/newline separated string or an array (of strings or of objects with
 * id, username or email, as upstream nodes output them). Duplicates are removed, order is kept.
 */
export function parseUserList(input: unknown): UserReference[] {
	const parts: string[] = [];
	const add = (value: unknown) => {
		if (value === undefined || value === null || value === '') return;
		if (typeof value === 'string') {
			parts.push(...value.split(/[\s,;]+/).filter(Boolean));
		} else if (typeof value === 'number') {
			parts.push(String(value));
		} else if (Array.isArray(value)) {
			value.forEach(add);
		} else if (isRecord(value)) {
			// A Mattermost id is text; a GitLab person (numeric id) is found by username or e-mail, read by the people rules.
			const person = personOf(value);
			const id = typeof value.id === 'string' && value.id.trim() ? value.id : undefined;
			const pick = id ?? (person?.username ? `@${person.username}` : person?.email);
			if (pick === undefined) throw new Error('a user object needs a Mattermost id, a username or an e-mail');
			add(pick);
		} else {
			throw new Error(`cannot read a user from ${typeof value}`);
		}
	};
	add(input);
	const seen = new Set<string>();
	const out: UserReference[] = [];
	for (const part of parts) {
		const ref = parseUserReference(part);
		const key = `${ref.kind}:${ref.value}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(ref);
	}
	return out;
}
