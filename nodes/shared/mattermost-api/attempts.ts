/**
 * The one attempt loop of every request this package sends to Mattermost (REST API and incoming webhooks): it asks
 * core/mattermost decideRetry what to do after each failure and waits with n8n's `sleep`. How safe a repeat is comes
 * from the caller: an incoming webhook post is `once` ("never repeat what may have been posted").
 */
import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type IN8nHttpFullResponse,
	type ILoadOptionsFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { decideRetry, DEFAULT_RETRY_POLICY, type AttemptOutcome, type RequestSafety } from '../../core/mattermost';

export const DEFAULT_TIMEOUT_MS = 15_000;

/** A request that got no answer: the low-level code, and what it proves. */
export interface NetworkFailure {
	code?: string;
	/** Refused or not resolved: the request surely never reached the server. */
	notSent: boolean;
	/** No answer in time: the server is likely still handling it. */
	timedOut: boolean;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
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

/** The low-level error code (ECONNRESET, …) somewhere in an error's cause chain, and what it means. */
export function networkFailure(error: unknown): NetworkFailure {
	let code: string | undefined;
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6 && !code; depth++) {
		const found = (current as { code?: unknown }).code;
		if (typeof found === 'string' && /^E[A-Z_]+$/.test(found)) code = found;
		current = (current as { cause?: unknown }).cause;
	}
	code ??= /\b(E[A-Z]{4,})\b/.exec(error instanceof Error ? error.message : '')?.[1];
	return { code, notSent: code !== undefined && NOT_SENT_CODES.has(code), timedOut: code !== undefined && TIMEOUT_CODES.has(code) };
}

/**
 * A network failure in words. The code stays out of it (it goes into the description): n8n replaces a message naming
 * ECONNRESET & co. with a generic text that would lose the route and the item.
 */
export function networkWords(failure: NetworkFailure, timeoutMs: number): string {
	if (failure.timedOut) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
	return NETWORK_WORDS[failure.code ?? ''] ?? 'the connection failed';
}

export interface AttemptOptions {
	safety: RequestSafety;
	/** Retries after the first attempt; default 3. */
	retries?: number;
	/** Item the request is made for; named in errors. */
	itemIndex?: number;
	/**
	 * Asked before repeating a request whose outcome is unknown (no answer, or a 5xx): what the earlier attempt made,
	 * if it can be found, is then the answer and nothing is repeated.
	 */
	findEarlier?: () => Promise<unknown>;
}

export type Attempted =
	| { ok: true; response: IN8nHttpFullResponse }
	| { ok: true; earlier: unknown }
	/** `note` says why it was not repeated, when that is news (it was repeated, rate limited or unanswered). */
	| { ok: false; response: IN8nHttpFullResponse; note?: string }
	| { ok: false; network: NetworkFailure; note: string };

function isCancelled(ctx: IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions): boolean {
	return 'getExecutionCancelSignal' in ctx && ctx.getExecutionCancelSignal()?.aborted === true;
}

/** Sends `send()` until it answers 2xx or the retry policy gives up; a cancelled execution stops at once. */
export async function withRetries(
	ctx: IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions,
	send: () => Promise<IN8nHttpFullResponse>,
	options: AttemptOptions,
): Promise<Attempted> {
	const policy = { ...DEFAULT_RETRY_POLICY, retries: Math.max(0, Math.floor(options.retries ?? DEFAULT_RETRY_POLICY.retries)) };
	const started = Date.now();
	for (let attempt = 0; ; attempt++) {
		let outcome: AttemptOutcome;
		let response: IN8nHttpFullResponse | undefined;
		let network: NetworkFailure | undefined;
		try {
			response = await send();
			if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, response };
			outcome = { status: response.statusCode, headers: response.headers };
		} catch (error) {
			if (isCancelled(ctx)) throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex: options.itemIndex });
			network = networkFailure(error);
			outcome = { notSent: network.notSent };
		}
		const decision = decideRetry(outcome, { attempt, elapsedMs: Date.now() - started, safety: options.safety, now: Date.now() }, policy);
		if (decision.retry) {
			await sleep(decision.waitMs);
			if (isCancelled(ctx)) throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex: options.itemIndex });
			// Answered with a 5xx or cut off: the request may have been handled. (A timed-out one is likely still being
			// handled, so it cannot be found yet; the server's pending_post_id dedupe covers that case.)
			const uncertain = response ? response.statusCode >= 500 : !network?.notSent && !network?.timedOut;
			const earlier = uncertain && options.findEarlier ? await options.findEarlier() : undefined;
			if (earlier !== undefined) return { ok: true, earlier };
			continue;
		}
		const note = `Not retried: ${decision.reason}`;
		if (network) return { ok: false, network, note };
		return { ok: false, response: response!, note: attempt > 0 || response!.statusCode === 429 ? note : undefined };
	}
}
