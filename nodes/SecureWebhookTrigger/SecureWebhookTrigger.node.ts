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
	parseSecretList,
	presentedSecret,
	RecentSecrets,
	tokenMatches,
	weakSecretReason,
	withoutSecretHeader,
	withoutSecretParameter,
} from '../core/secrets';
import { fieldsFromParameters } from '../shared/webhook-fields';
import { properties } from './description';
import { secretLocation } from './params';

/** A secret removed from the credential is refused at most this long afterwards (see RecentSecrets). */
const SECRET_REUSE_MS = 10_000;
const recentSecrets = new RecentSecrets(SECRET_REUSE_MS);

/**
 * Why not n8n's own Webhook node with Header Auth: that node copies every request header into its output, so the
 * secret would be stored with every execution, and it compares the secret with `!==`. This trigger checks the
 * secret in constant time, answers 401 without starting anything when it is wrong, and removes it before the
 * workflow sees the request. Like the Webhook node it has no webhookMethods: the sender is configured by hand.
 */
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class SecureWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Secure Webhook Trigger',
		name: 'secureWebhookTrigger',
		icon: { light: 'file:secureWebhookTrigger.svg', dark: 'file:secureWebhookTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"/webhook/" + $parameter["path"]}}',
		description:
			'Starts the workflow when GitLab, Grafana, Alertmanager or another sender POSTs with the right secret; the secret stays out of the execution data',
		defaults: { name: 'Secure Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'webhookSecretApi', required: true, testedBy: 'webhookSecretStrength' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				...fieldsFromParameters('path'),
				isFullPath: true,
			},
		],
		properties,
	};

	methods = {
		credentialTest: {
			async webhookSecretStrength(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const secrets = parseSecretList(credential.data?.secret);
				if (secrets.length === 0) return { status: 'Error', message: 'Enter at least one secret' };
				const weak = weakSecretReason(secrets);
				if (weak) return { status: 'Error', message: `${weak[0].toUpperCase()}${weak.slice(1)}; use a long random string` };
				return {
					status: 'OK',
					message: `${secrets.length} secret(s). The sender cannot be asked whether it uses them; send a test event.`,
				};
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const location = secretLocation(this);
		const headers = this.getHeaderData() as Record<string, unknown>;
		const query = this.getQueryData() as Record<string, unknown>;
		const presented = presentedSecret(headers, location, query);
		const credentialId = this.getNode().credentials?.webhookSecretApi?.id;
		if (!credentialId || !recentSecrets.matches(credentialId, presented)) {
			const credentials = await this.getCredentials('webhookSecretApi');
			const expected = parseSecretList(credentials.secret);
			// Checked here and not only in the credential test, which n8n never runs on its own: a guessable secret
			// would leave the webhook open.
			const weak = weakSecretReason(expected);
			if (weak) {
				throw new NodeOperationError(this.getNode(), `The Webhook Secret credential cannot protect this webhook: ${weak}`, {
					description: 'Put a long random secret (e.g. from openssl rand -hex 32) into the credential and into the sender.',
				});
			}
			if (!tokenMatches(presented, expected)) {
				res.status(401).json({ ok: false, message: 'Unauthorized' });
				return { noWebhookResponse: true };
			}
			if (credentialId) recentSecrets.remember(credentialId, expected);
		}

		const req = this.getRequestObject();
		const executionMode = this.getMode() === 'manual' ? 'test' : 'production';
		let webhookUrl = this.getNodeWebhookUrl('default') ?? '';
		if (executionMode === 'test') webhookUrl = webhookUrl.replace('/webhook/', '/webhook-test/');
		const item: IDataObject = {
			headers: withoutSecretHeader(headers, location) as IDataObject,
			params: req.params as IDataObject,
			query: withoutSecretParameter(query, location) as IDataObject,
			body: this.getBodyData(),
			webhookUrl,
			executionMode,
		};
		// n8n sends this answer (HTTP 200) once it has stored the new execution and before the workflow runs, so a
		// sender only gets its 2xx for a delivery that survives an n8n crash (answering here would come before that).
		return { webhookResponse: { ok: true }, workflowData: [this.helpers.returnJsonArray([item])] };
	}
}
