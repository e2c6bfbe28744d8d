import type { INodeProperties } from 'n8n-workflow';

import { respondOptions } from '../shared/webhook-fields';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Give Mattermost this node\'s Production URL as the callback URL of an outgoing webhook (Integrations > Outgoing Webhooks, content type JSON or form) or as the request URL of a slash command (POST or GET), and put the token Mattermost shows into the credential',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName:
			'Mattermost refuses to call n8n on a private, loopback or link-local address (10.x, 172.16-31.x, 192.168.x, 127.x, internal host names that resolve to them) unless System Console > Environment > Developer > Allow untrusted internal connections to (ServiceSettings.AllowedUntrustedInternalConnections) lists n8n\'s host name or address. A self-signed n8n certificate also needs Enable Insecure Outgoing Connections. Outgoing webhooks fire in public channels only.',
		name: 'networkNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: 'mattermost-command',
		required: true,
		placeholder: 'mattermost-command',
		description: 'The last part of the webhook URL: https://your-n8n/webhook/&lt;path&gt;',
	},
	{
		displayName: 'Respond',
		name: 'responseMode',
		type: 'options',
		options: respondOptions('Answer at once with the acknowledgement text below, then run the workflow'),
		default: 'onReceived',
		description:
			'When and how to answer Mattermost. Mattermost waits at most 30 seconds; a workflow that may take longer should answer immediately and post its result with the Mattermost DevOps node.',
	},
	{
		displayName:
			'Mattermost posts the text field of the JSON the last node outputs. Set <code>text</code>, and <code>response_type</code>: <code>comment</code> replies in the thread of an outgoing-webhook trigger (Mattermost drops it when the trigger post is itself a thread reply; leave <code>response_type</code> out to post in the channel), <code>ephemeral</code> or <code>in_channel</code> for slash commands. Neutralise @channel in text you echo back.',
		name: 'lastNodeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { responseMode: ['lastNode'] } },
	},
	{
		displayName:
			'Use the Respond to Webhook node with type version 1 (newer versions accept only n8n\'s own Webhook node as trigger) and Respond With JSON, e.g. <code>{"text": "Done", "response_type": "comment"}</code> for outgoing webhooks or <code>{"text": "Done", "response_type": "ephemeral"}</code> for slash commands',
		name: 'responseNodeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { responseMode: ['responseNode'] } },
	},
	{
		displayName: 'Acknowledgement Text',
		name: 'acknowledgement',
		type: 'string',
		default: '',
		placeholder: 'e.g. On it…',
		description:
			'Reply posted at once: in the thread of the triggering post for outgoing webhooks, as the command answer for slash commands. Leave empty to answer with an empty body, so Mattermost posts nothing.',
		displayOptions: { show: { responseMode: ['onReceived'] } },
	},
	{
		displayName: 'Slash Command Reply Visibility',
		name: 'slashResponseType',
		type: 'options',
		options: [
			{ name: 'Only the Caller (Ephemeral)', value: 'ephemeral' },
			{ name: 'Everyone in the Channel', value: 'in_channel' },
		],
		default: 'ephemeral',
		description: 'Who sees the acknowledgement of a slash command',
		displayOptions: { show: { responseMode: ['onReceived'] } },
	},
	{
		displayName: 'Outgoing Webhook Reply',
		name: 'outgoingReplyPlace',
		type: 'options',
		options: [
			{
				name: 'In the Thread of the Trigger Post',
				value: 'thread',
				description: 'Mattermost drops the reply when the trigger word was typed as a reply inside a thread',
			},
			{ name: 'In the Channel', value: 'channel', description: 'A new post in the channel; works wherever the trigger word was typed' },
		],
		default: 'thread',
		description:
			'Where the acknowledgement of an outgoing webhook appears. Mattermost refuses a reply to a reply, so a thread reply is lost (only its log says so) when someone types the trigger word inside a thread.',
		displayOptions: { show: { responseMode: ['onReceived'] } },
	},
	{
		displayName: 'Accepted Commands',
		name: 'acceptedCommands',
		type: 'string',
		default: '',
		placeholder: 'e.g. !ticket, /deploy',
		description:
			'Trigger words and slash commands that start the workflow, separated by commas (letter case is ignored). Others get an empty answer and start nothing. Leave empty to accept all.',
	},
	{
		displayName: 'Ignore Bots and Integrations',
		name: 'ignoreBots',
		type: 'boolean',
		default: true,
		description:
			'Whether to ignore requests caused by posts of the users below, of no user, or marked as bot or webhook posts, so a bot reply containing a trigger word cannot start the workflow again. Mattermost does not say whether the author is a bot, so list your bot accounts below.',
	},
	{
		displayName: 'Users to Ignore',
		name: 'ignoreUsers',
		type: 'string',
		default: '',
		placeholder: 'e.g. n8n-bot, gitlab',
		description:
			'Usernames (with or without @) or user IDs whose posts never start the workflow, separated by commas. Add the bot account your workflows post with.',
		displayOptions: { show: { ignoreBots: [true] } },
	},
];
