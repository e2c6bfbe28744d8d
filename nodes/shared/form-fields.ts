import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { dialogElements, type FormField, type FormFieldType } from '../core/mattermost';
import { splitList } from '../core/util';

/** The fields of a Mattermost dialog, as Send and Wait's form and the Interaction Trigger's dialog ask for them. */
export const formFieldsProperty: INodeProperties = {
	displayName: 'Form Fields',
	name: 'formFields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Field',
	default: {},
	description: 'The fields of the dialog. Their values are the node output data, by field name.',
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Field Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. reason',
					description: 'Key of the value in the output; made from the label when empty',
				},
				{
					displayName: 'Help Text',
					name: 'help',
					type: 'string',
					default: '',
					description: 'Hint shown below the field',
				},
				{
					displayName: 'Label',
					name: 'label',
					type: 'string',
					default: '',
					description: 'Name shown above the field (at most 24 characters)',
				},
				{
					displayName: 'Options',
					name: 'options',
					type: 'string',
					default: '',
					placeholder: 'e.g. low, medium, high',
					description: 'For Select From Options: the choices, separated by commas or one per line',
				},
				{
					displayName: 'Required',
					name: 'required',
					type: 'boolean',
					default: false,
					description: 'Whether the dialog can only be submitted with this field filled in',
				},
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					options: [
						{
							name: 'Long Text',
							value: 'textarea',
						},
						{
							name: 'Number',
							value: 'number',
						},
						{
							name: 'Select From Options',
							value: 'select',
						},
						{
							name: 'Text',
							value: 'text',
						},
						{
							name: 'Yes/No',
							value: 'bool',
						},
					],
					default: 'text',
				},
		],
		},
	],
};

/** The Form Fields parameter as core form fields, checked (a bad field throws InteractiveError naming it). */
export function formFieldsFrom(value: unknown): FormField[] {
	const list = ((value as IDataObject | undefined)?.field as IDataObject[] | undefined) ?? [];
	const fields = list.map((entry) => ({
		label: String(entry.label ?? ''),
		name: String(entry.name ?? ''),
		type: (entry.type as FormFieldType) ?? 'text',
		required: entry.required === true,
		help: String(entry.help ?? ''),
		options: splitList(String(entry.options ?? '')),
	}));
	dialogElements(fields);
	return fields;
}
