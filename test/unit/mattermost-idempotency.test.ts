/**
 * Idempotency keys, channel recovery and the request timeout of the Mattermost DevOps node, through the real
 * n8n-core engine against the Mattermost stand-in. A "restart" is a fresh copy of the node's modules (empty
 * process memory) with whatever static data n8n would have saved.
 */
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { Mattermost } from '../../nodes/Mattermost/Mattermost.node';
import { instanceStore, openBook } from '../../nodes/core/state';
import { IDEMPOTENCY_PROP, recoverFromPosts, SentBook, THREAD_KEY_PROP } from '../../nodes/core/mattermost';
import { NodeConnectionTypes, type IDataObject, type INodeParameters, type WorkflowExecuteMode } from 'n8n-workflow';
import { runWorkflow, type RunResult } from '../helpers/workflow-execute';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin } from '../../playground/standin/mattermost';

const TYPE = 'n8n-nodes-mattermost-devops.mattermost';
const channel = sample.townSquareId;

let mm: MattermostStandin;
beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed() });
});
afterAll(async () => mm.stop());
beforeEach(() => mm.reset());

let counter = 0;
const unique = (name: string) => `idem/${name}/${Date.now()}/${counter++}`;

/** A node class loaded with fresh modules: what n8n has after a restart. */
function restartedNode(): Mattermost {
	let Fresh: typeof Mattermost | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		Fresh = require('../../nodes/Mattermost/Mattermost.node').Mattermost;
	});
	return new Fresh!();
}

function run(parameters: IDataObject, options: { staticData?: IDataObject; nodeType?: Mattermost; mode?: WorkflowExecuteMode } = {}) {
	return runWorkflow({
		nodeTypes: [options.nodeType ?? new Mattermost()],
		credentialTypes: [new MattermostDevopsApi()],
		credentials: { mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false } },
		nodes: [{ name: 'MM', type: TYPE, parameters: parameters as INodeParameters, credentials: { mattermostDevopsApi: { id: '1', name: 'Mattermost' } } }],
		connections: { Start: { main: [[{ node: 'MM', type: NodeConnectionTypes.Main, index: 0 }]] } },
		input: [{ json: {} }],
		staticData: options.staticData,
		mode: options.mode,
	});
}

const ok = (result: RunResult) => {
	if (result.error) throw result.error;
	return result.output('MM').map((item) => item.json);
};
const send = (message: string, idempotencyKey: string, extra: IDataObject = {}) => ({
	sendTo: 'channel',
	channel: { __rl: true, mode: 'id', value: channel },
	message,
	...extra,
	options: { idempotencyKey, ...((extra.options as IDataObject | undefined) ?? {}) },
});
const count = (method: string, path: string) => mm.requests.filter((r) => r.method === method && r.path === `/api/v4${path}`).length;
const postsOnly = (method: string, path: string) => method === 'POST' && path === '/api/v4/posts';
const copy = (data: IDataObject) => JSON.parse(JSON.stringify(data)) as IDataObject;

describe('core: sent book and recovery', () => {
	it('claims once, records the post and lets a failed claim go', async () => {
		let now = 1000;
		const store = instanceStore('sent-book-test', {}, { now: () => now });
		const book = new SentBook(openBook(store, { name: 'sent', ttlMs: 60_000, maxEntries: 10, persist: 0 }), { pendingTimeoutMs: 50 });
		expect(await book.claim('c', 'k')).toBe(true);
		expect(await book.claim('c', 'k')).toBe(false);
		expect(await book.lookup('c', 'k')).toEqual({ state: 'pending' });
		now += 60;
		expect(await book.lookup('c', 'k')).toEqual({ state: 'none' });
		expect(await book.claim('c', 'k')).toBe(true);
		await book.record('c', 'k', { postId: 'p1', rootId: '' });
		expect(await book.lookup('c', 'k')).toEqual({ state: 'sent', postId: 'p1', rootId: '' });
		expect(await book.lookup('other', 'k')).toEqual({ state: 'none' });
		await book.release('c', 'k');
		expect((await book.lookup('c', 'k')).state).toBe('none');
	});

	it('reads the oldest post per key and the oldest top-level root per thread key, ignoring deleted posts', () => {
		const post = (id: string, at: number, props: IDataObject, extra: IDataObject = {}) => ({ id, create_at: at, root_id: '', props, ...extra });
		const found = recoverFromPosts({
			order: [],
			posts: {
				a: post('a', 20, { [IDEMPOTENCY_PROP]: 'k1', [THREAD_KEY_PROP]: 't1' }),
				b: post('b', 10, { [IDEMPOTENCY_PROP]: 'k1', [THREAD_KEY_PROP]: 't1' }),
				c: post('c', 30, { [IDEMPOTENCY_PROP]: 'k2', [THREAD_KEY_PROP]: 't2' }, { root_id: 'a' }),
				d: post('d', 5, { [IDEMPOTENCY_PROP]: 'k3' }, { delete_at: 99 }),
				e: post('e', 40, { other: 'x' }),
			},
		});
		expect([...found.sent]).toEqual([
			['k1', { postId: 'b', rootId: '' }],
			['k2', { postId: 'c', rootId: 'a' }],
		]);
		expect([...found.roots]).toEqual([['t1', 'b']]);
		expect(recoverFromPosts(undefined).sent.size).toBe(0);
	});
});

