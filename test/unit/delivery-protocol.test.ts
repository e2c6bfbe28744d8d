/**
 * The delivery protocol (nodes/core/mattermost/deliver.ts) over an in-memory Mattermost and a fake clock: several
 * executions at once, answers lost after the post was made, failures, and a claim holder that dies.
 */
import {
	CLAIM_POLL_MS,
	deliver,
	deliveryBooks,
	IDEMPOTENCY_PROP,
	THREAD_KEY_PROP,
	type DeliveryBooks,
	type DeliveryPort,
	type MadePost,
	type NewPost,
} from '../../nodes/core/mattermost';
import { instanceStore } from '../../nodes/core/state';

/** Time that moves only when every execution is waiting on it. */
class FakeClock {
	now = 1_000_000;
	private waiting: Array<{ at: number; wake: () => void }> = [];

	sleep = (ms: number) =>
		new Promise<void>((wake) => {
			this.waiting.push({ at: this.now + ms, wake });
		});

	/** Runs until `done` settles, moving the clock to the next sleeper whenever nothing else can run. */
	async run<T>(done: Promise<T>): Promise<T> {
		let settled = false;
		const result = done.finally(() => (settled = true));
		// Awaited below; until then a failure must not count as unhandled.
		result.catch(() => undefined);
		while (!settled) {
			await new Promise((r) => setImmediate(r));
			if (settled) break;
			this.waiting.sort((a, b) => a.at - b.at);
			const next = this.waiting.shift();
			if (!next) continue;
			this.now = Math.max(this.now, next.at);
			next.wake();
		}
		return await result;
	}
}

/** A channel's posts kept in memory; `failNext` makes the next createPost fail before or after it is made. */
class FakeMattermost {
	posts: Array<MadePost & { props?: Record<string, unknown> }> = [];
	createCalls = 0;
	failNext?: 'before' | 'after';
	private seq = 0;

	constructor(private readonly clock: FakeClock) {}

	port(): DeliveryPort {
		return {
			createPost: async (post: NewPost) => {
				this.createCalls++;
				await this.clock.sleep(5);
				const failure = this.failNext;
				this.failNext = undefined;
				if (failure === 'before') throw new Error('connect ECONNREFUSED');
				const made = { id: `p${++this.seq}`, channel_id: post.channel_id, root_id: post.root_id ?? '', create_at: this.clock.now, message: post.message, props: post.props };
				this.posts.push(made);
				if (failure === 'after') throw new Error('socket hang up (the post was made, its answer lost)');
				return made;
			},
			getPosts: async (channelId) => ({
				order: this.posts.filter((p) => p.channel_id === channelId).map((p) => p.id),
				posts: Object.fromEntries(this.posts.filter((p) => p.channel_id === channelId).map((p) => [p.id, p])),
			}),
			getPost: async (id) => {
				const post = this.posts.find((p) => p.id === id);
				if (!post) throw new Error(`no post ${id}`);
				return { id, message: post.message ?? '', create_at: post.create_at ?? 0 };
			},
			patchPost: async ({ id, message }) => {
				const post = this.posts.find((p) => p.id === id);
				if (post) post.message = message;
				return post;
			},
			sleep: this.clock.sleep,
			refusal: () => undefined,
		};
	}

	top() {
		return this.posts.filter((p) => !p.root_id);
	}
}

let scopes = 0;

function setup(options: { pendingTimeoutMs?: number } = {}) {
	const clock = new FakeClock();
	const mm = new FakeMattermost(clock);
	const scope = `delivery-protocol-${++scopes}`;
	/** One process's books (its own memory of channels read), as one n8n process or worker has. */
	const books = (): DeliveryBooks =>
		deliveryBooks(instanceStore(scope, {}, { now: () => clock.now }), new Set(), { pendingTimeoutMs: options.pendingTimeoutMs });
	const send = (b: DeliveryBooks, message: string, extra: { idempotencyKey?: string; threadKey?: string } = {}) =>
		deliver(mm.port(), b, { channelId: 'dm1', parts: [message], props: {}, pendingPostId: (part) => `pp-${message}-${part}`, ...extra });
	return { clock, mm, books, send };
}

