import { tokenMatches } from '../secrets';
import { splitList } from '../util';
import { fieldString } from './parse';

/** The tokens in the credential: separated by commas, spaces or new lines. */
export function parseTokenList(value: unknown): string[] {
	return splitList(fieldString(value).replace(/\s+/g, ','));
}

/**
 * Every token the request presents: the body or query field `token` (outgoing webhooks and slash commands) and the
 * `Authorization: Token <token>` header (slash commands; `Bearer` is accepted too because Mattermost's docs call it a
 * bearer token). Mattermost sends the same token in both places.
 */
export function presentedTokens(fields: Record<string, unknown>, authorization: unknown): string[] {
	const found: string[] = [];
	for (const [key, value] of Object.entries(fields)) {
		if (key.toLowerCase() !== 'token') continue;
		const values = Array.isArray(value) ? value : [value];
		for (const entry of values) found.push(fieldString(entry));
	}
	const header = fieldString(authorization).trim();
	if (header) {
		const scheme = /^(?:token|bearer)\s+/i.exec(header);
		found.push(scheme && scheme[0].length < header.length ? header.slice(scheme[0].length).trim() : header);
	}
	return found;
}

/**
 * The request is authorised when it presents at least one token and every token it presents is configured. A
 * request with a right token in the body but a wrong one in the header is refused: Mattermost never sends that.
 */
export function isAuthorised(presented: string[], expected: string[]): boolean {
	if (presented.length === 0 || expected.length === 0) return false;
	let allMatch = true;
	for (const token of presented) {
		if (!tokenMatches(token, expected)) allMatch = false;
	}
	return allMatch;
}
