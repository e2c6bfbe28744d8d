const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * encodeURIComponent for text from payloads: a lone surrogate half (invalid UTF-16, which payloads can carry) makes
 * encodeURIComponent throw URIError, so it is replaced by U+FFFD first. encodeURIComponent leaves `.` alone, so a
 * segment of dots (`.`, `..`) would still walk up the path; its dots are encoded.
 */
export function encodePathSegment(value: string): string {
	const encoded = encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
	return /^\.+$/.test(encoded) ? encoded.replace(/\./g, '%2E') : encoded;
}
