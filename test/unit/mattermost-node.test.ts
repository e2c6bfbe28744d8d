/**
 * The Mattermost DevOps node run through the real n8n-core engine against the Mattermost stand-in.
 */
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { MattermostIncomingWebhookApi } from '../../credentials/MattermostIncomingWebhookApi.credentials';
import { Mattermost } from '../../nodes/Mattermost/Mattermost.node';
import { LoadOptionsContext } from 'n8n-core';
import {
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { searchChannels } from '../../nodes/Mattermost/methods/listSearch';
import { runWorkflow, TestCredentialsHelper, TestNodeTypes, type RunResult } from '../helpers/workflow-execute';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin } from '../../playground/standin/mattermost';

const ZWSP = '\u200b';
const u = sample.users;
const TYPE = 'n8n-nodes-mattermost-devops.mattermost';

let mm: MattermostStandin;
beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed() });
});
afterAll(async () => mm.stop());
beforeEach(() => mm.reset());

let keyCounter = 0;
/** Thread keys unique per test: thread roots are also kept in process memory across runs. */
const uniqueKey = (name: string) => `test/${name}/${Date.now()}/${keyCounter++}`;

interface RunOptions {
	token?: string;
	staticData?: IDataObject;
	/** Runs sharing an id share the node's process-wide caches (default: one id per test, as separate workflows). */
	workflowId?: string;
	continueOnFail?: boolean;
	server?: MattermostStandin;
	nodeType?: Mattermost;
	webhook?: ICredentialDataDecryptedObject;
}

function run(parameters: IDataObject, input: Array<IDataObject | INodeExecutionData> = [{}], options: RunOptions = {}) {
	const server = options.server ?? mm;
	return runWorkflow({
		nodeTypes: [options.nodeType ?? new Mattermost()],
		credentialTypes: [new MattermostDevopsApi(), new MattermostIncomingWebhookApi()],
		credentials: {
			mattermostDevopsApi: { baseUrl: `${server.url}/`, accessToken: options.token ?? sample.tokens.notifier, allowUnauthorizedCerts: false },
			mattermostIncomingWebhookApi: options.webhook ?? { webhookUrl: `${server.url}/hooks/${sample.hookId}` },
		},
		nodes: [
			{
				name: 'MM',
				type: TYPE,
				parameters: parameters as INodeParameters,
				credentials: {
					mattermostDevopsApi: { id: '1', name: 'Mattermost' },
					mattermostIncomingWebhookApi: { id: '2', name: 'Hook' },
				},
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: 'MM', type: NodeConnectionTypes.Main, index: 0 }]] } },
		input: input.map((item) => ('json' in item ? (item as INodeExecutionData) : { json: item as IDataObject })),
		staticData: options.staticData,
		workflowId: options.workflowId ?? `wf:${expect.getState().currentTestName}`,
	});
}

const ok = (result: RunResult) => {
	if (result.error) throw result.error;
	return result.output('MM').map((item) => item.json);
};
const count = (method: string, path: string, server = mm) => server.requests.filter((r) => r.method === method && r.path === `/api/v4${path}`).length;
const toChannel = (mode: string, value: string, extra: IDataObject = {}) => ({ sendTo: 'channel', channel: { __rl: true, mode, value }, ...extra });
const dmOf = (userId: string) => mm.directChannelOf(u.notifier, userId)!;

