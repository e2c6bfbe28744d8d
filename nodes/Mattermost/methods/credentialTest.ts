import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

export { mattermostDevopsRedisTest } from '../../shared/store';

/**
 * Checks an incoming webhook URL without posting anything: an empty payload is refused by a working hook with
 * "No text specified" (web.incoming_webhook.text.app_error), while a wrong hook id gives "Invalid webhook".
 */
export async function mattermostIncomingWebhookTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const url = String(credential.data?.webhookUrl ?? '').trim();
	if (!/^https?:\/\//i.test(url)) return { status: 'Error', message: 'The webhook URL must start with http:// or https://' };
	let answer: { statusCode?: number; body?: unknown };
	try {
		// Credential tests get only the legacy request helper.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		answer = await this.helpers.request({ method: 'POST', uri: url, body: {}, json: true, resolveWithFullResponse: true, simple: false });
	} catch (error) {
		const code = (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code;
		return { status: 'Error', message: `Could not reach the webhook${code ? ` (${code})` : ''}` };
	}
	const body = (answer.body ?? {}) as { message?: string; detailed_error?: string; id?: string };
	const detail = `${body.id ?? ''} ${body.detailed_error ?? ''}`;
	if (answer.statusCode === 400 && detail.includes('web.incoming_webhook.text.app_error')) {
		return { status: 'OK', message: 'The webhook answers' };
	}
	return { status: 'Error', message: `The webhook answered ${answer.statusCode}: ${body.message ?? 'not a Mattermost incoming webhook'}` };
}

