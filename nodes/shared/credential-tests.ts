import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { MIN_SECRET_LENGTH, parseSecretList } from '../core/secrets';
import { redactHookId } from './mattermost-api';

/*
 * Credential tests of credentials that several nodes use (the State Store's is in store.ts). Each node names the
 * ones it needs in `methods.credentialTest`, so a bundle carries only those.
 */

/**
 * A channel name no channel can have (names hold no spaces). Mattermost checks the text, then the hook id, then
 * looks this channel up in the hook's team: a known hook answers 404 and posts nothing, an unknown one answers 400.
 * The answer's id and message cannot tell them apart (every webhook error is wrapped in one id, and the cause is
 * hidden unless developer mode is on); the status can, on current and older servers alike.
 */
const NO_SUCH_CHANNEL = 'n8n credential check';

/** Checks an incoming webhook URL without posting anything. */
export async function mattermostIncomingWebhookTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const url = String(credential.data?.webhookUrl ?? '').trim();
	if (!/^https?:\/\//i.test(url)) return { status: 'Error', message: 'The webhook URL must start with http:// or https://' };
	let answer: { statusCode?: number; body?: unknown; headers?: Record<string, string> };
	try {
		// Credential tests get only the legacy request helper: n8n 2.40's ICredentialTestFunctions has no httpRequest
		// (n8n-io/n8n#25190), and a declarative test cannot tell "hook exists" (404) from the other answers.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		answer = await this.helpers.request({
			method: 'POST',
			uri: url,
			body: { text: 'n8n credential check (never posted)', channel: NO_SUCH_CHANNEL },
			json: true,
			resolveWithFullResponse: true,
			simple: false,
		});
	} catch (error) {
		const code = (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code;
		return { status: 'Error', message: `Could not reach the webhook${code ? ` (${code})` : ''}` };
	}
	const body = answer.body && typeof answer.body === 'object' ? (answer.body as { id?: unknown; message?: unknown }) : undefined;
	const isAppError = typeof body?.id === 'string' && typeof body?.message === 'string';
	const status = answer.statusCode ?? 0;
	if (status >= 200 && status < 300) return { status: 'OK', message: 'The webhook answers' };
	if (!isAppError) {
		return { status: 'Error', message: `This URL is not a Mattermost incoming webhook (HTTP ${status}): check the server address and the /hooks/ path` };
	}
	if (status === 404) return { status: 'OK', message: 'The webhook exists (checked without posting)' };
	if (status === 400) return { status: 'Error', message: 'Mattermost does not know this webhook: check the hook id at the end of the URL (Integrations > Incoming Webhooks)' };
	if (status === 501) {
		return { status: 'Error', message: 'Incoming webhooks are off on this server (System Console > Integrations > Integration Management > Enable Incoming Webhooks)' };
	}
	return { status: 'Error', message: `The webhook answered ${status}: ${redactHookId(String(body?.message), url)}` };
}

/**
 * The interaction secret is never sent anywhere, so it cannot be tested against a service; it must at least be
 * there and be long enough not to be guessed.
 */
export async function mattermostInteractionSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secrets = parseSecretList(credential.data?.secret);
	if (secrets.length === 0) return { status: 'Error', message: 'Enter a secret' };
	if (secrets.some((s) => s.length < MIN_SECRET_LENGTH)) {
		return { status: 'Error', message: `Use at least ${MIN_SECRET_LENGTH} characters, e.g. from openssl rand -hex 32` };
	}
	return { status: 'OK', message: `${secrets.length} secret(s); buttons are signed with the first` };
}
