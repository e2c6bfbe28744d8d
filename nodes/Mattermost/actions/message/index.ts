import { SEND_AND_WAIT_OPERATION, type INodeProperties } from 'n8n-workflow';

import * as send from './send/execute';
import * as sendAndWait from './sendAndWait/execute';
import { description as sendAndWaitDescription } from './sendAndWait/description';
import { webhook as sendAndWaitWebhook } from './sendAndWait/webhook';
import { description as sendDescription } from './send/description';
import * as update from './update/execute';
import { description as updateDescription } from './update/description';

export { send, sendAndWait, sendAndWaitWebhook, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{ name: 'Send Message', value: 'send', action: 'Send a message', description: 'Post to a channel, as a direct message or as a group message' },
			{
				name: 'Send and Wait for Response',
				value: SEND_AND_WAIT_OPERATION,
				action: 'Send a message and wait for response',
				description: 'Ask for an approval, a choice or a form and continue with the answer',
			},
			{ name: 'Update Post', value: 'update', action: 'Update a post', description: 'Edit the text, attachments or props of a post' },
		],
		default: 'send',
	},
	...sendDescription,
	...sendAndWaitDescription,
	...updateDescription,
];
