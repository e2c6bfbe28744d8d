import type { INodeProperties } from 'n8n-workflow';

import { BUTTON_STYLES } from '../send/buttons';
import { formFieldsProperty } from '../../../../shared/form-fields';

/** The parameters of each Response Type: Approval's buttons, Choice's options, Form's dialog. */
export function responseTypeProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Approval Options',
			name: 'approvalOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: { ...show, responseType: ['approval'] } },
			options: [
				{ displayName: 'Approve Button Label', name: 'approveLabel', type: 'string', default: 'Approve' },
				{ displayName: 'Approve Button Style', name: 'approveStyle', type: 'options', options: BUTTON_STYLES, default: 'success' },
				{ displayName: 'Decline Button Label', name: 'declineLabel', type: 'string', default: 'Decline' },
				{ displayName: 'Decline Button Style', name: 'declineStyle', type: 'options', options: BUTTON_STYLES, default: 'danger' },
				{
					displayName: 'Type of Approval',
					name: 'approvalType',
					type: 'options',
					options: [
						{ name: 'Approve Only', value: 'single' },
						{ name: 'Approve and Decline', value: 'double' },
					],
					default: 'double',
				},
			],
		},
		{
			displayName: 'Choices',
			name: 'choices',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { ...show, responseType: ['choice'] } },
			placeholder: 'e.g. staging, production',
			description: 'The options to choose from, separated by commas or one per line. The node outputs the chosen one as data.choice.',
		},
		{
			displayName: 'Show Choices As',
			name: 'choiceStyle',
			type: 'options',
			displayOptions: { show: { ...show, responseType: ['choice'] } },
			options: [
				{ name: 'Buttons', value: 'buttons', description: 'One button per option (best for up to 5)' },
				{ name: 'Menu', value: 'menu', description: 'A drop-down menu' },
			],
			default: 'buttons',
		},
		{
			displayName: 'Menu Label',
			name: 'menuLabel',
			type: 'string',
			default: 'Choose…',
			displayOptions: { show: { ...show, responseType: ['choice'], choiceStyle: ['menu'] } },
			description: 'Text shown on the menu before anything is chosen',
		},
		{
			displayName: 'Form Button Label',
			name: 'formButtonLabel',
			type: 'string',
			default: 'Respond',
			displayOptions: { show: { ...show, responseType: ['form'] } },
			description: 'The button that opens the dialog',
		},
		{
			displayName: 'Form Title',
			name: 'formTitle',
			type: 'string',
			default: 'Respond',
			displayOptions: { show: { ...show, responseType: ['form'] } },
			description: 'Title of the dialog (Mattermost shows at most 24 characters)',
		},
		{ ...formFieldsProperty, displayOptions: { show: { ...show, responseType: ['form'] } } },
	];
}
