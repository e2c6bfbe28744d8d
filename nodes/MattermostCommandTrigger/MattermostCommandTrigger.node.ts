import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeType,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type INodeTypeDescription,
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
} from '../core/commands';
import { fieldsFromParameters } from '../shared/webhook-fields';
import { properties } from './description';
import { acknowledgementOf, commandFilterOf } from './params';

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
				...fieldsFromParameters('responseMode', 'path'),
				isFullPath: true,
			},
			{
				// Slash commands can be configured to use GET, with the same fields in the query string.
				name: 'default',
				httpMethod: 'GET',
				...fieldsFromParameters('responseMode', 'path'),
				isFullPath: true,
			},
		],
		properties,
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
		const { accepted, ignoreBots, ignoreUsers } = commandFilterOf(this);
		if (!isAcceptedCommand(parsed, accepted) || (ignoreBots && loopReason(parsed, ignoreUsers) !== undefined)) {
			res.status(200).end();
			return { noWebhookResponse: true };
		}

		const workflowData = [this.helpers.returnJsonArray([parsed as unknown as IDataObject])];
		if (this.getNodeParameter('responseMode', 'onReceived') !== 'onReceived') return { workflowData };

		// The answer is written here rather than left to n8n, so an empty acknowledgement really is an empty body.
		const { acknowledgement, slashResponseType, outgoingReplyPlace } = acknowledgementOf(this);
		const reply = buildReply(parsed.kind, acknowledgement, slashResponseType, outgoingReplyPlace);
		if (reply) res.status(200).json(reply);
		else res.status(200).end();
		return { noWebhookResponse: true, workflowData };
	}
}
