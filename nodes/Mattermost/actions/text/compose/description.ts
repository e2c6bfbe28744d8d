import type { INodeProperties } from 'n8n-workflow';

const show = { resource: ['text'], operation: ['compose'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Template',
		name: 'template',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. :new: **New ticket:** {ticket}\n**Assignee:** {assignee}',
		displayOptions: { show },
		description:
			'Markdown with {name} placeholders for the values below; {{ and }} give literal braces. A line whose placeholders are all empty is left out.',
	},
	{
		displayName: 'Values',
		name: 'values',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Value',
		default: {},
		displayOptions: { show },
		description:
			'Text from outside (a ticket, an alert, a command) shown exactly as it is: Markdown characters are escaped, links only go to http(s) URLs and no @mention notifies anyone',
		options: [
			{
				name: 'value',
				displayName: 'Value',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. ticket',
						description: 'The placeholder it fills: {name} in the template',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The text, usually an expression that reads a field of the input item',
					},
					{
						displayName: 'Show As',
						name: 'format',
						type: 'options',
						default: 'text',
						options: [
							{ name: 'Text', value: 'text', description: 'On one line, every Markdown character escaped' },
							{ name: 'Link', value: 'link', description: 'The text as a link to the URL below (when it is an http(s) URL)' },
							{
								name: 'Quote',
								value: 'quote',
								description: 'A block quote of up to 2,000 characters, line by line, every Markdown character escaped',
							},
						],
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						displayOptions: { show: { format: ['link'] } },
						description: 'Where the link goes; anything but http(s) leaves the text without a link',
					},
				],
			},
		],
	},
	{
		displayName: 'Output Field',
		name: 'outputField',
		type: 'string',
		default: 'text',
		displayOptions: { show },
		description: 'The field of the output item that receives the text; the rest of the input item is kept',
	},
	{
		displayName: 'Will Be Split by the Server',
		name: 'serverSplits',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			'Whether Mattermost itself may cut this text into several posts (a command reply or incoming-webhook text longer than its post size): then @channel, @here and @all are neutralised in code too',
	},
];
