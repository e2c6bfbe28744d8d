/** Limit Wait Time's timer protocol (core/mattermost/expiry) on a fake clock. */
import {
	EXPIRY_GRACE_MS,
	expireAt,
	expiredLine,
	expiryAccepted,
	MAX_TIMER_MS,
	n8nWaitTill,
	sleepUntil,
	type ExpiryPort,
} from '../../nodes/core/mattermost';

function fakePort(start: number, answer: boolean) {
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
			return answer;
		},
		markExpired: async (at) => {
			calls.push(`mark@${at.getTime()}`);
		},
	};
	return { port, calls, sleeps };
}

describe('expireAt', () => {
	it('calls the expiry URL at the limit, then marks the post when n8n ended the wait with the timeout', async () => {
		const { port, calls } = fakePort(1_000, true);
		expect(await expireAt(61_000, port)).toBe('expired');
		expect(calls).toEqual(['expire@61000', 'mark@61000']);
	});

	it('leaves the post alone when an answer ended the wait first', async () => {
		const { port, calls } = fakePort(1_000, false);
		expect(await expireAt(61_000, port)).toBe('answered');
		expect(calls).toEqual(['expire@61000']);
	});

	it('fires at once for a limit in the past', async () => {
		const { port, calls, sleeps } = fakePort(5_000, true);
		await expireAt(1_000, port);
		expect(sleeps).toEqual([]);
		expect(calls[0]).toBe('expire@5000');
	});

	it('waits longer than a Node.js timer can in steps it can take (a limit of 60 days)', async () => {
		const days60 = 60 * 86_400_000;
		const { port, sleeps } = fakePort(0, true);
		await sleepUntil(days60, port);
		expect(sleeps.every((ms) => ms <= MAX_TIMER_MS)).toBe(true);
		expect(sleeps.reduce((a, b) => a + b, 0)).toBe(days60);
		expect(sleeps).toHaveLength(3);
	});
});

describe('what the timer reads from n8n', () => {
	it('counts only a 200 JSON answer saying timedOut: true as the wait ended by the timeout', () => {
		expect(expiryAccepted(200, { timedOut: true })).toBe(true);
		expect(expiryAccepted(200, '{"timedOut":true}')).toBe(true);
		// The post had been answered: the node's webhook says so.
		expect(expiryAccepted(200, { timedOut: false })).toBe(false);
		// The execution had finished: n8n's "no action required" page.
		expect(expiryAccepted(200, '<html>No action required</html>')).toBe(false);
		// The execution was resuming with an answer: n8n's 409, or the 500 of a lost resume race.
		expect(expiryAccepted(409, { timedOut: true })).toBe(false);
		expect(expiryAccepted(500, { message: 'There was a problem executing the workflow' })).toBe(false);
		expect(expiryAccepted(200, undefined)).toBe(false);
	});

	it("sets n8n's own limit a grace period after the question's", () => {
		expect(n8nWaitTill(1_000)).toBe(1_000 + EXPIRY_GRACE_MS);
		expect(EXPIRY_GRACE_MS).toBeGreaterThan(0);
	});

	it('says when the question expired', () => {
		expect(expiredLine('10:42')).toBe(':hourglass: Expired at 10:42 without an answer');
	});
});
