import { headerValue } from '../util';

/**
 * When to repeat a Mattermost request and how long to wait first. Pure: callers pass the status, headers, attempt
 * number and clock, and do the waiting themselves (n8n's `sleep`).
 */

/**
 * How safe it is to send a request again when its outcome is unknown (5xx, connection lost mid-way):
 * - `repeatable`: repeating cannot change the result (GET, patch, idempotent creates such as DM channels, reactions);
 * - `deduplicated`: the server drops repeats for a while (a post with `pending_post_id`: for 30 s Mattermost returns
 *   the post already created for the same pending_post_id and user instead of creating another);
 * - `once`: a repeat could act twice (incoming webhooks), so only failures that prove nothing was done are retried.
 */
export type RequestSafety = 'repeatable' | 'deduplicated' | 'once';

export interface RetryPolicy {
	/** Retries after the first attempt. */
	retries: number;
	/** First backoff for 5xx and network errors; doubles each attempt. */
	baseDelayMs: number;
	/** Largest single backoff. */
	maxDelayMs: number;
	/** Longest wait a 429 may ask for; a longer request gives up instead of stalling the workflow. */
	maxRateLimitWaitMs: number;
	/** How long the server remembers a pending_post_id; `deduplicated` requests are never repeated after it. */
	dedupeWindowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	retries: 3,
	baseDelayMs: 500,
	maxDelayMs: 8000,
	maxRateLimitWaitMs: 60_000,
	// Mattermost keeps pending post ids for 30 s; leave margin for the request itself.
	dedupeWindowMs: 25_000,
};

export interface AttemptOutcome {
	/** HTTP status, absent when no response arrived. */
	status?: number;
	/** Response headers (any letter case). */
	headers?: Record<string, unknown>;
	/** For failures without a response: true when the request surely never reached the server (refused, DNS). */
	notSent?: boolean;
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false; reason: string };

/**
 * Milliseconds a 429 (or 503) asks the client to wait: `Retry-After` in seconds or as an HTTP date, else
 * `X-Ratelimit-Reset`, which Mattermost sends as seconds until the limit resets.
 */
export function requestedWaitMs(headers: Record<string, unknown> | undefined, now: number): number | undefined {
	const retryAfter = headerValue(headers, 'retry-after');
	if (retryAfter !== undefined && retryAfter.trim() !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (Number.isFinite(date)) return Math.max(0, date - now);
	}
	const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
	if (Number.isFinite(reset) && reset >= 0) return reset * 1000;
	return undefined;
}

export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	// Jitter spreads out executions that failed together so they do not retry in lock-step.
	return Math.round(exponential * (0.75 + random() * 0.25));
}

/**
 * Decides what to do after attempt number `attempt` (0 for the first) failed with `outcome`.
 * `elapsedMs` is the time since the first attempt started.
 */
export function decideRetry(
	outcome: AttemptOutcome,
	context: { attempt: number; elapsedMs: number; safety: RequestSafety; now: number },
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	random: () => number = Math.random,
): RetryDecision {
	const { attempt, elapsedMs, safety, now } = context;
	const { status } = outcome;
	if (status !== undefined && status < 500 && status !== 429) return { retry: false, reason: `HTTP ${status}` };
	if (attempt >= policy.retries) return { retry: false, reason: `gave up after ${attempt + 1} attempts` };

	if (status === 429) {
		// A rate-limited request was refused before it was handled, so it is safe to repeat whatever it was.
		const asked = requestedWaitMs(outcome.headers, now);
		const waitMs = asked ?? backoffMs(attempt, policy, random);
		if (waitMs > policy.maxRateLimitWaitMs) {
			return { retry: false, reason: `rate limited; the server asked to wait ${Math.ceil(waitMs / 1000)} s` };
		}
		return { retry: true, waitMs };
	}

	const waitMs =
		status === 503
			? (requestedWaitMs(outcome.headers, now) ?? backoffMs(attempt, policy, random))
			: backoffMs(attempt, policy, random);
	if (safety === 'once' && !outcome.notSent) {
		return { retry: false, reason: 'the request may already have been handled and cannot be repeated safely' };
	}
	if (safety === 'deduplicated' && !outcome.notSent && elapsedMs + waitMs > policy.dedupeWindowMs) {
		return { retry: false, reason: 'a repeat would fall outside the server-side duplicate window' };
	}
	if (waitMs > policy.maxRateLimitWaitMs) return { retry: false, reason: 'the server asked to wait too long' };
	return { retry: true, waitMs };
}
