import type { IExecuteFunctions } from 'n8n-workflow';
import type { FormatOptions, Language, Layout, Rules, TemplateOverride } from '../core/gitlab';
import { splitList } from '../core/util';

interface RuleParameters extends Partial<Omit<Rules, 'skipActions'>> {
	skipActions?: string;
}

function rulesFrom(parameters: RuleParameters): Partial<Rules> {
	const { skipActions, ...rest } = parameters;
	const rules: Partial<Rules> = { ...rest };
	if (skipActions !== undefined) {
		rules.skipActions = splitList(String(skipActions), /[\s,]+/);
	}
	return rules;
}

/** Message Templates rows with some text; an empty row changes nothing. */
export function templatesOf(ctx: IExecuteFunctions, index: number): TemplateOverride[] {
	return (ctx.getNodeParameter('templates.template', index, []) as TemplateOverride[]).filter((t) => t.template?.trim());
}

/** Everything the formatter needs to know from the node's parameters for one item, its state aside. */
export function formatOptionsOf(ctx: IExecuteFunctions, index: number): Omit<FormatOptions, 'state' | 'headers' | 'now'> {
	return {
		language: ctx.getNodeParameter('language', index, 'en') as Language,
		layout: ctx.getNodeParameter('layout', index, 'text') as Layout,
		retry: ctx.getMode() === 'retry',
		templates: templatesOf(ctx, index),
		rules: rulesFrom(ctx.getNodeParameter('rules', index, {}) as RuleParameters),
	};
}
