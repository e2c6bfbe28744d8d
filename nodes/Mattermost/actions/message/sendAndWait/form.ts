import type { IDataObject } from 'n8n-workflow';

import { dialogElements, type FormField, type FormFieldType } from '../../../../core/mattermost';

/** The Form Fields parameter as core form fields, checked (a bad field throws InteractiveError naming it). */
export function formFieldsFrom(value: unknown): FormField[] {
	const list = ((value as IDataObject | undefined)?.field as IDataObject[] | undefined) ?? [];
	const fields = list.map((entry) => ({
		label: String(entry.label ?? ''),
		name: String(entry.name ?? ''),
		type: (entry.type as FormFieldType) ?? 'text',
		required: entry.required === true,
		help: String(entry.help ?? ''),
		options: String(entry.options ?? '')
			.split(/[,\n]/)
			.map((s) => s.trim())
			.filter(Boolean),
	}));
	dialogElements(fields);
	return fields;
}
