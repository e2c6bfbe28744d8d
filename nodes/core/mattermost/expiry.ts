/**
 * Limit Wait Time of Send and Wait for Response. n8n 2.40 resumes a wait that ran out with the waiting node disabled:
 * the node's code never runs and its input passes through, so n8n alone can neither mark the post nor output
 * `{ timedOut: true }`. So the process that posted the question keeps a timer that, at the limit, calls the node's
 * own expiry URL (a signed resume URL that is posted nowhere). The node's webhook then ends the wait with
 * `{ timedOut: true }`, and only when n8n accepted that (the execution was still waiting: a click did not get there
 * first) is the post marked as expired. n8n's own limit is set a grace period later, for a process that restarted
 * before the limit and so lost its timer.
 */

/** How long after the limit n8n resumes the execution itself when the timer did not (its process restarted). */
export const EXPIRY_GRACE_MS = 2 * 60_000;
/** The longest delay a Node.js timer takes (about 24.8 days); a longer one would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What n8n made of a call to the expiry URL: the wait ended with the timeout; the wait had ended already (an
 * answer came first); or the execution is running (still being put to wait, for a limit that has already passed,
 * or resuming with an answer), so the call is made again shortly.
 */
export type ExpiryOutcome = 'timedOut' | 'ended' | 'running';

/** How often, and how far apart, a call that found the execution running is repeated. */
export const RUNNING_RETRIES = 5;
export const RUNNING_RETRY_MS = 2_000;

/** What the timer needs from the world: a clock, a way to wait, n8n's expiry URL and the post. */
export interface ExpiryPort {
	now(): number;
	sleep(ms: number): Promise<void>;
	/** Calls the expiry URL. */
	expire(): Promise<ExpiryOutcome>;
	/** Marks the post as expired and removes its buttons. */
	markExpired(at: Date): Promise<void>;
}

/** n8n's own wait limit for a question that expires at `expiresAt` (ms). */
export function n8nWaitTill(expiresAt: number): number {
	return expiresAt + EXPIRY_GRACE_MS;
}

/** Waits until `at` (ms) in steps a timer can take. */
export async function sleepUntil(at: number, port: Pick<ExpiryPort, 'now' | 'sleep'>): Promise<void> {
	for (let left = at - port.now(); left > 0; left = at - port.now()) await port.sleep(Math.min(left, MAX_TIMER_MS));
}

/** At `expiresAt`, ends the wait and marks the post, unless an answer ended it first. */
export async function expireAt(expiresAt: number, port: ExpiryPort): Promise<'expired' | 'answered'> {
	await sleepUntil(expiresAt, port);
	let outcome = await port.expire();
	for (let retry = 0; outcome === 'running' && retry < RUNNING_RETRIES; retry++) {
		await port.sleep(RUNNING_RETRY_MS);
		outcome = await port.expire();
	}
	if (outcome !== 'timedOut') return 'answered';
	await port.markExpired(new Date(port.now()));
	return 'expired';
}

/** What the node's webhook answers the expiry URL with when it ended the wait (n8n passes it on after resuming). */
export const EXPIRED_ANSWER = { timedOut: true } as const;

/**
 * n8n's answer to the expiry URL. Only a 200 whose JSON says `timedOut: true` ended the wait with the timeout; 409
 * is n8n's "the execution is running already"; anything else (the execution had finished: n8n's HTML page; it
 * resumed with an answer in the meantime: 500; the post was answered: `timedOut: false`) means an answer came first
 * and the post must stay as it is.
 */
export function expiryOutcome(status: number, body: unknown): ExpiryOutcome {
	if (status === 409) return 'running';
	return status === 200 && saysTimedOut(body) ? 'timedOut' : 'ended';
}

function saysTimedOut(body: unknown): boolean {
	let value = body;
	if (typeof body === 'string') {
		try {
			value = JSON.parse(body);
		} catch {
			return false;
		}
	}
	return Boolean(value) && typeof value === 'object' && (value as { timedOut?: unknown }).timedOut === true;
}

/** The line added to an expired question. */
export function expiredLine(time: string): string {
	return `:hourglass: Expired at ${time} without an answer`;
}
