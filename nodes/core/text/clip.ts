/**
 * How much untrusted text is ever scanned. Mattermost's largest MaxPostSize is 65,535 runes and it looks no further
 * into a post than that; four times that (in UTF-16 units) leaves room for Markdown around a long message while a
 * multi-megabyte payload field costs no more than this to read.
 */
export const MAX_SCANNED_TEXT = 4 * 65_536;

/** Shown at the end of a text that was clipped, so readers know something is missing. */
export function clippedNotice(dropped: number): string {
	return `\n\n… (clipped: ${dropped.toLocaleString('en-US')} more characters not shown)`;
}

/**
 * The text cut to `max` UTF-16 units (never inside a surrogate pair) with a notice saying how much was left out, or
 * the text itself when it fits.
 */
export function clipText(text: string, max = MAX_SCANNED_TEXT): string {
	if (text.length <= max) return text;
	let end = max;
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end--;
	return text.slice(0, end) + clippedNotice(text.length - end);
}