describe('send to a channel', () => {
	it.each([
		['id', sample.townSquareId],
		['list', sample.releasesId],
		['name', 'devops/town-square'],
	])('by %s', async (mode, value) => {
		const [out] = ok(await run(toChannel(mode, value, { message: 'Deploy finished' })));
		const channelId = mode === 'list' ? sample.releasesId : sample.townSquareId;
		expect(out).toMatchObject({ channel_id: channelId, root_id: '', message: 'Deploy finished', sentTo: { type: 'channel', channelId } });
		expect(mm.postsIn(channelId).map((p) => p.id)).toEqual([out.id]);
	});

	it('outputs items with pairedItem for every input item', async () => {
		const result = await run(toChannel('id', sample.townSquareId, { message: '={{ $json.text }}' }), [{ text: 'one' }, { text: 'two' }]);
		expect(result.output('MM').map((i) => [i.json.message, i.pairedItem])).toEqual([
			['one', { item: 0 }],
			['two', { item: 1 }],
		]);
	});
	it('lists the token user’s teams and channels for the picker, never the admin-only GET /channels', async () => {
		const node: INode = {
			id: 'mm',
			name: 'MM',
			type: TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			credentials: { mattermostDevopsApi: { id: '1', name: 'Mattermost' } },
		};
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes([new Mattermost()]) });
		const credentialTypes = { mattermostDevopsApi: new MattermostDevopsApi() };
		const credentials = { mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false } };
		const additionalData = { credentialsHelper: new TestCredentialsHelper(credentialTypes, credentials) } as unknown as IWorkflowExecuteAdditionalData;
		const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.channel');
		const { results } = await searchChannels.call(context);
		expect(results.map((r) => [r.name, r.value])).toEqual([
			['DevOps / Releases', sample.releasesId],
			['DevOps / Town Square', sample.townSquareId],
		]);
		expect((await searchChannels.call(context, 'release')).results.map((r) => r.value)).toEqual([sample.releasesId]);
		expect(mm.requests.some((r) => r.path === '/api/v4/channels')).toBe(false);
	});
});

describe('direct and group messages', () => {
	it('DMs users given by id, username, @username and e-mail', async () => {
		const out = ok(await run({ sendTo: 'direct', users: `${u.alice}, bob, @carol, dave@example.test`, message: 'Hi' }));
		expect(out.map((o) => (o.sentTo as IDataObject).user)).toEqual([
			{ id: u.alice, username: 'alice' },
			{ id: u.bob, username: 'bob' },
			{ id: u.carol, username: 'carol' },
			{ id: u.dave, username: 'dave.d' },
		]);
		for (const id of [u.alice, u.bob, u.carol, u.dave]) expect(mm.postsIn(dmOf(id).id)).toHaveLength(1);
		expect(count('POST', '/users/usernames')).toBe(1);
	});

	it('sends one group message to 3 people including the sender', async () => {
		const [out] = ok(await run({ sendTo: 'group', users: 'alice, bob', message: 'Release sync' }));
		const group = mm.groupChannelOf([u.notifier, u.alice, u.bob])!;
		expect(out.sentTo).toMatchObject({ type: 'group', channelId: group.id });
		expect(mm.postsIn(group.id)).toHaveLength(1);
	});

	it('refuses a group that is too small, naming the item', async () => {
		const result = await run({ sendTo: 'group', users: 'alice', message: 'x' });
		expect(result.error?.message).toMatch(/3 to 8 people.*\(item 0\)/);
	});

	it('caches per execution: 5 messages to one person = 1 lookup, 1 DM channel call, 5 posts', async () => {
		ok(await run({ sendTo: 'direct', users: '@alice', message: '={{ $json.n }}' }, [1, 2, 3, 4, 5].map((n) => ({ n: String(n) }))));
		expect(count('POST', '/users/usernames')).toBe(1);
		expect(count('POST', '/channels/direct')).toBe(1);
		expect(count('POST', '/posts')).toBe(5);
		expect(count('GET', '/users/me')).toBe(1);
		expect(count('GET', '/config/client')).toBe(1);
		expect(mm.postsIn(dmOf(u.alice).id).map((p) => p.message)).toEqual(['1', '2', '3', '4', '5']);
	});

	it('spends one request per message once warm: lookups and DM channels outlive the execution; a restart asks once again', async () => {
		const staticData: IDataObject = {};
		const dm = (message: string) => run({ sendTo: 'direct', users: '@alice, bob', message }, [{}], { staticData });
		ok(await dm('cold'));
		const coldRequests = mm.requests.length;
		ok(await dm('warm'));
		expect(mm.requests.slice(coldRequests).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v4/posts', 'POST /api/v4/posts']);

		// After a restart memory is empty: the answers are asked once more (they are cheap and kept out of static data).
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		let FreshMattermost: typeof Mattermost | undefined;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			FreshMattermost = require('../../nodes/Mattermost/Mattermost.node').Mattermost;
		});
		const beforeRestart = mm.requests.length;
		ok(await run({ sendTo: 'direct', users: '@alice, bob', message: 'after restart' }, [{}], { staticData: saved, nodeType: new FreshMattermost!() }));
		expect(mm.requests.slice(beforeRestart).map((r) => `${r.method} ${r.path}`).sort()).toEqual(
			['GET /api/v4/config/client', 'GET /api/v4/users/me', 'POST /api/v4/channels/direct', 'POST /api/v4/channels/direct', 'POST /api/v4/posts', 'POST /api/v4/posts', 'POST /api/v4/users/usernames'].sort(),
		);
		expect(mm.postsIn(dmOf(u.alice).id).map((p) => p.message)).toEqual(['cold', 'warm', 'after restart']);
	});

	it('keeps cached answers per server and token: another token starts afresh', async () => {
		const staticData: IDataObject = {};
		ok(await run({ sendTo: 'direct', users: '@alice', message: 'as notifier' }, [{}], { staticData }));
		const before = mm.requests.length;
		const result = await run({ sendTo: 'direct', users: '@alice', message: 'bad token' }, [{}], { staticData, token: 'not-a-valid-token' });
		expect(result.error?.message).toContain('401');
		expect(mm.requests.length).toBeGreaterThan(before);
	});

	it('reports an unknown user naming the user and the item', async () => {
		const result = await run({ sendTo: 'direct', users: 'ghost', message: 'x' });
		expect(result.error?.message).toContain("user 'ghost' not found (item 0)");
		expect(count('POST', '/posts')).toBe(0);
	});

	it('with Continue On Fail turns a bad item into an error item and sends the others', async () => {
		const result = await run({ sendTo: 'direct', users: '={{ $json.who }}', message: 'x' }, [{ who: 'alice' }, { who: 'ghost' }, { who: 'bob' }], {
			continueOnFail: true,
		});
		const items = result.output('MM');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toContain("user 'ghost' not found");
		expect(items[0].json.id).toBeDefined();
		expect(items[2].json.id).toBeDefined();
		expect(mm.posts()).toHaveLength(2);
	});
});

