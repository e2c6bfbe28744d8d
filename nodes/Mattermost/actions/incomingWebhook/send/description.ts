import type { INodeProperties } from 'n8n-workflow';

import { attachmentsJsonOption, blockChannelMentionsOption, propsOption, retriesOption, timeoutOption } from '../../options';

const show = { resource: ['incomingWebhook'], operation: ['send'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: { show },
		description: 'Markdown text of the post (may be empty when attachments are given); Mattermost splits long text itself',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			attachmentsJsonOption,
			blockChannelMentionsOption,
			{
				displayName: 'Channel',
				name: 'channel',
				type: 'string',
				default: '',
				placeholder: 'e.g. town-square or @alice',
				description: 'Channel name or @username to post to instead of the credential’s or the webhook’s default',
			},
			{
				displayName: 'Icon Emoji',
				name: 'iconEmoji',
				type: 'string',
				default: '',
				placeholder: 'e.g. rocket',
				description: 'Emoji to show as the profile picture (needs icon overrides enabled on the server)',
			},
			{
				displayName: 'Icon URL',
				name: 'iconUrl',
				type: 'string',
				default: '',
				description: 'Picture to show instead of the credential’s default (needs icon overrides enabled on the server)',
			},
			propsOption,
			retriesOption,
			timeoutOption,
			{
				displayName: 'Username',
				name: 'username',
				type: 'string',
				default: '',
				description: 'Name to show instead of the credential’s default (needs username overrides enabled on the server)',
			},
		],
	},
];
