import type { INodeProperties } from 'n8n-workflow';

import { attachmentsJsonOption, blockChannelMentionsOption, propsOption, retriesOption, timeoutOption } from '../../options';

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
			{
				displayName: 'Add Line',
				name: 'appendLine',
				type: 'string',
				default: '',
				placeholder: 'e.g. :eyes: @{{ $json.user.username }} is on it',
				description: 'A line added at the end of the current text (after the new message, if one is given), e.g. who acknowledged an alert',
			},
			{ ...attachmentsJsonOption, description: 'New message attachments as a JSON array; they replace the current ones' },
			blockChannelMentionsOption,
			{ ...propsOption, description: 'Props to set as a JSON object, merged over the post’s current props' },
			{
				displayName: 'Remove Buttons',
				name: 'removeButtons',
				type: 'boolean',
				default: false,
				// Mattermost hands out posts without their buttons' URLs and contexts, so a patch that kept some buttons
				// would write them back without, and they would stop working: it is all or nothing.
				description: 'Whether to take all buttons and menus off the post (e.g. once an alert is silenced)',
			},
			retriesOption,
			timeoutOption,
		],
	},
];