describe('message source: from input item', () => {
	/** One Recipient Resolver item per recipient, as the bundled GitLab workflow hands them over. */
	const resolved = (userId: string, message: IDataObject) => ({ mattermost: { id: userId, username: 'x' }, message });
	const mr = (threadKey: string, text = 'MR !7 opened') => ({
		text,
		attachments: [{ color: '#1f78d1', title: 'Fix login', text: 'Please review' }],
		threadKey,
		idempotencyKey: `delivery-${threadKey}`,
	});

	it("DMs each item's recipient its message, attachments and thread, with a per-recipient idempotency key", async () => {
		const threadKey = uniqueKey('input');
		const params = { sendTo: 'direct', messageSource: 'input' };
		const staticData: IDataObject = {};
		const items = [resolved(u.alice, mr(threadKey)), resolved(u.bob, mr(threadKey))];
		const roots = ok(await run(params, items, { staticData }));
		expect(roots.map((r) => (r.sentTo as IDataObject).user)).toEqual([
			{ id: u.alice, username: 'alice' },
			{ id: u.bob, username: 'bob' },
		]);
		expect(roots.map((r) => r.idempotencyKey)).toEqual([`delivery-${threadKey}/to:${u.alice}`, `delivery-${threadKey}/to:${u.bob}`]);
		const [post] = mm.postsIn(dmOf(u.alice).id);
		expect(post.message).toBe('MR !7 opened');
		expect((post.props as IDataObject).attachments).toMatchObject([{ title: 'Fix login', text: 'Please review' }]);

		// The same delivery again: nothing new. A later event of the merge request replies in each person's thread.
		ok(await run(params, items, { staticData }));
		expect(count('POST', '/posts')).toBe(2);
		const next = { ...mr(threadKey, 'Pipeline passed'), idempotencyKey: `next-${threadKey}` };
		const replies = ok(await run(params, [resolved(u.alice, next), resolved(u.bob, next)], { staticData }));
		expect(replies.map((r) => r.root_id)).toEqual(roots.map((r) => r.id));
	});

	it('posts the message of the item in a channel, idempotency key as given', async () => {
		const threadKey = uniqueKey('input-channel');
		const [out] = ok(await run(toChannel('id', sample.townSquareId, { messageSource: 'input' }), [{ message: mr(threadKey) }]));
		expect(out.channel_id).toBe(sample.townSquareId);
		expect(out.idempotencyKey).toBe(`delivery-${threadKey}`);
		expect(mm.postsIn(sample.townSquareId).at(-1)?.message).toBe('MR !7 opened');
	});

	it('names the item and the field that is missing or wrong, and with Continue On Fail sends the other items', async () => {
		const threadKey = uniqueKey('input-bad');
		const items = [resolved(u.alice, mr(threadKey)), { message: mr(threadKey) }, resolved(u.bob, { ...mr(threadKey), text: 42 }), { text: 'no message' }];
		const stopped = await run({ sendTo: 'direct', messageSource: 'input' }, items);
		expect(stopped.error?.message).toBe('The input item names no recipient (item 1)');
		expect((stopped.error as { description?: string }).description).toContain('Check the field mattermost.id of the input item');

		mm.reset();
		const result = await run({ sendTo: 'direct', messageSource: 'input' }, items, { continueOnFail: true, workflowId: 'wf:input-bad-continue' });
		const errors = result.output('MM').map((item) => item.json.error);
		expect(errors).toEqual([
			undefined,
			'The input item names no recipient (item 1)',
			'message.text must be text (item 2)',
			'The input item has no message object (item 3)',
		]);
		expect(mm.posts()).toHaveLength(1);
	});
});

