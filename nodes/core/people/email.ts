/**
 * One e-mail rule for the whole package, the addresses both servers accept: GitLab (one `@`, no white space) and
 * Mattermost (Go's `net/mail` address without a display name), so `jane@intranet` on a closed network is an address,
 * and `a,b@x.io`, `<a@x.io>` or `"a"@x.io` are not. Written so its time is linear whatever the input.
 */
const EMAIL = /^[^\s@<>()[\],;:"\\]{1,64}@[^\s@<>()[\],;:"\\]{1,255}$/;

export function isEmailAddress(text: string): boolean {
	if (!EMAIL.test(text)) return false;
	const [local, domain] = text.split('@');
	// Dots separate words: none first, last or doubled, on either side (net/mail refuses them unquoted).
	return [local, domain].every((part) => !part.startsWith('.') && !part.endsWith('.') && !part.includes('..'));
}

/** A usable e-mail, trimmed: GitLab's `[REDACTED]` and anything that is not an address are not. */
export function realEmail(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	return isEmailAddress(text) ? text : undefined;
}
