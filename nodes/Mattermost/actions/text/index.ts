import type { INodeProperties } from 'n8n-workflow';

import * as compose from './compose/execute';
import { description as composeDescription } from './compose/description';

export { compose };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['text'] } },
		options: [
			{
				name: 'Compose',
				value: 'compose',
				action: 'Compose a message from a template',
				description: 'Fill a Markdown template with values from a payload, each shown exactly as it is (nothing to send, no credential)',
			},
		],
		default: 'compose',
	},
	...composeDescription,
];
