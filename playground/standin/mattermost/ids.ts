import { createHash, randomBytes } from 'node:crypto';

// Mattermost's NewId(): 16 random bytes in base32 with this alphabet, padding dropped, giving 26 lowercase characters.
const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

function encode(bytes: Uint8Array): string {
	let out = '';
	let bits = 0;
	let value = 0;
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += ALPHABET[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
	return out;
}

/** A fresh id in Mattermost's format (26 lowercase alphanumerics). */
export function newId(): string {
	return encode(randomBytes(16));
}

/** A stable id derived from a label, so fixtures can name users/channels readably and still use real-looking ids. */
export function idFor(label: string): string {
	return encode(createHash('sha256').update(label).digest().subarray(0, 16));
}

export function isValidId(value: unknown): value is string {
	return typeof value === 'string' && /^[a-z0-9]{26}$/.test(value);
}
