import type { INodeProperties } from 'n8n-workflow';

import { attachmentsJsonOption, blockChannelMentionsOption, propsOption, retriesOption, timeoutOption } from '../../common';

const show = { resource: ['message'], operation: ['update'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Post ID',
		name: 'postId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		description: 'ID of the post to edit, e.g. the ID output by a Send Message step',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: { show },
		description: 'New Markdown text; empty keeps the current text',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ ...attachmentsJsonOption, description: 'New message attachments as a JSON array; they replace the current ones' },
			blockChannelMentionsOption,
			{ ...propsOption, description: 'Props to set as a JSON object, merged over the post’s current props' },
			retriesOption,
			timeoutOption,
		],
	},
];