describe('idempotency key', () => {
	it('posts a key once per channel and hands back the earlier post afterwards, with the key in props', async () => {
		const key = unique('twice');
		const staticData: IDataObject = {};
		const [first] = ok(await run(send('Review requested', key), { staticData }));
		const [second] = ok(await run(send('Review requested', key), { staticData }));
		expect(mm.postsIn(channel).map((p) => p.id)).toEqual([first.id]);
		expect(mm.postsIn(channel)[0].props[IDEMPOTENCY_PROP]).toBe(key);
		expect(first).toMatchObject({ idempotencyKey: key });
		expect(first.reused).toBeUndefined();
		expect(second).toMatchObject({ id: first.id, channel_id: channel, reused: true, idempotencyKey: key });
		expect(count('POST', '/posts')).toBe(1);
	});

	it('sends different keys as different posts, and reads the channel back only once per process', async () => {
		const staticData: IDataObject = {};
		const node = restartedNode();
		ok(await run(send('one', unique('a')), { staticData, nodeType: node }));
		ok(await run(send('two', unique('b')), { staticData, nodeType: node }));
		ok(await run(send('three', unique('c')), { staticData, nodeType: node }));
		expect(mm.postsIn(channel)).toHaveLength(3);
		expect(count('GET', `/channels/${channel}/posts`)).toBe(1);
	});

	it('gives one post when three executions send the same key at once', async () => {
		const key = unique('concurrent');
		const outs = await Promise.all([1, 2, 3].map(async () => ok(await run(send('Pipeline failed', key), { staticData: {} }))[0]));
		expect(mm.postsIn(channel)).toHaveLength(1);
		expect(new Set(outs.map((o) => o.id)).size).toBe(1);
		expect(outs.filter((o) => o.reused)).toHaveLength(2);
	});

	it('after a crash that lost the static data, finds the post and the thread root in the channel', async () => {
		const key = unique('crash');
		const threadKey = unique('crash-thread');
		const before: IDataObject = {};
		const [root] = ok(await run(send('MR ready', key, { threadKey }), { staticData: before }));
		expect(mm.postsIn(channel)[0].props[THREAD_KEY_PROP]).toBe(threadKey);

		// n8n was killed before it saved static data: a fresh process with the static data from before the run.
		const node = restartedNode();
		const staticData: IDataObject = {};
		const [again] = ok(await run(send('MR ready', key, { threadKey }), { staticData, nodeType: node }));
		expect(again).toMatchObject({ id: root.id, reused: true });
		const [reply] = ok(await run(send('Comment', unique('crash-reply'), { threadKey }), { staticData, nodeType: node }));
		expect(reply.root_id).toBe(root.id);
		expect(mm.postsIn(channel)).toHaveLength(2);
		expect(count('GET', `/channels/${channel}/posts`)).toBe(1);
	});

	it('in retry mode reads the channel back even when this process already did, so a post made elsewhere is found', async () => {
		const key = unique('retry');
		const node = restartedNode();
		const staticData: IDataObject = {};
		ok(await run(send('warm-up', unique('warm')), { staticData, nodeType: node }));
		// Another n8n process posted the key afterwards; this process's books cannot know it.
		ok(await run(send('Deploy failed', key), { staticData: {}, nodeType: restartedNode() }));
		const reads = count('GET', `/channels/${channel}/posts`);

		const [retried] = ok(await run(send('Deploy failed', key), { staticData: copy(staticData), nodeType: node, mode: 'retry' }));
		expect(retried.reused).toBe(true);
		expect(count('GET', `/channels/${channel}/posts`)).toBe(reads + 1);
		expect(mm.postsIn(channel).filter((p) => p.message === 'Deploy failed')).toHaveLength(1);
	});

	it('after a post whose answer was lost, reads the channel again before the next message with a key', async () => {
		const key = unique('lost-answer');
		const staticData: IDataObject = {};
		const node = restartedNode();
		ok(await run(send('warm-up', unique('warm2')), { staticData, nodeType: node }));
		mm.setFaults({ sequence: ['drop'], dropAfterEffect: 1, match: postsOnly });
		const failed = await run(send('Job failed', key, { options: { retries: 0 } }), { staticData, nodeType: node });
		expect(failed.error?.message).toMatch(/Could not reach Mattermost at .* for POST \/posts: the connection was closed before an answer arrived \(item 0\)/);
		mm.setFaults(null);
		const [resent] = ok(await run(send('Job failed', key), { staticData, nodeType: node }));
		expect(resent.reused).toBe(true);
		expect(mm.postsIn(channel).filter((p) => p.message === 'Job failed')).toHaveLength(1);
		expect(count('GET', `/channels/${channel}/posts`)).toBe(2);
	});

	it('while waiting for a thread root whose maker then fails, reads the channel before starting a second root', async () => {
		const threadKey = unique('failed-root');
		const staticData: IDataObject = {};
		const node = restartedNode();
		ok(await run(send('warm-up', unique('warm3')), { staticData, nodeType: node }));
		const postsBefore = count('POST', '/posts');
		// The first message's post is made, but both attempts answer after the 1 s timeout, so its execution fails.
		mm.setFaults({ sequence: ['slow', 'slow', 'ok'], slowMs: 1500, match: postsOnly });
		const first = run(send('MR ready', unique('root-maker'), { threadKey, options: { timeout: 1, retries: 1 } }), { staticData: copy(staticData), nodeType: node });
		while (count('POST', '/posts') === postsBefore) await new Promise((resolve) => setTimeout(resolve, 20));
		const second = run(send('Comment', unique('root-waiter'), { threadKey }), { staticData: copy(staticData), nodeType: node });
		const [failed, waited] = await Promise.all([first, second]);
		expect(failed.error?.message).toMatch(/no answer within 1 s \(item 0\)/);
		// The abandoned second attempt is still being answered; let it finish inside this test.
		while (count('POST', '/posts') < postsBefore + 3) await new Promise((resolve) => setTimeout(resolve, 20));
		mm.setFaults(null);

		const roots = mm.postsIn(channel).filter((p) => p.props[THREAD_KEY_PROP] === threadKey && !p.root_id);
		expect(roots).toHaveLength(1);
		expect(ok(waited)[0].root_id).toBe(roots[0].id);
	});

	it('gives up its claim on the key when reading the channel for a failed root fails, so sending it again does not wait', async () => {
		const threadKey = unique('failed-read');
		const waiterKey = unique('read-waiter');
		const staticData: IDataObject = {};
		const node = restartedNode();
		ok(await run(send('warm-up', unique('warm4')), { staticData, nodeType: node }));
		const postsBefore = count('POST', '/posts');
		const readsChannel = (method: string, path: string) => postsOnly(method, path) || (method === 'GET' && path === `/api/v4/channels/${channel}/posts`);
		// Both posts of the root maker answer too late; then the waiter's read of the channel gets a 500.
		mm.setFaults({ sequence: ['slow', 'slow', '500'], slowMs: 1500, match: readsChannel });
		const first = run(send('MR ready', unique('root-maker2'), { threadKey, options: { timeout: 1, retries: 1 } }), { staticData: copy(staticData), nodeType: node });
		while (count('POST', '/posts') === postsBefore) await new Promise((resolve) => setTimeout(resolve, 20));
		const second = run(send('Comment', waiterKey, { threadKey, options: { retries: 0 } }), { staticData: copy(staticData), nodeType: node });
		const [, waited] = await Promise.all([first, second]);
		expect(waited.error?.message).toMatch(/Mattermost answered 500 to GET .*\(item 0\)/);
		while (count('POST', '/posts') < postsBefore + 2) await new Promise((resolve) => setTimeout(resolve, 20));
		mm.setFaults(null);

		// Within the test timeout: a key left claimed would make this wait two minutes for the claim to lapse.
		const [again] = ok(await run(send('Comment', waiterKey, { threadKey }), { staticData: copy(staticData), nodeType: node }));
		const roots = mm.postsIn(channel).filter((p) => p.props[THREAD_KEY_PROP] === threadKey && !p.root_id);
		expect(roots).toHaveLength(1);
		expect(again.root_id).toBe(roots[0].id);
	});
});

describe('request timeout', () => {
	it('repeats a post that got no answer in time, and the server keeps one copy', async () => {
		mm.setFaults({ sequence: ['slow', 'ok'], slowMs: 1500, match: postsOnly });
		const [out] = ok(await run(send('slow server', unique('slow'), { options: { timeout: 1 } })));
		// The abandoned first request is still being answered slowly.
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect(count('POST', '/posts')).toBe(2);
		expect(mm.postsIn(channel).map((p) => p.id)).toEqual([out.id]);
	});

	it('names the timeout and the item when every attempt is too slow', async () => {
		mm.setFaults({ sequence: ['slow', 'slow'], slowMs: 1500, match: postsOnly });
		const result = await run(send('slow server', unique('slow2'), { options: { timeout: 1, retries: 1 } }));
		expect(result.error?.message).toMatch(/POST \/posts: no answer within 1 s \(item 0\)/);
	});
});
