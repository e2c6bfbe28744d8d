/** Small helpers every part of the core reads untrusted input with. */

export type Rec = Record<string, unknown>;

/** A plain object: not null, not an array. */
export function isRecord(value: unknown): value is Rec {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A header's value by name in any letter case (HTTP header names are case-insensitive, and n8n, GitLab and test
 * tools write them differently); the first one of a repeated header. Only text, numbers and booleans count.
 */
export function headerValue(headers: Rec | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const raw = headers[key];
		const value = Array.isArray(raw) ? raw[0] : raw;
		if (typeof value === 'string') return value;
		if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
	}
	return undefined;
}

/** The entries of a list typed into one field: split at the separators (commas and line breaks unless told), trimmed, empty ones dropped. */
export function splitList(value: unknown, separators: RegExp = /[,\r\n]+/): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(separators)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/** A JSON parameter that may arrive as text or already parsed. */
export function jsonValue(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	if (!value.trim()) return undefined;
	return JSON.parse(value);
}
