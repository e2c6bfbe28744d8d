import { excerpt, escapeInline, markdownLink } from './markdown';

const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The `{name}` placeholders of a template, in order (`{{` and `}}` are literal braces). */
export function placeholdersOf(template: string): string[] {
	const names: string[] = [];
	for (const match of template.matchAll(TOKEN)) if (match[1] !== undefined) names.push(match[1]);
	return names;
}

/**
 * Fills `{name}` placeholders with values that are already safe Markdown. `{{` and `}}` give literal braces. A line
 * whose placeholders all came out empty is dropped, so a line such as `Labels: {labels}` disappears when there are
 * no labels instead of showing a dangling caption.
 */
export function fillTemplate(template: string, values: Record<string, string | undefined>): string {
	const lines: string[] = [];
	for (const line of template.replace(/\r\n?/g, '\n').split('\n')) {
		let placeholders = 0;
		let filled = 0;
		const out = line.replace(TOKEN, (token, name: string | undefined) => {
			if (name === undefined) return token[0];
			placeholders++;
			const value = Object.hasOwn(values, name) ? (values[name] ?? '') : '';
			if (value !== '') filled++;
			return value;
		});
		if (placeholders > 0 && filled === 0) continue;
		lines.push(out.trimEnd());
	}
	return lines
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** How an untrusted value is written into a message. */
export type ValueFormat = 'text' | 'link' | 'quote';

/** Longest quoted text, in characters; longer ones end with an ellipsis. */
export const MAX_QUOTED = 2000;

/** `@` followed by an invisible character: a value never mentions (and so never notifies) anyone. */
const noMentions = (text: string) => text.replace(/@/g, '@\u200b');

/**
 * An untrusted value (a ticket subject, a note, a name from a payload) as Markdown that shows exactly what it says
 * and nothing more: no emphasis, links, images, headings, HTML or line breaks it did not ask for, and no `@mention`
 * that would notify anyone.
 * - `text`: one line, every Markdown character escaped;
 * - `link`: the text as a link to `url` when that is an http(s) URL, otherwise the text alone;
 * - `quote`: a block quote of the first MAX_QUOTED characters, line by line, every Markdown character escaped, so it
 *   can neither leave the quote nor fake a line of the message around it.
 */
export function formatValue(value: unknown, format: ValueFormat = 'text', url?: unknown): string {
	if (value === undefined || value === null || value === '') return '';
	const text = typeof value === 'string' ? value : String(value);
	if (format === 'link') return noMentions(markdownLink(text, url));
	if (format === 'quote') {
		return excerpt(text, MAX_QUOTED)
			.split(/\r\n?|\n/)
			.map((line) => `> ${noMentions(escapeInline(line))}`.trimEnd())
			.join('\n');
	}
	return noMentions(escapeInline(text));
}
