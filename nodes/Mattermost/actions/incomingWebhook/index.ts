import type { INodeProperties } from 'n8n-workflow';

import * as send from './send/execute';
import { description as sendDescription } from './send/description';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['incomingWebhook'] } },
		options: [{ name: 'Send', value: 'send', action: 'Send via incoming webhook', description: 'Post through an incoming webhook URL' }],
		default: 'send',
	},
	...sendDescription,
];
