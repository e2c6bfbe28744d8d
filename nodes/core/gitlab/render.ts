import { fillTemplate, placeholdersOf } from '../text';

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
	for (const name of placeholdersOf(template)) {
		if (!KNOWN.has(name)) throw new TemplateError(name, where);
	}
}

/** Fills a template (see fillTemplate) after checking its placeholders. */
export function renderTemplate(template: string, values: Values, where: string): string {
	checkTemplate(template, where);
	return fillTemplate(template, values);
}
