/**
 * The one way this package talks to the Mattermost REST API: n8n's credential-aware HTTP helper
 * (`httpRequestWithAuthentication`), so n8n's proxy settings, "Ignore SSL Issues" and request logging apply.
 * `@mattermost/client`'s Client4 supplies the typed routes and shapes on top of it: MattermostClient replaces
 * Client4's fetch call with `mattermostRequest`, so there is no second HTTP stack.
 */

import { Client4 } from '@mattermost/client';
import type { Options } from '@mattermost/types/client4';
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { decideRetry, DEFAULT_RETRY_POLICY, type AttemptOutcome, type RequestSafety } from '../../core/mattermost';
import { identityScope } from '../../core/state';

export const CREDENTIAL_TYPE = 'mattermostDevopsApi';

export type MattermostContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface MattermostRequestOptions {
	method: IHttpRequestMethods;
	/** Path under /api/v4, e.g. `/users/me` (may carry a query string). */
	path: string;
	body?: IDataObject | IDataObject[] | string[] | Buffer;
	qs?: IDataObject;
	headers?: IDataObject;
}

export interface MattermostCallOptions {
	/** Item the request is made for; named in errors. */
	itemIndex?: number;
	/** Retries after the first attempt (429, 5xx, network); default 3. */
	retries?: number;
	/** How safe a repeat is; by default derived from the request (see requestSafety). */
	safety?: RequestSafety;
	/** Longest wait for one answer; a request that takes longer counts as a network error. Default 15 s. */
	timeoutMs?: number;
	/**
	 * Asked before repeating a request whose outcome is unknown (no answer, or a 5xx): what the earlier attempt made,
	 * if it can be found, is then the answer and nothing is repeated.
	 */
	findEarlier?: () => Promise<unknown>;
}

/**
 * The prop that carries a post's pending_post_id. Mattermost forgets that id after 30 s, after a 5xx that came once
 * the post was saved, and on another node of a cluster without a shared cache; the marker lets a repeat find the post
 * by reading the channel instead.
 */
export const POST_KEY_PROP = 'n8n_post_key';
/** How far back the channel is read for a post an unanswered attempt may have made (clocks may differ a little). */
const READ_BACK_MS = 5 * 60_000;

export const DEFAULT_TIMEOUT_MS = 15_000;
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);
const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was closed before an answer arrived',
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
};

interface ServerSettings {
	baseUrl: string;
	skipSslCertificateValidation: boolean;
	/** Server and token fingerprint: what cached answers belong to, so a changed credential starts afresh. */
	account: string;
}

const settingsByContext = new WeakMap<object, Promise<ServerSettings>>();

export async function serverSettings(ctx: MattermostContext, itemIndex?: number): Promise<ServerSettings> {
	let found = settingsByContext.get(ctx);
	if (!found) {
		found = ctx.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0).then((credentials) => {
			const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
			return {
				baseUrl,
				skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
				account: identityScope(baseUrl, String(credentials.accessToken ?? '')),
			};
		});
		settingsByContext.set(ctx, found);
	}
	return await found;
}

/**
 * POST /posts is the only request that could act twice. With a pending_post_id the server deduplicates repeats
 * for 30 s (it answers with the post it already created), so it may be repeated inside that window; without one it
 * is sent once. Everything else this package sends is a read or idempotent (DM/group channel creation returns the
 * existing channel, patches and reactions converge).
 */
export function requestSafety(request: MattermostRequestOptions): RequestSafety {
	if (request.method !== 'POST' || !/^\/posts(\?|$)/.test(request.path)) return 'repeatable';
	const body = request.body as IDataObject | undefined;
	return body && typeof body.pending_post_id === 'string' && body.pending_post_id ? 'deduplicated' : 'once';
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The low-level error code (ECONNRESET, …) somewhere in an error's cause chain. */
function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const text = error instanceof Error ? error.message : '';
	return /\b(E[A-Z]{4,})\b/.exec(text)?.[1];
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return String(value);
	}
	return undefined;
}

