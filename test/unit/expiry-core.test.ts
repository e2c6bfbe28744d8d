/** Limit Wait Time's timer protocol (core/mattermost/expiry) on a fake clock. */
import {
	EXPIRY_GRACE_MS,
	expireAt,
	expiredLine,
	expiryOutcome,
	MAX_TIMER_MS,
	n8nWaitTill,
	RUNNING_RETRIES,
	RUNNING_RETRY_MS,
	sleepUntil,
	type ExpiryOutcome,
	type ExpiryPort,
} from '../../nodes/core/mattermost';

function fakePort(start: number, answer: ExpiryOutcome | ExpiryOutcome[]) {
	const answers = Array.isArray(answer) ? [...answer] : [answer];
	let now = start;
	const calls: string[] = [];
	const sleeps: number[] = [];
	const port: ExpiryPort = {
		now: () => now,
		sleep: async (ms) => {
			sleeps.push(ms);
			now += ms;
		},
		expire: async () => {
			calls.push(`expire@${now}`);
			return answers.length > 1 ? answers.shift()! : answers[0];
		},
		markExpired: async (at) => {
			calls.push(`mark@${at.getTime()}`);
		},
	};
	return { port, calls, sleeps };
}

describe('expireAt', () => {
	it('calls the expiry URL at the limit, then marks the post when n8n ended the wait with the timeout', async () => {
		const { port, calls } = fakePort(1_000, 'timedOut');
		expect(await expireAt(61_000, port)).toBe('expired');
		expect(calls).toEqual(['expire@61000', 'mark@61000']);
	});

	it('leaves the post alone when an answer ended the wait first', async () => {
		const { port, calls } = fakePort(1_000, 'ended');
		expect(await expireAt(61_000, port)).toBe('answered');
		expect(calls).toEqual(['expire@61000']);
	});

	it('calls again while n8n says the execution is running (still being put to wait, or resuming with an answer)', async () => {
		const { port, calls } = fakePort(0, ['running', 'running', 'timedOut']);
		expect(await expireAt(10, port)).toBe('expired');
		expect(calls).toEqual([`expire@10`, `expire@${10 + RUNNING_RETRY_MS}`, `expire@${10 + 2 * RUNNING_RETRY_MS}`, `mark@${10 + 2 * RUNNING_RETRY_MS}`]);
		const resumed = fakePort(0, ['running', 'ended']);
		expect(await expireAt(10, resumed.port)).toBe('answered');
		const stuck = fakePort(0, 'running');
		expect(await expireAt(10, stuck.port)).toBe('answered');
		expect(stuck.calls).toHaveLength(1 + RUNNING_RETRIES);
	});

	it('fires at once for a limit in the past', async () => {
		const { port, calls, sleeps } = fakePort(5_000, 'timedOut');
		await expireAt(1_000, port);
		expect(sleeps).toEqual([]);
		expect(calls[0]).toBe('expire@5000');
	});

	it('waits longer than a Node.js timer can in steps it can take (a limit of 60 days)', async () => {
		const days60 = 60 * 86_400_000;
		const { port, sleeps } = fakePort(0, 'timedOut');
		await sleepUntil(days60, port);
		expect(sleeps.every((ms) => ms <= MAX_TIMER_MS)).toBe(true);
		expect(sleeps.reduce((a, b) => a + b, 0)).toBe(days60);
		expect(sleeps).toHaveLength(3);
	});
});

describe('what the timer reads from n8n', () => {
	it('counts only a 200 JSON answer saying timedOut: true as the wait ended by the timeout, and 409 as running', () => {
		expect(expiryOutcome(200, { timedOut: true })).toBe('timedOut');
		expect(expiryOutcome(200, '{"timedOut":true}')).toBe('timedOut');
		// The post had been answered: the node's webhook says so.
		expect(expiryOutcome(200, { timedOut: false })).toBe('ended');
		// The execution had finished: n8n's "no action required" page.
		expect(expiryOutcome(200, '<html>No action required</html>')).toBe('ended');
		// n8n's "The execution is running already", and the 500 of a resume an answer won.
		expect(expiryOutcome(409, { message: 'The execution "1" is running already.' })).toBe('running');
		expect(expiryOutcome(500, { message: 'There was a problem executing the workflow' })).toBe('ended');
		expect(expiryOutcome(200, undefined)).toBe('ended');
	});

	it("sets n8n's own limit a grace period after the question's", () => {
		expect(n8nWaitTill(1_000)).toBe(1_000 + EXPIRY_GRACE_MS);
		expect(EXPIRY_GRACE_MS).toBeGreaterThan(0);
	});

	it('says when the question expired', () => {
		expect(expiredLine('10:42')).toBe(':hourglass: Expired at 10:42 without an answer');
	});
});
