import type { INodeProperties } from 'n8n-workflow';

/** The channel a message goes to: picked from a list, or given by id or by team/channel name. */
export const channelLocator: INodeProperties = {
	displayName: 'Channel',
	name: 'channel',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The channel to post in; the token user must be a member',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a channel...',
			typeOptions: { searchListMethod: 'searchChannels', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 4xp9fdt77pncbef59f4k1qe83o',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[a-z0-9]{26}$', errorMessage: 'A channel id has 26 lower-case letters and digits' },
				},
			],
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. my-team/town-square',
			hint: 'team-name/channel-name, as in the channel URL',
		},
	],
};
