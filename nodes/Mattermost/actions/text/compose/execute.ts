import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fillTemplate, formatValue, neutraliseChannelMentions, placeholdersOf, type ValueFormat } from '../../../../core/text';
import { fail } from '../../item';

interface ValueRow {
	name?: string;
	value?: unknown;
	format?: ValueFormat;
	url?: unknown;
}

/** Fills the template with escaped values; the template's own @channel (if any) is neutralised like the rest. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const template = String(this.getNodeParameter('template', itemIndex, '') ?? '');
	const rows = (this.getNodeParameter('values.value', itemIndex, []) as ValueRow[]) ?? [];
	const outputField = String(this.getNodeParameter('outputField', itemIndex, 'text') ?? '').trim() || 'text';
	const serverSplits = this.getNodeParameter('serverSplits', itemIndex, false) === true;
	const values: Record<string, string> = {};
	for (const [n, row] of rows.entries()) {
		const name = String(row.name ?? '').trim();
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(this, itemIndex, `Value ${n + 1} has no usable name ('${name}')`, 'Use letters, digits and _, as in {ticket}.');
		values[name] = formatValue(row.value, row.format ?? 'text', row.url);
	}
	const unknown = placeholdersOf(template).find((name) => !Object.hasOwn(values, name));
	if (unknown) fail(this, itemIndex, `The template has {${unknown}} but no value named ${unknown}`, 'Add a value with that name, or write {{ and }} for literal braces.');
	const text = neutraliseChannelMentions(fillTemplate(template, values), { serverSplits });
	const json: IDataObject = { ...this.getInputData()[itemIndex].json, [outputField]: text };
	return [{ json }];
}
