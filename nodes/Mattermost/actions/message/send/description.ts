import type { INodeProperties } from 'n8n-workflow';

import { buttonsUi } from './buttons';
import { attachmentsJsonOption, blockChannelMentionsOption, propsOption, retriesOption, timeoutOption, idempotencyKeyOption } from '../../options';
import { attachmentsUi } from '../../attachments';

const show = { resource: ['message'], operation: ['send'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Channel', value: 'channel', description: 'Post in a public or private channel' },
			{ name: 'Direct Message', value: 'direct', description: 'Send each user their own direct message' },
			{ name: 'Group Message', value: 'group', description: 'One group message to 3 to 8 people (including the sender)' },
		],
		default: 'channel',
		description: 'Where the message goes',
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: { show: { ...show, sendTo: ['channel'] } },
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
	},
	{
		displayName: 'Users',
		name: 'users',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, sendTo: ['direct', 'group'] } },
		placeholder: 'e.g. @alice, bob@example.com',
		description:
			'Comma-separated Mattermost user IDs, usernames (with or without @) or e-mails; an expression may also give an array. Direct Message sends one DM per user.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: { show },
		description:
			'Markdown text. Longer than the server allows (MaxPostSize, 16383 characters by default) is split into consecutive posts.',
	},
	{
		displayName: 'Thread Key',
		name: 'threadKey',
		type: 'string',
		default: '',
		displayOptions: { show },
		placeholder: 'e.g. gitlab/42/merge_request/7',
		description:
			'Groups messages into a thread: the first message with a key becomes the root post (per channel, so each DM recipient gets their own thread); later ones reply to it. Empty posts at the top level.',
	},
	{ ...attachmentsUi, displayOptions: { show } },
	{ ...buttonsUi, displayOptions: { show } },
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
				displayName: 'Files From Binary Properties',
				name: 'binaryProperties',
				type: 'string',
				default: '',
				placeholder: 'e.g. data, report',
				description: 'Comma-separated names of binary properties of the input item to attach as files (at most 10)',
			},
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'options',
				options: [
					{ name: 'Standard', value: '' },
					{ name: 'Important', value: 'important' },
					{ name: 'Urgent', value: 'urgent' },
				],
				default: '',
				description:
					'Message priority label. Mattermost allows it only on root posts, so it is left off replies (thread key or reply-to).',
			},
			idempotencyKeyOption,
			propsOption,
			{
				displayName: 'Reply To Post ID',
				name: 'rootId',
				type: 'string',
				default: '',
				description: 'ID of a root post in the same channel to reply to; takes precedence over the thread key',
			},
			retriesOption,
			timeoutOption,
			{
				displayName: 'Update Thread Root',
				name: 'updateThreadRoot',
				type: 'boolean',
				default: false,
				description:
					'Whether to also edit the thread root post so it ends with the first line of this reply as its latest status',
			},
		],
	},
];