describe('threads', () => {
	it('makes the first message with a key the root and replies to it later, across runs', async () => {
		const threadKey = uniqueKey('root');
		const staticData: IDataObject = {};
		const [root] = ok(await run(toChannel('id', sample.townSquareId, { message: 'MR opened', threadKey }), [{}], { staticData }));
		const [reply] = ok(await run(toChannel('id', sample.townSquareId, { message: 'Pipeline passed', threadKey }), [{}], { staticData }));
		expect(root.root_id).toBe('');
		expect(reply.root_id).toBe(root.id);
		expect(reply.threadKey).toBe(threadKey);
	});

	it('keeps the map in workflow static data, so it survives a restart (fresh process memory)', async () => {
		const threadKey = uniqueKey('restart');
		const staticData: IDataObject = {};
		const [root] = ok(await run(toChannel('id', sample.townSquareId, { message: 'Issue opened', threadKey }), [{}], { staticData }));
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(Object.keys(saved)).toContain('node:MM');
		let FreshMattermost: typeof Mattermost | undefined;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			FreshMattermost = require('../../nodes/Mattermost/Mattermost.node').Mattermost;
		});
		const [reply] = ok(
			await run(toChannel('id', sample.townSquareId, { message: 'Issue closed', threadKey }), [{}], { staticData: saved, nodeType: new FreshMattermost!() }),
		);
		expect(reply.root_id).toBe(root.id);
	});

	it('gives each DM recipient their own thread', async () => {
		const threadKey = uniqueKey('dm');
		const params = { sendTo: 'direct', users: 'alice, bob', threadKey };
		const roots = ok(await run({ ...params, message: 'Review requested' }));
		const replies = ok(await run({ ...params, message: 'Approved' }));
		expect(replies.map((r) => r.root_id)).toEqual(roots.map((r) => r.id));
		expect(new Set(roots.map((r) => r.channel_id)).size).toBe(2);
	});

	it('edits the root to show the latest status line when asked', async () => {
		const threadKey = uniqueKey('status');
		const base = toChannel('id', sample.townSquareId, { threadKey });
		const [root] = ok(await run({ ...base, message: 'MR !7 opened' }));
		ok(await run({ ...base, message: 'Pipeline failed\ndetails…', options: { updateThreadRoot: true } }));
		const stored = mm.posts().find((p) => p.id === root.id)!;
		expect(stored.message).toBe('MR !7 opened\n\n---\n**Latest:** Pipeline failed');
		expect(count('PUT', `/posts/${root.id}/patch`)).toBe(1);
	});

	it('sets priority on root posts only', async () => {
		const threadKey = uniqueKey('priority');
		const base = toChannel('id', sample.townSquareId, { threadKey, options: { priority: 'urgent' } });
		ok(await run({ ...base, message: 'Outage' }));
		ok(await run({ ...base, message: 'Still down' }));
		const sent = mm.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/posts').map((r) => r.body as IDataObject);
		expect(sent[0].metadata).toEqual({ priority: { priority: 'urgent' } });
		expect(sent[1].metadata).toBeUndefined();
		expect(sent[1].root_id).toBeTruthy();
	});
});

