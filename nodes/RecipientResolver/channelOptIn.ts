import type { INodeProperties } from 'n8n-workflow';

/** Step 5: people opt in by joining a channel. */
export const channelOptInProperties: INodeProperties[] = [
	{
		displayName: 'Only Members of a Channel',
		name: 'onlyChannelMembers',
		type: 'boolean',
		default: false,
		description: 'Whether only members of one Mattermost channel receive anything, so people opt in by joining it (step 5)',
	},
	{
		displayName: 'Team Name',
		name: 'team',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. engineering',
		description: 'The team as it appears in the Mattermost URL',
		displayOptions: { show: { onlyChannelMembers: [true] } },
	},
	{
		displayName: 'Channel Name',
		name: 'channel',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. gitlab-notifications',
		description: 'The channel as it appears in the Mattermost URL',
		displayOptions: { show: { onlyChannelMembers: [true] } },
	},
];