describe('delivery protocol', () => {
	it('posts one message per idempotency key when three executions deliver it at once', async () => {
		const { clock, mm, books, send } = setup();
		const shared = books();
		const results = await clock.run(Promise.all([1, 2, 3].map(() => send(shared, 'MR !7 opened', { idempotencyKey: 'd1|alice' }))));
		expect(mm.posts).toHaveLength(1);
		expect(results.filter((r) => r.reused)).toHaveLength(2);
		expect(results.filter((r) => !r.reused)).toHaveLength(1);
		expect(mm.posts[0].props?.[IDEMPOTENCY_PROP]).toBe('d1|alice');
	});

	it('makes one thread root per thread key under contention; the others reply to it', async () => {
		const { clock, mm, books, send } = setup();
		const shared = books();
		await clock.run(Promise.all(['a', 'b', 'c'].map((m) => send(shared, m, { threadKey: 'gitlab/1/merge_request/7' }))));
		expect(mm.top()).toHaveLength(1);
		expect(mm.top()[0].props?.[THREAD_KEY_PROP]).toBe('gitlab/1/merge_request/7');
		expect(mm.posts.filter((p) => p.root_id === mm.top()[0].id)).toHaveLength(2);
	});

	it('a post made whose answer was lost is found by reading the channel back, not posted again', async () => {
		const { clock, mm, books, send } = setup();
		const b = books();
		mm.failNext = 'after';
		await expect(clock.run(send(b, 'hello', { idempotencyKey: 'k1' }))).rejects.toThrow('answer lost');
		expect(mm.posts).toHaveLength(1);
		const again = await clock.run(send(b, 'hello', { idempotencyKey: 'k1' }));
		expect(again).toMatchObject({ reused: true, postId: mm.posts[0].id });
		expect(mm.posts).toHaveLength(1);
	});

	it('a thread root whose answer was lost is found again, so the retry replies in it', async () => {
		const { clock, mm, books, send } = setup();
		const b = books();
		mm.failNext = 'after';
		await expect(clock.run(send(b, 'first', { threadKey: 't' }))).rejects.toThrow();
		await clock.run(send(b, 'second', { threadKey: 't' }));
		expect(mm.top()).toHaveLength(1);
		expect(mm.posts[1].root_id).toBe(mm.posts[0].id);
	});

	it('releases its claims when posting fails, so the next attempt posts at once', async () => {
		const { clock, mm, books, send } = setup();
		const b = books();
		mm.failNext = 'before';
		await expect(clock.run(send(b, 'x', { idempotencyKey: 'k', threadKey: 't' }))).rejects.toThrow('ECONNREFUSED');
		expect(await b.sent.lookup('dm1', 'k')).toEqual({ state: 'none' });
		expect(await b.threads.lookup('dm1', 't')).toEqual({ state: 'none' });
		const started = clock.now;
		const result = await clock.run(send(b, 'x', { idempotencyKey: 'k', threadKey: 't' }));
		expect(result.reused).toBe(false);
		expect(clock.now - started).toBeLessThan(CLAIM_POLL_MS);
		expect(mm.posts).toHaveLength(1);
	});

	it('a waiting execution whose claim holder died takes over once the claim expires, after reading the channel again', async () => {
		const { clock, mm, books, send } = setup({ pendingTimeoutMs: 2000 });
		const b = books();
		// The holder claimed and died before posting: nothing in the channel, a claim that expires by itself.
		expect(await b.sent.claim('dm1', 'k')).toBe(true);
		const result = await clock.run(send(b, 'x', { idempotencyKey: 'k' }));
		expect(result.reused).toBe(false);
		expect(mm.posts).toHaveLength(1);
		expect(clock.now - 1_000_000).toBeGreaterThanOrEqual(2000);
	});

	it('a claim holder that died after posting: the waiter finds its post by reading the channel back', async () => {
		const { clock, mm, books, send } = setup({ pendingTimeoutMs: 2000 });
		const worker1 = books();
		const worker2 = books();
		// Worker 1 claims, posts, and is killed before it records the post.
		expect(await worker1.sent.claim('dm1', 'k')).toBe(true);
		mm.posts.push({ id: 'made-by-worker-1', channel_id: 'dm1', root_id: '', create_at: clock.now, props: { [IDEMPOTENCY_PROP]: 'k' } });
		// Worker 2 had read the channel before that post existed.
		worker2.read.add('dm1');
		const result = await clock.run(send(worker2, 'x', { idempotencyKey: 'k' }));
		expect(result).toMatchObject({ reused: true, postId: 'made-by-worker-1' });
		expect(mm.posts).toHaveLength(1);
	});

	it('a claim whose holder died after posting and that expired before anyone looked: the channel is read back again', async () => {
		const { clock, mm, books, send } = setup({ pendingTimeoutMs: 2000 });
		const worker1 = books();
		const worker2 = books();
		worker2.read.add('dm1');
		expect(await worker1.sent.claim('dm1', 'k')).toBe(true);
		mm.posts.push({ id: 'made-by-worker-1', channel_id: 'dm1', root_id: '', create_at: clock.now, props: { [IDEMPOTENCY_PROP]: 'k' } });
		// Worker 1 is killed; its claim expires. Minutes later GitLab re-sends and worker 2, which read the channel
		// before that post, handles it.
		clock.now += 5 * 60_000;
		const result = await clock.run(send(worker2, 'x', { idempotencyKey: 'k' }));
		expect(result).toMatchObject({ reused: true, postId: 'made-by-worker-1' });
		expect(mm.posts).toHaveLength(1);
	});

	it('writes the reply as the root status line when asked', async () => {
		const { clock, mm, books } = setup();
		const b = books();
		const port = mm.port();
		const base = { channelId: 'dm1', props: {}, threadKey: 't', pendingPostId: (n: number) => `pp${n}` };
		await clock.run(deliver(port, b, { ...base, parts: ['MR !7 opened'] }));
		await clock.run(deliver(port, b, { ...base, parts: ['Pipeline failed\ndetails'], statusLine: { maxRunes: 1000, editTimeLimitSeconds: -1 } }));
		expect(mm.posts[0].message).toBe('MR !7 opened\n\n---\n**Latest:** Pipeline failed');
	});
});
