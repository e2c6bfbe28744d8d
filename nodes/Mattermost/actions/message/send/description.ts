import type { INodeProperties } from 'n8n-workflow';

import { buttonsUi } from './buttons';
import { channelLocator } from './channel';
import { attachmentsJsonOption, blockChannelMentionsOption, propsOption, retriesOption, timeoutOption, idempotencyKeyOption } from '../../options';
import { attachmentsUi } from '../../attachments';

const show = { resource: ['message'], operation: ['send'] };
const fromFields = { ...show, messageSource: ['fields'] };

const users: INodeProperties = {
	displayName: 'Users',
	name: 'users',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. @alice, bob@example.com',
	description:
		'Comma-separated Mattermost user IDs, usernames (with or without @) or e-mails; an expression may also give an array. Direct Message sends one DM per user.',
};

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
		displayName: 'Message Source',
		name: 'messageSource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Define Below', value: 'fields', description: 'Write the message, thread key and attachments in this node' },
			{
				name: 'From Input Item',
				value: 'input',
				description:
					"Send the message the GitLab Event Formatter or the Recipient Resolver put on each item (its text, attachments, thread key and idempotency key); a direct message goes to the person the Recipient Resolver found",
			},
		],
		default: 'fields',
		description: 'Where the message comes from',
	},
	{ ...channelLocator, displayOptions: { show: { ...show, sendTo: ['channel'] } } },
	// Twice, because n8n cannot show a field on "either of two conditions": a From Input Item DM goes to the item's recipient.
	{ ...users, displayOptions: { show: { ...show, sendTo: ['direct', 'group'], messageSource: ['fields'] } } },
	{ ...users, displayOptions: { show: { ...show, sendTo: ['group'], messageSource: ['input'] } } },
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: { show: fromFields },
		description:
			'Markdown text. Longer than the server allows (MaxPostSize, 16383 characters by default) is split into consecutive posts.',
	},
	{
		displayName: 'Thread Key',
		name: 'threadKey',
		type: 'string',
		default: '',
		displayOptions: { show: fromFields },
		placeholder: 'e.g. gitlab/42/merge_request/7',
		description:
			'Groups messages into a thread: the first message with a key becomes the root post (per channel, so each DM recipient gets their own thread); later ones reply to it. Empty posts at the top level.',
	},
	{ ...attachmentsUi, displayOptions: { show: fromFields } },
	{ ...buttonsUi, displayOptions: { show } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ ...attachmentsJsonOption, displayOptions: { show: { '/messageSource': ['fields'] } } },
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
			{ ...idempotencyKeyOption, displayOptions: { show: { '/messageSource': ['fields'] } } },
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
