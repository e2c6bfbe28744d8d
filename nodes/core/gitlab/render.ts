/**
 * Message templates: `{placeholder}` names filled with values the handlers made safe (escaped, linked, neutralised).
 * Templates come from the workflow author, values from the payload; only values are untrusted.
 */

export const PLACEHOLDERS = [
	'actor',
	'action',
	'kind',
	'object',
	'target',
	'title',
	'url',
	'iid',
	'reference',
	'state',
	'project',
	'labels',
	'note',
	'note_url',
	'description',
	'changes',
	'ref',
	'status',
	'duration',
	'pipeline',
	'failed_jobs',
	'job',
	'stage',
	'reason',
	'environment',
	'emoji',
	'commits',
	'commit_count',
	'tag',
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Values = Partial<Record<Placeholder, string>>;

const KNOWN = new Set<string>(PLACEHOLDERS);
const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export class TemplateError extends Error {
	constructor(
		readonly placeholder: string,
		readonly where: string,
	) {
		super(
			`Unknown placeholder {${placeholder}} in the template for ${where}. Known placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
		);
		this.name = 'TemplateError';
	}
}

/** Throws TemplateError for the first placeholder the renderer does not know. */
export function checkTemplate(template: string, where: string): void {
	for (const match of template.matchAll(TOKEN)) {
		if (match[1] !== undefined && !KNOWN.has(match[1])) throw new TemplateError(match[1], where);
	}
}

/**
 * Fills a template. `{{` and `}}` give literal braces. A line whose placeholders all came out empty is dropped, so a
 * line such as `Labels: {labels}` disappears when there are no labels instead of showing a dangling caption.
 */
export function renderTemplate(template: string, values: Values, where: string): string {
	checkTemplate(template, where);
	const lines: string[] = [];
	for (const line of template.replace(/\r\n?/g, '\n').split('\n')) {
		let placeholders = 0;
		let filled = 0;
		const out = line.replace(TOKEN, (token, name: string | undefined) => {
			if (name === undefined) return token[0];
			placeholders++;
			const value = values[name as Placeholder] ?? '';
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