describe('content', () => {
	it('splits a message longer than MaxPostSize into consecutive posts, in order', async () => {
		const small = await startMattermostStandin({ seed: sampleSeed(), maxPostSize: 100 });
		try {
			const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} ${'x'.repeat(30)}`);
			const [out] = ok(await run(toChannel('id', sample.townSquareId, { message: paragraphs.join('\n\n') }), [{}], { server: small }));
			const posts = small.postsIn(sample.townSquareId);
			expect(posts.length).toBeGreaterThan(1);
			expect((out.posts as IDataObject[]).map((p) => p.id)).toEqual(posts.map((p) => p.id));
			expect(posts.map((p) => p.message).join('\n\n')).toBe(paragraphs.join('\n\n'));
		} finally {
			await small.stop();
		}
	});

	it('uploads files from binary properties and attaches them', async () => {
		const file = (text: string, fileName: string) => ({ data: Buffer.from(text).toString('base64'), mimeType: 'text/plain', fileName });
		const input: INodeExecutionData = { json: {}, binary: { log: file('build log', 'build.log'), report: file('report', 'report.txt') } };
		const [out] = ok(await run(toChannel('id', sample.townSquareId, { message: 'Artifacts', options: { binaryProperties: 'log, report' } }), [input]));
		// One upload request per file: Mattermost limits a whole request to MaxFileSize.
		expect(count('POST', '/files')).toBe(2);
		expect(out.file_ids).toHaveLength(2);
		expect(mm.postsIn(sample.townSquareId)[0].file_ids).toEqual(out.file_ids);
		expect(mm.files().map((f) => f.data.toString())).toEqual(['build log', 'report']);
	});

	it('refuses more than 10 files with a clear error', async () => {
		const names = Array.from({ length: 11 }, (_, i) => `f${i}`).join(',');
		const result = await run(toChannel('id', sample.townSquareId, { message: 'x', options: { binaryProperties: names } }));
		expect(result.error?.message).toContain('At most 10 files');
	});

	it('neutralises channel-wide mentions in message and attachments but keeps @username', async () => {
		const attachmentsJson = JSON.stringify([{ pretext: '@all look', text: 'ping <!here>', fields: [{ title: 'Who', value: '@channel' }] }]);
		ok(await run(toChannel('id', sample.townSquareId, { message: '@channel deploy by @alice', options: { attachmentsJson } })));
		const [post] = mm.postsIn(sample.townSquareId);
		expect(post.message).toBe(`@${ZWSP}channel deploy by @alice`);
		const [card] = (post.props as IDataObject).attachments as IDataObject[];
		expect(card.pretext).toBe(`@${ZWSP}all look`);
		expect(card.text).toBe(`ping <${ZWSP}!here>`);
		expect((card.fields as IDataObject[])[0].value).toBe(`@${ZWSP}channel`);
	});

	it('leaves mentions alone when mention blocking is off', async () => {
		ok(await run(toChannel('id', sample.townSquareId, { message: '@here standup', options: { blockChannelMentions: false } })));
		expect(mm.postsIn(sample.townSquareId)[0].message).toBe('@here standup');
	});

	it('builds attachments from the editor and rejects a bad colour naming the item and field', async () => {
		const attachmentsUi = { attachment: [{ color: 'danger', title: 'Pipeline #9', titleLink: 'https://git.example.test/p/9', fields: { field: [{ title: 'Stage', value: 'test', short: true }] } }] };
		ok(await run(toChannel('id', sample.townSquareId, { message: '', attachmentsUi })));
		expect((mm.postsIn(sample.townSquareId)[0].props as IDataObject).attachments).toEqual([
			{ color: 'danger', title: 'Pipeline #9', title_link: 'https://git.example.test/p/9', fields: [{ title: 'Stage', value: 'test', short: true }] },
		]);
		const bad = await run(toChannel('id', sample.townSquareId, { message: 'x', attachmentsUi: { attachment: [{ color: 'pink', text: 'x' }] } }));
		expect(bad.error?.message).toMatch(/attachments\[0\]\.color .*\(item 0\)/);
	});
});

describe('update post and add reaction', () => {
	it('patches a post’s message and attachments', async () => {
		const [sent] = ok(await run(toChannel('id', sample.townSquareId, { message: 'Deploying…' })));
		const [out] = ok(
			await run({ resource: 'message', operation: 'update', postId: sent.id, message: 'Deployed', options: { attachmentsJson: '[{"color":"good","text":"v1.2"}]' } }),
		);
		expect(out).toMatchObject({ id: sent.id, message: 'Deployed' });
		const stored = mm.posts().find((p) => p.id === sent.id)!;
		expect(stored.message).toBe('Deployed');
		expect((stored.props as IDataObject).attachments).toEqual([{ color: 'good', text: 'v1.2' }]);
	});

	it('refuses ids that are not Mattermost ids before any request (no `..` into an API path)', async () => {
		const before = mm.requests.length;
		const update = await run({ resource: 'message', operation: 'update', postId: '../../users/me', message: 'x' });
		expect(update.error?.message).toMatch(/^Post ID '\.\.\/\.\.\/users\/me' is not a Mattermost ID \(item 0\)/);
		const react = await run({ resource: 'reaction', operation: 'add', postId: '..', emojiName: 'x' });
		expect(react.error?.message).toMatch(/^Post ID '\.\.' is not a Mattermost ID/);
		expect(mm.requests.filter((r) => r.path.includes('..'))).toEqual([]);
		expect(mm.requests.length).toBe(before);
	});

	it('adds a reaction as the token’s own user', async () => {
		const [sent] = ok(await run(toChannel('id', sample.townSquareId, { message: 'Ship it?' })));
		const [out] = ok(await run({ resource: 'reaction', operation: 'add', postId: sent.id, emojiName: ':rocket:' }));
		expect(out).toMatchObject({ user_id: u.notifier, post_id: sent.id, emoji_name: 'rocket' });
		expect(mm.reactions()).toHaveLength(1);
	});
});

describe('incoming webhook', () => {
	it('posts text with attachments at the top level', async () => {
		const [out] = ok(
			await run({ resource: 'incomingWebhook', operation: 'send', text: 'Nightly build green', options: { attachmentsJson: '[{"color":"good","text":"all tests passed"}]' } }),
		);
		expect(out).toMatchObject({ ok: true });
		const [post] = mm.postsIn(sample.townSquareId);
		expect(post.message).toBe('Nightly build green');
		expect((post.props as IDataObject).attachments).toEqual([{ color: 'good', text: 'all tests passed' }]);
		const [request] = mm.requests.filter((r) => r.path.startsWith('/hooks/'));
		expect((request.body as IDataObject).attachments).toBeDefined();
	});

	it('uses the credential defaults and lets node options override them', async () => {
		const webhook = { webhookUrl: `${mm.url}/hooks/${sample.hookId}`, channel: 'releases', username: 'ci-bot', iconUrl: 'https://img.example.test/ci.png' };
		ok(await run({ resource: 'incomingWebhook', operation: 'send', text: 'a' }, [{}], { webhook }));
		ok(await run({ resource: 'incomingWebhook', operation: 'send', text: 'b', options: { channel: 'town-square', username: 'deployer' } }, [{}], { webhook }));
		const bodies = mm.requests.filter((r) => r.path.startsWith('/hooks/')).map((r) => r.body as IDataObject);
		expect(bodies[0]).toMatchObject({ channel: 'releases', username: 'ci-bot', icon_url: 'https://img.example.test/ci.png' });
		expect(bodies[1]).toMatchObject({ channel: 'town-square', username: 'deployer' });
	});

	it('reports a wrong hook without revealing its URL', async () => {
		const webhook = { webhookUrl: `${mm.url}/hooks/secret-hook-id-that-is-wrong` };
		const result = await run({ resource: 'incomingWebhook', operation: 'send', text: 'x' }, [{}], { webhook });
		expect(result.error?.message).toContain('400');
		expect(JSON.stringify(result.error)).not.toContain('secret-hook-id-that-is-wrong');
	});
});

describe('retries and errors', () => {
	const postsOnly = (method: string, path: string) => method === 'POST' && path === '/api/v4/posts';

	it('waits as a 429 asks and then succeeds', async () => {
		mm.setFaults({ sequence: ['429', 'ok'], retryAfterSeconds: 1, match: postsOnly });
		ok(await run(toChannel('id', sample.townSquareId, { message: 'after rate limit' })));
		expect(count('POST', '/posts')).toBe(2);
		expect(mm.faultsInjected['429']).toBe(1);
		expect(mm.postsIn(sample.townSquareId)).toHaveLength(1);
	});

	it('backs off after a 500 and then succeeds', async () => {
		mm.setFaults({ sequence: ['500', 'ok'], match: postsOnly });
		ok(await run(toChannel('id', sample.townSquareId, { message: 'after 500' })));
		expect(count('POST', '/posts')).toBe(2);
		expect(mm.postsIn(sample.townSquareId)).toHaveLength(1);
	});

	it('never duplicates a post whose answer was lost (dropped connection after the post was created)', async () => {
		mm.setFaults({ sequence: ['drop', 'ok'], dropAfterEffect: 1, match: postsOnly });
		const [out] = ok(await run(toChannel('id', sample.townSquareId, { message: 'exactly once' })));
		// The channel is read back first and holds the post (its marker prop), so the post is not even repeated.
		expect(count('POST', '/posts')).toBe(1);
		expect(mm.postsIn(sample.townSquareId).map((p) => p.id)).toEqual([out.id]);
	});

	it('gives up with the last error after the retry budget', async () => {
		mm.setFaults({ sequence: ['500', '500'], match: postsOnly });
		const result = await run(toChannel('id', sample.townSquareId, { message: 'x', options: { retries: 1 } }));
		expect(result.error?.message).toMatch(/500/);
		expect(count('POST', '/posts')).toBe(2);
	});

	it('applies each item’s own Retries: one execution, two items, two budgets', async () => {
		mm.setFaults({ sequence: ['500', 'ok', '500'], match: postsOnly });
		const result = await run(
			toChannel('id', sample.townSquareId, { message: '={{ $json.text }}', options: { retries: '={{ $json.retries }}' } }),
			[{ text: 'first', retries: 1 }, { text: 'second', retries: 0 }],
			{ continueOnFail: true },
		);
		const items = result.output('MM').map((item) => item.json);
		expect(items[0]).toMatchObject({ message: 'first' });
		expect(String(items[1].error)).toMatch(/^Mattermost answered 500 to POST \/posts/);
		expect(count('POST', '/posts')).toBe(3);
	});

	const hookCalls = () => mm.requests.filter((r) => r.path.startsWith('/hooks/'));
	const toHook = (text: string) => run({ resource: 'incomingWebhook', operation: 'send', text, options: { retries: 3 } });

	it('repeats a rate-limited webhook post as the server asks (nothing was posted)', async () => {
		mm.setFaults({ sequence: ['429', 'ok'], retryAfterSeconds: 1, match: (_m, path) => path.startsWith('/hooks/') });
		ok(await toHook('after rate limit'));
		expect(hookCalls().map((r) => r.status)).toEqual([429, 200]);
		expect(mm.postsIn(sample.townSquareId)).toHaveLength(1);
	});

	it('never repeats a webhook post that may have been posted (5xx, connection lost after the post)', async () => {
		mm.setFaults({ sequence: ['500'], match: (_m, path) => path.startsWith('/hooks/') });
		const failed = await toHook('maybe posted');
		expect(failed.error?.message).toMatch(/^Mattermost webhook answered 500/);
		expect(hookCalls()).toHaveLength(1);
		mm.setFaults({ sequence: ['drop'], dropAfterEffect: 1, match: (_m, path) => path.startsWith('/hooks/') });
		const dropped = await toHook('posted, answer lost');
		expect(dropped.error?.message).toBe('Could not reach the Mattermost webhook: the connection was closed before an answer arrived (item 0)');
		expect(hookCalls()).toHaveLength(2);
		expect(mm.postsIn(sample.townSquareId).map((p) => p.message)).toEqual(['posted, answer lost']);
	});

	it('a bad token fails with the server’s message and status, never the token', async () => {
		const token = 'sekret-token-value-123';
		const result = await run(toChannel('id', sample.townSquareId, { message: 'x' }), [{}], { token });
		expect(result.error?.message).toContain('401');
		expect(result.error?.message).toContain('Invalid or expired session, please login again.');
		expect(JSON.stringify(result.error)).toContain('api.context.session_expired.app_error');
		expect(JSON.stringify(result.error)).not.toContain(token);
		expect(JSON.stringify(result.run.data)).not.toContain(token);
	});
});

describe('credential test request', () => {
	/** The credential's test request, its expressions resolved by n8n-workflow, sent with the Bearer header authenticate adds. */
	async function credentialTest(accessToken: string) {
		const test = new MattermostDevopsApi().test;
		const node: INode = { id: 't', name: 'T', type: TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes([new Mattermost()]) });
		const $credentials = { baseUrl: `${mm.url}/`, accessToken, allowUnauthorizedCerts: false };
		const resolve = (value: unknown) =>
			workflow.expression.getParameterValue(value as string, null, 0, 0, 'T', [], 'internal', { $credentials } as never);
		const url = `${resolve(test.request.baseURL)}${resolve(test.request.url)}`;
		return await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } }).then(async (r) => ({ status: r.status, body: await r.json(), url }));
	}

	it('calls GET /api/v4/users/me/teams: a good token passes, a bad one fails with the server’s message', async () => {
		const good = await credentialTest(sample.tokens.notifier);
		expect(good.url).toBe(`${mm.url}/api/v4/users/me/teams`);
		expect(good).toMatchObject({ status: 200, body: [{ id: sample.teamId }] });
		const bad = await credentialTest('wrong-token');
		expect(bad).toMatchObject({ status: 401, body: { message: 'Invalid or expired session, please login again.' } });
		expect(new MattermostDevopsApi().test.request.skipSslCertificateValidation).toBe('={{$credentials.allowUnauthorizedCerts}}');
	});

	it('fails for a personal token of a user without MFA on a server that enforces it (users/me alone would pass); bots pass', async () => {
		mm.setSettings({ EnforceMultifactorAuthentication: true });
		expect(await credentialTest(sample.tokens.alice)).toMatchObject({ status: 403, body: { id: 'api.context.mfa_required.app_error' } });
		expect((await credentialTest(sample.tokens.notifier)).status).toBe(200);
	});
});
