import { SEND_AND_WAIT_OPERATION, type INodeProperties } from 'n8n-workflow';

import { blockChannelMentionsOption } from '../../common';
import { BUTTON_STYLES } from '../send/buttons';
import { description as sendDescription } from '../send/description';

const show = { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] };

/** The channel picker and thread key of Send Message, shown for this operation too. */
function fromSend(name: string, extraShow: Record<string, string[]> = {}): INodeProperties {
	const found = sendDescription.find((p) => p.name === name);
	if (!found) throw new Error(`Send Message has no parameter ${name}`);
	return { ...found, displayOptions: { show: { ...show, ...extraShow } } };
}


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

export const description: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Channel', value: 'channel', description: 'Ask in a public or private channel' },
			{ name: 'Direct Message', value: 'direct', description: 'Ask one user in a direct message' },
		],
		default: 'channel',
		description: 'Where the question goes',
	},
	fromSend('channel', { sendTo: ['channel'] }),
	{
		displayName: 'User',
		name: 'user',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, sendTo: ['direct'] } },
		placeholder: 'e.g. @alice',
		description: 'Mattermost user ID, username (with or without @) or e-mail of the person to ask',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		displayOptions: { show },
		description: 'The question (Markdown). The answer buttons appear below it.',
	},
	{
		...fromSend('threadKey'),
		description: 'Ask in the thread that Send Message started with this key (same channel). Empty, or a key without a thread yet, asks at the top level.',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Approval', value: 'approval', description: 'Approve and Decline buttons, or Approve only' },
			{ name: 'Choice', value: 'choice', description: 'One button per option, or a menu' },
			{ name: 'Form', value: 'form', description: 'A button that opens a Mattermost dialog with the fields below' },
		],
		default: 'approval',
	},
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
	{
		displayName: 'Who May Answer',
		name: 'whoMayAnswer',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Anyone in the Channel', value: 'anyone' },
			{ name: 'Only Listed Users', value: 'listed' },
		],
		default: 'anyone',
		description: 'Anyone else who clicks gets a private note that the request is not for them, and the workflow keeps waiting',
	},
	{
		displayName: 'Allowed Users',
		name: 'allowedUsers',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, whoMayAnswer: ['listed'] } },
		placeholder: 'e.g. @alice, @bob',
		description: 'Mattermost usernames, e-mails or user IDs, separated by commas',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			blockChannelMentionsOption,
			{
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'hours' } },
				description: 'Whether to stop waiting after some time. The node then outputs { timedOut: true }.',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{
								displayName: 'Limit Type',
								name: 'limitType',
								type: 'options',
								default: 'afterTimeInterval',
								options: [
									{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Wait for a certain amount of time' },
									{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Wait until a date and time' },
								],
							},
							{
								displayName: 'Amount',
								name: 'resumeAmount',
								type: 'number',
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
								typeOptions: { minValue: 0, numberPrecision: 2 },
								default: 1,
								description: 'The time to wait',
							},
							{
								displayName: 'Unit',
								name: 'resumeUnit',
								type: 'options',
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
								options: [
									{ name: 'Minutes', value: 'minutes' },
									{ name: 'Hours', value: 'hours' },
									{ name: 'Days', value: 'days' },
								],
								default: 'hours',
								description: 'Unit of the interval value',
							},
							{
								displayName: 'Max Date and Time',
								name: 'maxDateAndTime',
								type: 'dateTime',
								displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
								default: '',
								description: 'Continue execution after the specified date and time',
							},
						],
					},
				],
			},
			{
				displayName: 'Reply To Post ID',
				name: 'rootId',
				type: 'string',
				default: '',
				description: 'ID of a root post in the same channel to ask in its thread; takes precedence over the thread key',
			},
		],
	},
];
