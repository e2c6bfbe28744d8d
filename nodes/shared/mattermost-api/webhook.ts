/**
 * Incoming webhooks. A hook's URL is its only credential: `<server>/hooks/<hook id>`. Mattermost names the hook id in
 * its error messages ("… for incoming webhook <id>."), so every text that reaches an execution error or a credential
 * test result goes through redactHookId first.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type IN8nHttpFullResponse, type JsonObject } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS, networkWords, withRetries } from './attempts';
import { appError, parseBody } from './errors';
import type { ItemCall } from './request';

export const WEBHOOK_CREDENTIAL_TYPE = 'mattermostIncomingWebhookApi';

const REDACTED = '[redacted]';

/** The hook id in a webhook URL (its last path segment), or '' when the URL has none. */
export function hookIdOf(url: string): string {
	try {
		return new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
	} catch {
		return '';
	}
}

/** `text` without the hook id of `url`, nor any other hook id a server message may quote. */
export function redactHookId(text: string, url: string): string {
	const id = hookIdOf(url);
	let out = id.length >= 4 ? text.split(id).join(REDACTED) : text;
	out = out.replace(/(incoming webhook )(?!\[redacted\])\S+?(\.?)(?=\s|$)/g, `$1${REDACTED}$2`);
	return out.replace(/\/hooks\/(?!\[redacted\])[^\s/?#"']+/g, `/hooks/${REDACTED}`);
}

/**
 * Mattermost wraps every webhook failure in one id and message and hides the cause unless developer mode is on;
 * the status still tells the causes apart.
 */
const WEBHOOK_HINTS: Record<number, string> = {
	400: 'The hook id in the URL is unknown (deleted hook?) or the payload was refused.',
	403: 'The hook is locked to its channel, or its owner may not post in the channel chosen.',
	404: 'The channel chosen (Channel option or credential) does not exist in the hook\'s team.',
	500: 'The channel may be archived.',
	501: 'Incoming webhooks are off on this server (System Console > Integrations > Integration Management > Enable Incoming Webhooks, ServiceSettings.EnableIncomingWebhooks).',
};

/** The error of a webhook answer that was not 2xx: status and Mattermost's error, never the URL nor the hook id. */
function webhookError(ctx: IExecuteFunctions, response: IN8nHttpFullResponse, url: string, itemIndex: number, note?: string): NodeApiError {
	const answer = appError(parseBody(response));
	const status = response.statusCode;
	const message = redactHookId(typeof answer.message === 'string' && answer.message ? answer.message : `HTTP ${status}`, url);
	const detailed = typeof answer.detailed_error === 'string' ? redactHookId(answer.detailed_error, url) : '';
	const details: JsonObject = {
		status_code: status,
		message,
		...(typeof answer.id === 'string' ? { id: answer.id } : {}),
		...(detailed ? { detailed_error: detailed } : {}),
	};
	return new NodeApiError(ctx.getNode(), details, {
		message: `Mattermost webhook answered ${status}: ${message} (item ${itemIndex})`,
		description:
			[WEBHOOK_HINTS[status] ?? '', typeof answer.id === 'string' ? `Mattermost error id: ${answer.id}.` : '', detailed, note ?? ''].filter(Boolean).join(' ') ||
			undefined,
		httpCode: String(status),
		itemIndex,
	});
}

/**
 * Posts `body` through the incoming webhook at `url`. A webhook post has no duplicate protection, so it is `once`:
 * only failures that prove nothing was posted (429, connection refused, host not found) are repeated.
 */
export async function postToIncomingWebhook(ctx: IExecuteFunctions, url: string, body: IDataObject, call: ItemCall): Promise<void> {
	const timeout = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const attempted = await withRetries(
		ctx,
		async () =>
			(await ctx.helpers.httpRequestWithAuthentication.call(ctx, WEBHOOK_CREDENTIAL_TYPE, {
				method: 'POST',
				url,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout,
			})) as IN8nHttpFullResponse,
		{ safety: 'once', retries: call.retries, itemIndex: call.itemIndex },
	);
	if (attempted.ok) return;
	if ('response' in attempted) throw webhookError(ctx, attempted.response, url, call.itemIndex, attempted.note);
	const { network, note } = attempted;
	throw new NodeOperationError(ctx.getNode(), `Could not reach the Mattermost webhook: ${networkWords(network, timeout)} (item ${call.itemIndex})`, {
		itemIndex: call.itemIndex,
		description: [network.code ? `Error code: ${network.code}` : '', note].filter(Boolean).join('. '),
	});
}
