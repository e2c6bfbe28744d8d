import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import {
	decideRetry,
	DEFAULT_RETRY_POLICY,
	neutraliseMessage,
	parseAttachments,
	type Attachment,
	type AttemptOutcome,
} from '../../../../core/mattermost';
import { safeUrl } from '../../../../core/text';
import { DEFAULT_TIMEOUT_MS, redactHookId } from '../../../transport';
import { fail } from '../../common';

export const WEBHOOK_CREDENTIAL_TYPE = 'mattermostIncomingWebhookApi';

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

const NOT_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/;

function errorCode(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return 'connection failed';
}

/**
 * Posts through an incoming webhook. The hook URL is the secret, so errors name the status and Mattermost's error,
 * never the URL. A webhook post has no duplicate protection, so only failures that prove nothing was posted (429,
 * connection refused) are retried.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const credentials = await this.getCredentials(WEBHOOK_CREDENTIAL_TYPE, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const url = String(credentials.webhookUrl ?? '').trim();
	if (!/^https?:\/\//i.test(url)) fail(this, itemIndex, 'The webhook credential needs a URL starting with http:// or https://');

	let text = this.getNodeParameter('text', itemIndex, '') as string;
	let attachments: Attachment[] = [];
	let props: IDataObject | undefined;
	try {
		attachments = parseAttachments(
			typeof options.attachmentsJson === 'string' && !options.attachmentsJson.trim() ? undefined : options.attachmentsJson,
			'options.attachmentsJson',
		);
		const rawProps = typeof options.props === 'string' ? (options.props.trim() ? JSON.parse(options.props) : undefined) : options.props;
		if (rawProps !== undefined && (typeof rawProps !== 'object' || rawProps === null || Array.isArray(rawProps))) {
			throw new Error('options.props must be a JSON object');
		}
		props = rawProps as IDataObject | undefined;
	} catch (error) {
		fail(this, itemIndex, (error as Error).message);
	}
	if (options.blockChannelMentions !== false) ({ message: text, attachments } = neutraliseMessage(text, attachments));
	if (!text.trim() && !attachments.length) fail(this, itemIndex, 'Nothing to send: the text is empty and there are no attachments');

	const pick = (option: unknown, fallback: unknown) => String(option || fallback || '').trim();
	const body: IDataObject = { text };
	const channel = pick(options.channel, credentials.channel);
	const username = pick(options.username, credentials.username);
	const iconUrl = pick(options.iconUrl, credentials.iconUrl);
	const iconEmoji = pick(options.iconEmoji, '');
	if (channel) body.channel = channel;
	if (username) body.username = username;
	if (iconUrl) {
		const safe = safeUrl(iconUrl);
		if (!safe) fail(this, itemIndex, 'The icon URL must be an http(s) URL');
		body.icon_url = safe;
	}
	if (iconEmoji) body.icon_emoji = iconEmoji.replace(/^:|:$/g, '');
	// Incoming webhooks take attachments at the top level, not inside props.
	if (attachments.length) body.attachments = attachments as unknown as IDataObject[];
	if (props && Object.keys(props).length) body.props = props;

	const policy = { ...DEFAULT_RETRY_POLICY, retries: Math.max(0, Math.floor(Number(options.retries ?? DEFAULT_RETRY_POLICY.retries))) };
	const started = Date.now();
	for (let attempt = 0; ; attempt++) {
		let outcome: AttemptOutcome;
		let response: IN8nHttpFullResponse | undefined;
		let code = '';
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, WEBHOOK_CREDENTIAL_TYPE, {
				method: 'POST',
				url,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: Number(options.timeout ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
			})) as IN8nHttpFullResponse;
			if (response.statusCode >= 200 && response.statusCode < 300) {
				return [{ json: { ok: true, text, ...(channel ? { channel } : {}), ...(username ? { username } : {}) } }];
			}
			outcome = { status: response.statusCode, headers: response.headers };
		} catch (error) {
			code = errorCode(error);
			outcome = { notSent: NOT_SENT.test(code) };
		}
		const decision = decideRetry(outcome, { attempt, elapsedMs: Date.now() - started, safety: 'once', now: Date.now() }, policy);
		if (decision.retry) {
			await sleep(decision.waitMs);
			continue;
		}
		if (!response) {
			throw new NodeOperationError(this.getNode(), `Could not reach the Mattermost webhook: ${code} (item ${itemIndex})`, {
				itemIndex,
				description: `Not retried: ${decision.reason}`,
			});
		}
		let answer: IDataObject = {};
		const raw = response.body;
		if (raw && typeof raw === 'object' && !Buffer.isBuffer(raw)) answer = raw as IDataObject;
		else if (typeof raw === 'string') {
			try {
				answer = JSON.parse(raw) as IDataObject;
			} catch {
				answer = { message: raw.trim() };
			}
		}
		// The server's message names the hook id, which is the secret in the URL.
		const message = redactHookId(typeof answer.message === 'string' && answer.message ? answer.message : `HTTP ${response.statusCode}`, url);
		const detailed = typeof answer.detailed_error === 'string' ? redactHookId(answer.detailed_error, url) : '';
		const details: JsonObject = {
			status_code: response.statusCode,
			message,
			...(typeof answer.id === 'string' ? { id: answer.id } : {}),
			...(detailed ? { detailed_error: detailed } : {}),
		};
		const hint = WEBHOOK_HINTS[response.statusCode] ?? '';
		throw new NodeApiError(this.getNode(), details, {
			message: `Mattermost webhook answered ${response.statusCode}: ${message} (item ${itemIndex})`,
			description: [hint, typeof answer.id === 'string' ? `Mattermost error id: ${answer.id}.` : '', detailed].filter(Boolean).join(' ') || undefined,
			httpCode: String(response.statusCode),
			itemIndex,
		});
	}
}