function parseBody(response: IN8nHttpFullResponse): unknown {
	const { body } = response;
	if (typeof body === 'string' && /^application\/json/.test(header(response.headers, 'content-type') ?? '')) {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return body;
}

function isCancelled(ctx: MattermostContext): boolean {
	return 'getExecutionCancelSignal' in ctx && ctx.getExecutionCancelSignal()?.aborted === true;
}

/**
 * Error ids that come from a server setting or the bot's memberships, with what the user should change. The real
 * server's message for these says little ("You do not have the appropriate permissions") or nothing actionable.
 */
const SETTING_HINTS: Record<string, { says: string; change: string }> = {
	'api.user.get_user_by_email.permissions.app_error': {
		says: 'this server hides e-mail addresses: use usernames or ids',
		change:
			'Mattermost only lets admins look people up by e-mail when System Console > Site Configuration > Users and Teams > Show Email Address (PrivacySettings.ShowEmailAddress) is off. Use usernames or user ids, or turn that setting on.',
	},
	'api.channel.create_channel.direct_channel.team_restricted_error': {
		says: 'this server allows direct messages only between people who share a team, and the bot shares none with this recipient',
		change:
			'Add the bot to the teams of the people it must message, or set System Console > Users and Teams > Enable users to open Direct Message channels with (TeamSettings.RestrictDirectMessage) to "Any user on the Mattermost server". Bots using their own token are not exempt.',
	},
	'api.post.create_post.can_not_post_in_restricted_dm.error': {
		says: 'this server allows direct messages only between people who share a team, and the bot no longer shares one with this recipient',
		change:
			'Add the bot to the teams of the people it must message, or set System Console > Users and Teams > Enable users to open Direct Message channels with (TeamSettings.RestrictDirectMessage) to "Any user on the Mattermost server".',
	},
	'api.context.mfa_required.app_error': {
		says: 'the token belongs to a user without multi-factor authentication on a server that enforces it',
		change:
			'Use a bot account token (bots are exempt), or have the user set up MFA (ServiceSettings.EnforceMultifactorAuthentication is on).',
	},
	'api.file.attachments.disabled.app_error': {
		says: 'file attachments are off on this server',
		change: 'Turn on System Console > Site Configuration > File Sharing and Downloads > Allow File Sharing (FileSettings.EnableFileAttachments), or send without files.',
	},
	'api.file.upload_file.too_large_detailed.app_error': {
		says: 'the upload is larger than this server accepts',
		change: 'Raise System Console > Environment > File Storage > Maximum File Size (FileSettings.MaxFileSize), or send smaller files.',
	},
	'api.post.update_post.permissions_time_limit.app_error': {
		says: 'the post is older than this server lets anyone edit',
		change: 'System Console > Site Configuration > Posts > Message edit time limit (ServiceSettings.PostEditTimeLimit) refuses the edit; raise it or set it to -1 (no limit).',
	},
	'api.post.post_priority.priority_post_not_allowed_for_user.request_error': {
		says: 'message priority is off on this server',
		change: 'Turn on System Console > Site Configuration > Posts > Message Priority (ServiceSettings.PostPriority), or leave Priority empty.',
	},
	'api.post.create_post.can_not_post_to_deleted.error': {
		says: 'the channel is archived',
		change: 'Unarchive the channel or send to another one.',
	},
	'app.channel.get_by_name.missing.app_error': {
		says: 'no such channel, or it is private and the bot is not a member',
		change: 'Check the team and channel names, and add the bot to private channels it must post in.',
	},
};

/** The Mattermost error id of an error made by mattermostApiError, if any. */
export function mattermostErrorId(error: unknown): string | undefined {
	const id = (error as { context?: IDataObject } | null)?.context?.mattermostErrorId;
	return typeof id === 'string' ? id : undefined;
}

/**
 * An error with what a user needs (HTTP status, Mattermost error id and message, item) and nothing else: the
 * request options, which hold the Authorization header, never go into it.
 */
export function mattermostApiError(
	ctx: MattermostContext,
	status: number,
	body: unknown,
	request: Pick<MattermostRequestOptions, 'method' | 'path'>,
	itemIndex?: number,
	note?: string,
): NodeApiError {
	const appError =
		body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : { message: String(body ?? '').trim() };
	const serverMessage = typeof appError.message === 'string' && appError.message ? appError.message : `HTTP ${status}`;
	const id = typeof appError.id === 'string' ? appError.id : undefined;
	const route = `${request.method} ${request.path.split('?')[0]}`;
	const details: JsonObject = {
		status_code: status,
		message: serverMessage,
		...(id ? { id } : {}),
		...(typeof appError.detailed_error === 'string' && appError.detailed_error ? { detailed_error: appError.detailed_error } : {}),
		...(typeof appError.request_id === 'string' ? { request_id: appError.request_id } : {}),
		route,
	};
	const where = itemIndex === undefined ? '' : ` (item ${itemIndex})`;
	const hint = id ? SETTING_HINTS[id] : undefined;
	const error = new NodeApiError(ctx.getNode(), details, {
		message: `Mattermost answered ${status} to ${route}: ${hint?.says ?? serverMessage}${where}`,
		description: [hint?.change ?? '', id ? `Mattermost error id: ${id}.` : '', note ?? ''].filter(Boolean).join(' ') || undefined,
		httpCode: String(status),
		itemIndex,
	});
	if (id) error.context.mattermostErrorId = id;
	return error;
}

/**
 * Sends one request to `<baseUrl>/api/v4<path>` with the mattermostDevopsApi credential, retrying as
 * core/mattermost decideRetry says: 429 waits as Retry-After / X-Ratelimit-Reset ask; 5xx and network errors back
 * off exponentially; posts are repeated only while the server still deduplicates them. Resolves with the parsed
 * body; rejects with NodeApiError (HTTP errors) or NodeOperationError (no answer).
 */
export async function mattermostRequest<T = unknown>(
	ctx: MattermostContext,
	request: MattermostRequestOptions,
	options: MattermostCallOptions = {},
): Promise<T> {
	const { baseUrl, skipSslCertificateValidation } = await serverSettings(ctx, options.itemIndex);
	if (!/^https?:\/\//i.test(baseUrl)) {
		throw new NodeOperationError(ctx.getNode(), 'The Mattermost credential needs a Base URL starting with http:// or https://', {
			itemIndex: options.itemIndex,
		});
	}
	const safety = options.safety ?? requestSafety(request);
	const policy = { ...DEFAULT_RETRY_POLICY, retries: Math.max(0, Math.floor(options.retries ?? DEFAULT_RETRY_POLICY.retries)) };
	const started = Date.now();
	const isBuffer = Buffer.isBuffer(request.body);
	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}/api/v4${request.path}`,
		qs: request.qs,
		headers: { 'X-Requested-With': 'XMLHttpRequest', ...(request.headers ?? {}) },
		body: request.body as IHttpRequestOptions['body'],
		json: !isBuffer,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		skipSslCertificateValidation,
		timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};

	for (let attempt = 0; ; attempt++) {
		let outcome: AttemptOutcome;
		let failure: { status: number; body: unknown } | { code?: string };
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				{ ...httpOptions, headers: { ...httpOptions.headers } },
			)) as IN8nHttpFullResponse;
			const body = parseBody(response);
			if (response.statusCode >= 200 && response.statusCode < 300) return body as T;
			outcome = { status: response.statusCode, headers: response.headers };
			failure = { status: response.statusCode, body };
		} catch (error) {
			if (isCancelled(ctx)) throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex: options.itemIndex });
			const code = networkCode(error);
			outcome = { notSent: code !== undefined && NOT_SENT_CODES.has(code) };
			failure = { code };
		}
		const decision = decideRetry(outcome, { attempt, elapsedMs: Date.now() - started, safety, now: Date.now() }, policy);
		if (decision.retry) {
			await sleep(decision.waitMs);
			// Answered with a 5xx or cut off: the request may have been handled. (A timed-out one is likely still being
			// handled, so it cannot be found yet; the server's pending_post_id dedupe covers that case.)
			const code = 'code' in failure ? failure.code : undefined;
			const uncertain = outcome.status === undefined ? !outcome.notSent && !(code && TIMEOUT_CODES.has(code)) : outcome.status >= 500;
			const earlier = uncertain && options.findEarlier ? await options.findEarlier() : undefined;
			if (earlier !== undefined) return earlier as T;
			continue;
		}
		const note = attempt > 0 || outcome.status === 429 || outcome.status === undefined ? `Not retried: ${decision.reason}` : undefined;
		if ('status' in failure) throw mattermostApiError(ctx, failure.status, failure.body, request, options.itemIndex, note);
		const where = options.itemIndex === undefined ? '' : ` (item ${options.itemIndex})`;
		const why =
			failure.code && TIMEOUT_CODES.has(failure.code)
				? `no answer within ${Math.round((httpOptions.timeout ?? DEFAULT_TIMEOUT_MS) / 1000)} s`
				: (NETWORK_WORDS[failure.code ?? ''] ?? 'the connection failed');
		// The code stays out of the message: n8n replaces a message naming ECONNRESET & co. with a generic text
		// that would lose the route and the item.
		throw new NodeOperationError(
			ctx.getNode(),
			`Could not reach Mattermost at ${baseUrl} for ${request.method} ${request.path.split('?')[0]}: ${why}${where}`,
			{ itemIndex: options.itemIndex, description: [failure.code ? `Error code: ${failure.code}` : '', note ?? ''].filter(Boolean).join('. ') || undefined },
		);
	}
}

/**
 * Client4 with n8n's helper as its transport: every Client4 method (getMe, getProfilesByUsernames,
 * createDirectChannel, createPost, patchPost, addReaction, uploadFile, …) goes through `mattermostRequest`.
 * Set `itemIndex` before calls made for an item so errors name it.
 */
export class MattermostClient extends Client4 {
	itemIndex?: number;

	constructor(
		private readonly ctx: MattermostContext,
		baseUrl: string,
		/** Retry budget for the following calls (the node's Retries option of the current item). */
		public retries?: number,
		/** Per-request timeout for the following calls (the node's Timeout option of the current item). */
		public timeoutMs?: number,
	) {
		super();
		this.setUrl(baseUrl);
		this.setIncludeCookies(false);
	}

	forItem(itemIndex: number): this {
		this.itemIndex = itemIndex;
		return this;
	}

	protected override doFetch = async <T>(url: string, options: Options): Promise<T> => {
		const base = this.getBaseRoute();
		const path = url.startsWith(base) ? url.slice(base.length) : url;
		const method = String(options.method ?? 'get').toUpperCase() as IHttpRequestMethods;
		const request: MattermostRequestOptions = { method, path };
		if (options.body instanceof FormData) {
			// Encoded once up front so a retry can send the same bytes again.
			const encoded = new Response(options.body);
			request.body = Buffer.from(await encoded.arrayBuffer());
			request.headers = { 'Content-Type': encoded.headers.get('content-type') ?? 'multipart/form-data' };
		} else if (typeof options.body === 'string') {
			request.body = JSON.parse(options.body) as IDataObject;
		}
		const findEarlier = method === 'POST' && path === '/posts' ? this.earlierPostFinder(request.body as IDataObject | undefined) : undefined;
		return await mattermostRequest<T>(this.ctx, request, { itemIndex: this.itemIndex, retries: this.retries, timeoutMs: this.timeoutMs, findEarlier });
	};

	/** For a post marked with POST_KEY_PROP: reads its channel's recent posts for one carrying the same marker. */
	private earlierPostFinder(post: IDataObject | undefined): (() => Promise<unknown>) | undefined {
		const key = (post?.props as IDataObject | undefined)?.[POST_KEY_PROP];
		const channelId = post?.channel_id;
		if (typeof key !== 'string' || !key || typeof channelId !== 'string') return undefined;
		const since = Date.now() - READ_BACK_MS;
		return async () => {
			// Unreadable channel: nothing found, and the repeat relies on the server's dedupe as before.
			const list = await mattermostRequest<{ posts?: Record<string, IDataObject> }>(
				this.ctx,
				{ method: 'GET', path: `/channels/${encodeURIComponent(channelId)}/posts`, qs: { since } },
				{ itemIndex: this.itemIndex, retries: 0, timeoutMs: this.timeoutMs },
			).catch(() => undefined);
			return Object.values(list?.posts ?? {}).find((p) => !p.delete_at && (p.props as IDataObject | undefined)?.[POST_KEY_PROP] === key);
		};
	}
}

export async function createMattermostClient(
	ctx: MattermostContext,
	options: Pick<MattermostCallOptions, 'itemIndex' | 'retries'> = {},
): Promise<MattermostClient> {
	const { baseUrl } = await serverSettings(ctx, options.itemIndex);
	const client = new MattermostClient(ctx, baseUrl, options.retries);
	if (options.itemIndex !== undefined) client.forItem(options.itemIndex);
	return client;
}

export { createMattermostSession, MattermostSession, type SessionCaches } from './session';
export { hookIdOf, redactHookId } from './webhook';
