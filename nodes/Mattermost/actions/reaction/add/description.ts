import type { INodeProperties } from 'n8n-workflow';

import { retriesOption, timeoutOption } from '../../options';

const show = { resource: ['reaction'], operation: ['add'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Post ID',
		name: 'postId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		description: 'ID of the post to react to',
	},
	{
		displayName: 'Emoji Name',
		name: 'emojiName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. white_check_mark',
		displayOptions: { show },
		description: 'Emoji name with or without colons; the reaction is added as the credential’s own user',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [retriesOption, timeoutOption],
	},
];
