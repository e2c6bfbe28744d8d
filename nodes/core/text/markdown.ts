/** Only http(s) links reach a message; anything else (javascript:, data:, relative paths) gives undefined. */
export function safeUrl(url: unknown): string | undefined {
	if (typeof url !== 'string' || url.length > 4096) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
	// Parentheses and spaces would end a Markdown link early.
	return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

const INLINE_SPECIAL = /[\\`*_~[\]()#|<>!]/g;

/**
 * Escapes text from a payload (titles, names, branch names) so it shows literally on one line inside a message:
 * no emphasis, links, headings, tables or HTML-like tags it did not ask for, and no line breaks that would break
 * the layout.
 */
export function escapeInline(text: unknown): string {
	if (text === undefined || text === null) return '';
	return String(text)
		.replace(/[\r\n\t]+/g, ' ')
		.replace(INLINE_SPECIAL, (c) => `\\${c}`);
}

/** A Markdown link with escaped text, or just the escaped text when the URL is not http(s). */
export function markdownLink(text: unknown, url: unknown): string {
	const label = escapeInline(text);
	const href = safeUrl(url);
	return href ? `[${label}](${href})` : label;
}

/** The first `max` characters of a text, cut at a word boundary, with an ellipsis when shortened. */
export function excerpt(text: unknown, max = 300): string {
	if (text === undefined || text === null) return '';
	const clean = String(text).trim();
	const chars = Array.from(clean);
	if (chars.length <= max) return clean;
	const cut = chars.slice(0, max).join('');
	const space = cut.search(/\s\S*$/);
	return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Makes free-form text (a comment, a commit message) safe inside a block quote. */
export function quote(text: string): string {
	return text
		.split('\n')
		.map((line) => `> ${line}`)
		.join('\n');
}
