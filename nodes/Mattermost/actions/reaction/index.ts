import type { INodeProperties } from 'n8n-workflow';

import * as add from './add/execute';
import { description as addDescription } from './add/description';

export { add };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['reaction'] } },
		options: [{ name: 'Add', value: 'add', action: 'Add a reaction', description: 'Add an emoji reaction to a post' }],
		default: 'add',
	},
	...addDescription,
];
