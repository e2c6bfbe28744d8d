import type { INodeProperties } from 'n8n-workflow';
import { stateStoreProperty } from '../shared/store';
import { channelOptInProperties } from './channelOptIn';
import { mappingProperties } from './mapping';
import { matchingProperties } from './matching';
import { optionsProperty } from './options';

export const properties: INodeProperties[] = [
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'string',
		default: 'recipients',
		description:
			'Name of the input field holding the GitLab people (dot notation for nested fields), or an expression that returns the list itself. Each entry may have username, ID, email, name and role (or roles); a plain text entry is a username or an e-mail.',
	},
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		default: 'perRecipient',
		options: [
			{
				name: 'One Item per Recipient',
				value: 'perRecipient',
				description: 'One item per Mattermost user, with mattermost, gitlab, roles and the rest of the input item',
			},
			{
				name: 'One Item per Input Item',
				value: 'perInput',
				description: 'The input item plus mattermostUsers, the list of its recipients',
			},
		],
	},
	...mappingProperties,
	...matchingProperties,
	...channelOptInProperties,
	optionsProperty,
	stateStoreProperty,
];
