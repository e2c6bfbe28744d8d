import type { INodeProperties } from 'n8n-workflow';

import * as send from './send/execute';
import { description as sendDescription } from './send/description';
import * as update from './update/execute';
import { description as updateDescription } from './update/description';

export { send, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{ name: 'Send Message', value: 'send', action: 'Send a message', description: 'Post to a channel, as a direct message or as a group message' },
			{ name: 'Update Post', value: 'update', action: 'Update a post', description: 'Edit the text, attachments or props of a post' },
		],
		default: 'send',
	},
	...sendDescription,
	...updateDescription,
];
