import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	buildReply,
	isAcceptedCommand,
	isAuthorised,
	loopReason,
	parseCommandRequest,
	parseTokenList,
	presentedTokens,
	requestFields,
	splitList,
	type OutgoingReplyPlace,
	type SlashResponseType,
} from '../core/commands';

/** Mattermost creates integration tokens with model.NewId(): 26 lowercase letters and digits. */
const MATTERMOST_TOKEN = /^[a-z0-9]{26}$/;

/**
 * Like n8n's own Webhook node this trigger has no webhookMethods: the outgoing webhook or slash command is created by
 * hand in Mattermost (its token goes into the credential), so there is nothing for n8n to register or delete.
 */
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class MattermostCommandTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mattermost Command Trigger',
		name: 'mattermostCommandTrigger',
		icon: { light: 'file:mattermostCommandTrigger.svg', dark: 'file:mattermostCommandTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["path"]}}',
		description: 'Starts the workflow when someone uses a Mattermost outgoing-webhook trigger word or slash command',
		defaults: { name: 'Mattermost Command Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mattermostCommandTokenApi', required: true, testedBy: 'mattermostCommandTokenFormat' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter["responseMode"]}}',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
			{
				// Slash commands can be configured to use GET, with the same fields in the query string.
				name: 'default',
				httpMethod: 'GET',
				responseMode: '={{$parameter["responseMode"]}}',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		properties: [
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
				options: [
					{
						name: 'Immediately',
						value: 'onReceived',
						description: 'Answer at once with the acknowledgement text below, then run the workflow',
					},
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description: "Answer with the first item's JSON from the last node that runs",
					},
					{
						name: "Using 'Respond to Webhook' Node",
						value: 'responseNode',
						description: 'Answer with what a Respond to Webhook node (version 1) sends',
					},
				],
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
		],
	};

	methods = {
		credentialTest: {
			async mattermostCommandTokenFormat(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const tokens = parseTokenList(credential.data?.tokens);
				if (tokens.length === 0) return { status: 'Error', message: 'Enter at least one token' };
				const wrong = tokens.findIndex((token) => !MATTERMOST_TOKEN.test(token));
				if (wrong !== -1) {
					return {
						status: 'Error',
						message: `Token ${wrong + 1} is not a Mattermost token (26 lowercase letters and digits); copy it again from Mattermost`,
					};
				}
				return {
					status: 'OK',
					message: `${tokens.length} token(s) in Mattermost's format. Mattermost cannot be asked whether they are right; send a test command.`,
				};
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const credentials = await this.getCredentials('mattermostCommandTokenApi');
		const expected = parseTokenList(credentials.tokens);
		if (expected.length === 0) {
			throw new NodeOperationError(this.getNode(), 'The Mattermost Command Token credential holds no token', {
				description: 'Copy the token Mattermost shows for the outgoing webhook or slash command into the credential.',
			});
		}

		const fields = requestFields(this.getBodyData(), this.getQueryData());
		if (!isAuthorised(presentedTokens(fields, this.getHeaderData().authorization), expected)) {
			res.status(401).send('Unauthorized');
			return { noWebhookResponse: true };
		}

		const parsed = parseCommandRequest(fields);
		const accepted = splitList(this.getNodeParameter('acceptedCommands', '') as string);
		const ignoreBots = this.getNodeParameter('ignoreBots', true) as boolean;
		const ignoreUsers = ignoreBots ? (this.getNodeParameter('ignoreUsers', '') as string) : '';
		if (!isAcceptedCommand(parsed, accepted) || (ignoreBots && loopReason(parsed, ignoreUsers) !== undefined)) {
			res.status(200).end();
			return { noWebhookResponse: true };
		}

		const workflowData = [this.helpers.returnJsonArray([parsed as unknown as IDataObject])];
		if (this.getNodeParameter('responseMode', 'onReceived') !== 'onReceived') return { workflowData };

		// The answer is written here rather than left to n8n, so an empty acknowledgement really is an empty body.
		const reply = buildReply(
			parsed.kind,
			this.getNodeParameter('acknowledgement', '') as string,
			this.getNodeParameter('slashResponseType', 'ephemeral') as SlashResponseType,
			this.getNodeParameter('outgoingReplyPlace', 'thread') as OutgoingReplyPlace,
		);
		if (reply) res.status(200).json(reply);
		else res.status(200).end();
		return { noWebhookResponse: true, workflowData };
	}
}
