/**
 * The one way this package talks to the Mattermost REST API: n8n's credential-aware HTTP helper
 * (`httpRequestWithAuthentication`), so n8n's proxy settings, "Ignore SSL Issues" and request logging apply.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import type { RequestSafety } from '../../core/mattermost';
import { DEFAULT_TIMEOUT_MS, networkWords, withRetries } from './attempts';
import { CREDENTIAL_TYPE, serverSettings, type MattermostContext } from './credential';
import { mattermostApiError, parseBody } from './errors';

export interface MattermostRequestOptions {
	method: IHttpRequestMethods;
	/** Path under /api/v4, e.g. `/users/me` (may carry a query string). */
	path: string;
	body?: IDataObject | IDataObject[] | string[] | Buffer;
	qs?: IDataObject;
	headers?: IDataObject;
}

/** How one call is made, passed with every call: the item it is for and that item's Retries and Timeout options. */
export interface Call {
	/** Item the request is made for; named in errors. */
	itemIndex?: number;
	/** Retries after the first attempt (429, 5xx, network); default 3. */
	retries?: number;
	/** Longest wait for one answer; a request that takes longer counts as a network error. Default 15 s. */
	timeoutMs?: number;
}

/** A call made for an item, whose errors name it. */
export type ItemCall = Call & { itemIndex: number };

export interface MattermostCallOptions extends Call {
	/** How safe a repeat is; by default derived from the request (see requestSafety). */
	safety?: RequestSafety;
	/** See AttemptOptions.findEarlier. */
	findEarlier?: () => Promise<unknown>;
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

/**
 * Sends one request to `<baseUrl>/api/v4<path>` with the mattermostDevopsApi credential, retrying as the retry policy
 * says (see attempts.ts). Resolves with the parsed body; rejects with NodeApiError (HTTP errors) or NodeOperationError
 * (no answer).
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
	const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}/api/v4${request.path}`,
		qs: request.qs,
		headers: { 'X-Requested-With': 'XMLHttpRequest', ...(request.headers ?? {}) },
		body: request.body as IHttpRequestOptions['body'],
		json: !Buffer.isBuffer(request.body),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		skipSslCertificateValidation,
		timeout,
	};
	const attempted = await withRetries(
		ctx,
		async () =>
			(await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
				...httpOptions,
				headers: { ...httpOptions.headers },
			})) as IN8nHttpFullResponse,
		{ safety: options.safety ?? requestSafety(request), retries: options.retries, itemIndex: options.itemIndex, findEarlier: options.findEarlier },
	);
	if (attempted.ok) return ('response' in attempted ? parseBody(attempted.response) : attempted.earlier) as T;
	if ('response' in attempted) {
		throw mattermostApiError(ctx.getNode(), attempted.response.statusCode, parseBody(attempted.response), request, options.itemIndex, attempted.note);
	}
	const { network, note } = attempted;
	const where = options.itemIndex === undefined ? '' : ` (item ${options.itemIndex})`;
	throw new NodeOperationError(
		ctx.getNode(),
		`Could not reach Mattermost at ${baseUrl} for ${request.method} ${request.path.split('?')[0]}: ${networkWords(network, timeout)}${where}`,
		{ itemIndex: options.itemIndex, description: [network.code ? `Error code: ${network.code}` : '', note].filter(Boolean).join('. ') },
	);
}
