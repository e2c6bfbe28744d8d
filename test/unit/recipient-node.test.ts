import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { GitlabUserLookupApi } from '../../credentials/GitlabUserLookupApi.credentials';
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { RecipientResolver } from '../../nodes/RecipientResolver/RecipientResolver.node';
import { runWorkflow } from '../helpers/workflow-execute';
import { startGitlabStandin, type GitlabStandin } from '../../playground/standin/gitlab';
import { idFor, sample, sampleSeed, startMattermostStandin, type MattermostStandin } from '../../playground/standin/mattermost';

const RESOLVER = 'n8n-nodes-mattermost-devops.recipientResolver';

let mm: MattermostStandin;
let gitlab: GitlabStandin;

// Each test gets its own servers, so lookups cached in process memory by earlier tests (keyed by server URL) never
// answer for a later one.
beforeEach(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed() });
	gitlab = await startGitlabStandin({
		seed: {
			users: [
				{ id: 1, username: 'gl-admin', name: 'Lookup Bot', is_admin: false },
				{ id: 101, username: 'alice', name: 'Alice Archer', public_email: '' },
				{ id: 102, username: 'carol-gl', name: 'Carol Cook', public_email: 'carol.cook@example.test' },
				{ id: 103, username: 'bob', name: 'Bob Baker', email: 'bob.private@example.test' },
			],
			tokens: { 'glpat-lookup': 1 },
		},
	});
});

afterEach(async () => {
	await mm.stop();
	await gitlab.stop();
});

function formatterItem(recipients: IDataObject[], extra: IDataObject = {}): INodeExecutionData {
	return {
		json: {
			event: {
				kind: 'merge_request',
				action: 'open',
				project: { id: 7, path: 'platform/api', name: 'api', url: 'https://gitlab.example.test/platform/api' },
				actor: { id: 900, username: 'frank', name: 'Frank' },
				target: { type: 'merge_request', id: 5001, iid: 12, title: 'Add retries', url: 'https://gitlab.example.test/platform/api/-/merge_requests/12', state: 'opened', draft: false },
				labels: [],
			},
			recipients,
			message: { text: 'Frank opened !12 Add retries', threadKey: 'gitlab/7/merge_request/12' },
			...extra,
		},
	};
}

interface RunOptions {
	parameters?: IDataObject;
	input: INodeExecutionData[];
	staticData?: IDataObject;
	continueOnFail?: boolean;
	gitlabCredential?: boolean;
	nodeType?: INodeType;
}

async function run({ parameters = {}, input, staticData, continueOnFail, gitlabCredential, nodeType }: RunOptions) {
	const credentials: Record<string, IDataObject> = {
		mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false },
	};
	const nodeCredentials: Record<string, { id: string; name: string }> = { mattermostDevopsApi: { id: 'mm', name: 'Mattermost' } };
	if (gitlabCredential) {
		credentials.gitlabUserLookupApi = { server: gitlab.url, accessToken: 'glpat-lookup', allowUnauthorizedCerts: false };
		nodeCredentials.gitlabUserLookupApi = { id: 'gl', name: 'GitLab' };
	}
	return await runWorkflow({
		nodeTypes: [nodeType ?? new RecipientResolver()],
		credentialTypes: [new MattermostDevopsApi(), new GitlabUserLookupApi()],
		credentials: credentials as never,
		nodes: [
			{
				name: 'Resolve',
				type: RESOLVER,
				parameters: parameters as never,
				credentials: nodeCredentials,
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: 'Resolve', type: 'main', index: 0 }]] } },
		input,
		staticData,
	});
}

const userLookups = () => mm.requests.filter((r) => r.path.startsWith('/api/v4/users') || r.path.startsWith('/api/v4/teams'));
const batches = () => mm.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/users/usernames');
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

describe('Recipient Resolver node: recipient limit and one report per event', () => {
	it('reaches the first 20 people by default and reports the rest, with the people it could not find, in one item', async () => {
		const people = [
			{ username: 'alice', role: 'assignee' },
			{ username: 'nobody-here', role: 'assignee' },
			...Array.from({ length: 40 }, (_, n) => ({ username: `ghost-${n}`, role: 'mentioned' })),
		];
		const result = await run({ parameters: { options: { unresolvedOutput: 'perEvent' } }, input: [formatterItem(people)] });
		expect(result.error).toBeUndefined();
		expect(json(result.output('Resolve', 0)).map((r) => (r.mattermost as IDataObject).username)).toEqual(['alice']);
		const asked = batches().flatMap((r) => r.body as string[]);
		expect(asked).not.toContain('ghost-18');
		const [report, ...more] = json(result.output('Resolve', 1));
		expect(more).toEqual([]);
		const reasons = (report.unreached as IDataObject[]).map((u) => u.reason);
		expect(reasons.filter((r) => r === 'over_limit')).toHaveLength(1);
		expect(reasons.filter((r) => r === 'not_found')).toHaveLength(19);
		expect(report.detail).toMatch(/^- GitLab user @nobody-here has no Mattermost account/);
		expect(report.detail).toMatch(/- 22 people were not notified because this merge_request:open event names more than 20 recipients: GitLab user @ghost-18, GitLab user @ghost-19, /);
		expect(report.message).toBeDefined();
	});
});

describe('Recipient Resolver node: resolution steps', () => {
	it('resolves same usernames with one batch, one item per person with all roles, and reports the rest', async () => {
		const result = await run({
			input: [
				formatterItem([
					{ username: 'alice', id: 101, role: 'author' },
					{ username: 'bob', role: 'reviewer' },
					{ username: 'alice', role: 'assignee' },
					{ username: 'nobody-here', role: 'mentioned' },
				]),
			],
		});
		expect(result.error).toBeUndefined();
		const recipients = result.output('Resolve', 0);
		expect(json(recipients)).toEqual([
			expect.objectContaining({ mattermost: { id: sample.users.alice, username: 'alice' }, gitlab: { username: 'alice', id: 101 }, roles: ['author', 'assignee'] }),
			expect.objectContaining({ mattermost: { id: sample.users.bob, username: 'bob' }, gitlab: { username: 'bob' }, roles: ['reviewer'] }),
		]);
		// Everything else of the input item travels along, so the Mattermost node can send directly.
		expect(recipients[0].json.message).toEqual({ text: 'Frank opened !12 Add retries', threadKey: 'gitlab/7/merge_request/12' });
		expect((recipients[0].json.event as IDataObject).kind).toBe('merge_request');
		expect(recipients[0].json.recipients).toBeUndefined();
		expect(recipients.map((r) => r.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);

		const unresolved = result.output('Resolve', 1);
		expect(json(unresolved)).toEqual([
			{
				identity: { username: 'nobody-here', roles: ['mentioned'] },
				reason: 'not_found',
				detail: 'GitLab user @nobody-here has no Mattermost account: no Mattermost user @nobody-here',
				event: recipients[0].json.event,
				message: recipients[0].json.message,
			},
		]);
		expect(unresolved[0].pairedItem).toEqual({ item: 0 });
		// The actor rides along in the same batch, to catch them under another GitLab name.
		expect(batches().map((r) => r.body)).toEqual([['alice', 'bob', 'nobody-here', 'frank']]);
	});

	it('maps people with the table and with a JSON object from an expression', async () => {
		const result = await run({
			parameters: {
				mappingTable: { mappings: [{ gitlabUser: 'bobby', mattermostUsername: 'bob' }, { gitlabUser: '555', mattermostUsername: '@carol' }] },
				mappingJson: '={{ $json.directory }}',
			},
			input: [
				formatterItem([{ username: 'bobby', role: 'author' }, { id: 555, role: 'assignee' }, { username: 'dd', role: 'reviewer' }], {
					directory: { dd: 'dave.d' },
				}),
			],
		});
		expect(json(result.output('Resolve', 0)).map((r) => [(r.mattermost as IDataObject).username, r.roles])).toEqual([
			['bob', ['author']],
			['carol', ['assignee']],
			['dave.d', ['reviewer']],
		]);
		expect(result.output('Resolve', 1)).toEqual([]);
		expect(batches().map((r) => r.body)).toEqual([['bob', 'carol', 'dave.d', 'frank']]);
	});

	it('turns GitLab ids into usernames and public e-mails through the GitLab API', async () => {
		const result = await run({
			gitlabCredential: true,
			parameters: { lookUpGitlabUsers: true },
			input: [formatterItem([{ id: 101, role: 'author' }, { id: 102, role: 'reviewer' }, { id: 103, email: '[REDACTED]', role: 'assignee' }, { id: 404, role: 'assignee' }])],
		});
		expect(json(result.output('Resolve', 0)).map((r) => [(r.mattermost as IDataObject).username, r.gitlab])).toEqual([
			['alice', { id: 101, username: 'alice', name: 'Alice Archer' }],
			['carol', { id: 102, username: 'carol-gl', name: 'Carol Cook', email: 'carol.cook@example.test' }],
			['bob', { id: 103, username: 'bob', name: 'Bob Baker' }],
		]);
		expect(json(result.output('Resolve', 1))).toEqual([
			expect.objectContaining({ identity: { id: 404, roles: ['assignee'] }, reason: 'not_found' }),
		]);
		expect(gitlab.requests.map((r) => [r.path, r.status, r.headers['private-token']]).sort()).toEqual([
			['/api/v4/users/101', 200, '[redacted]'],
			['/api/v4/users/102', 200, '[redacted]'],
			['/api/v4/users/103', 200, '[redacted]'],
			['/api/v4/users/404', 404, '[redacted]'],
		]);
		// carol-gl is no Mattermost user; her public e-mail found her.
		expect(mm.requests.filter((r) => r.path.startsWith('/api/v4/users/email/')).map((r) => r.path)).toEqual([
			'/api/v4/users/email/carol.cook%40example.test',
		]);
	});

	it('looks up a real e-mail and never a redacted one', async () => {
		const result = await run({
			input: [formatterItem([{ name: 'Dave', email: 'Dave@Example.test', role: 'commit_author' }, { username: 'zoe', email: '[REDACTED]', role: 'author' }])],
		});
		expect(json(result.output('Resolve', 0)).map((r) => (r.mattermost as IDataObject).username)).toEqual(['dave.d']);
		expect(json(result.output('Resolve', 1))).toEqual([expect.objectContaining({ identity: { username: 'zoe', roles: ['author'] }, reason: 'not_found' })]);
		expect(mm.requests.filter((r) => r.path.startsWith('/api/v4/users/email/')).map((r) => r.path)).toEqual(['/api/v4/users/email/dave%40example.test']);
	});

	it('does no lookup at all when every step is turned off', async () => {
		const result = await run({
			gitlabCredential: true,
			parameters: {
				useMapping: false,
				mappingTable: { mappings: [{ gitlubUser: 'alice', mattermostUsername: 'alice' }] },
				matchUsername: false,
				matchEmail: false,
				lookUpGitlabUsers: false,
			},
			input: [formatterItem([{ username: 'alice', id: 101, email: 'alice@example.test', role: 'author' }])],
		});
		expect(result.output('Resolve', 0)).toEqual([]);
		expect(json(result.output('Resolve', 1))).toEqual([
			expect.objectContaining({ reason: 'not_found', detail: 'GitLab user @alice (id 101) has no Mattermost account: nothing to look up by (enabled steps: none)' }),
		]);
		expect(userLookups()).toEqual([]);
		expect(gitlab.requests).toEqual([]);
	});

	it('turns each step off on its own', async () => {
		const people = [{ username: 'bobby', role: 'author' }, { username: 'alice', role: 'reviewer' }, { email: 'dave@example.test', role: 'assignee' }];
		const mapping = { mappingTable: { mappings: [{ gitlabUser: 'bobby', mattermostUsername: 'bob' }] } };
		const names = async (parameters: IDataObject) =>
			json((await run({ parameters: { ...mapping, ...parameters }, input: [formatterItem(people)] })).output('Resolve', 0)).map(
				(r) => (r.mattermost as IDataObject).username,
			);
		expect(await names({})).toEqual(['bob', 'alice', 'dave.d']);
		expect(await names({ useMapping: false })).toEqual(['alice', 'dave.d']);
		expect(await names({ matchUsername: false })).toEqual(['bob', 'dave.d']);
		expect(await names({ matchEmail: false })).toEqual(['bob', 'alice']);
	});

	it('accepts an expression that gives the list itself, plain usernames included', async () => {
		const result = await run({
			parameters: { recipients: '={{ $json.people }}' },
			input: [{ json: { people: ['@alice', { username: 'bob', roles: ['oncall'] }] } }],
		});
		expect(json(result.output('Resolve', 0))).toEqual([
			{ people: ['@alice', { username: 'bob', roles: ['oncall'] }], mattermost: { id: sample.users.alice, username: 'alice' }, gitlab: { username: 'alice' }, roles: [] },
			{ people: ['@alice', { username: 'bob', roles: ['oncall'] }], mattermost: { id: sample.users.bob, username: 'bob' }, gitlab: { username: 'bob' }, roles: ['oncall'] },
		]);
	});
});

describe('Recipient Resolver node: exclusions and outputs', () => {
	it('reports bots, deactivated users, the actor, muted people, muted kinds, non-members and ambiguity on Unresolved', async () => {
		const henry = { id: idFor('user:henry'), username: 'henry', email: 'henry@example.test' };
		const ivan = { id: idFor('user:ivan'), username: 'ivan', email: 'ivan@example.test' };
		mm.seed({ users: [henry, ivan], members: { [sample.townSquareId]: [henry.id] } });
		const item = formatterItem([
			{ username: 'notifier', role: 'mentioned' },
			{ username: 'erin', role: 'reviewer' },
			{ username: 'alice', id: 101, role: 'author' },
			{ username: 'bob', role: 'reviewer' },
			{ username: 'carol', role: 'assignee' },
			{ username: 'dave.d', role: 'assignee' },
			{ username: 'xavier', email: 'alice@example.test', role: 'mentioned' },
			{ username: 'henry', email: 'dave@example.test', role: 'mentioned' },
			{ username: 'ivan', role: 'reviewer' },
		]);
		(item.json.event as IDataObject).actor = { id: 101, username: 'alice', name: 'Alice' };
		const result = await run({
			parameters: {
				onlyChannelMembers: true,
				team: 'devops',
				channel: 'town-square',
				options: { mutedUsers: 'bob', mutedKinds: { entries: [{ username: 'carol', kinds: 'pipeline, merge_request:open' }] } },
			},
			input: [item],
		});
		expect(json(result.output('Resolve', 0)).map((r) => [(r.mattermost as IDataObject).username, r.roles])).toEqual([['dave.d', ['assignee']]]);
		expect(json(result.output('Resolve', 1)).map((u) => [u.reason, (u.identity as IDataObject).username, u.detail])).toEqual([
			['bot', 'notifier', 'GitLab user @notifier maps to @notifier, a Mattermost bot account'],
			['deactivated', 'erin', 'GitLab user @erin maps to @erin, whose Mattermost account is deactivated'],
			['actor', 'alice', 'GitLab user @alice (id 101) caused this merge_request:open event, so is not notified about it'],
			['muted', 'bob', '@bob is on the mute list'],
			['muted', 'carol', '@carol muted merge_request:open events'],
			['actor', 'xavier', '@alice caused this merge_request:open event, so is not notified about it'],
			['ambiguous', 'henry', 'GitLab user @henry matches two Mattermost users: @henry by username and @dave.d by e-mail dave@example.test'],
			['not_in_channel', 'ivan', '@ivan is not a member of the opt-in channel devops/town-square'],
		]);
		expect(result.output('Resolve', 1).map((u) => u.pairedItem)).toEqual(Array(8).fill({ item: 0 }));
	});

	it('lets the actor through when Exclude Actor is off', async () => {
		const item = formatterItem([{ username: 'bob', role: 'author' }]);
		(item.json.event as IDataObject).actor = { username: 'bob' };
		const result = await run({ parameters: { options: { excludeActor: false } }, input: [item] });
		expect(json(result.output('Resolve', 0)).map((r) => (r.mattermost as IDataObject).username)).toEqual(['bob']);
	});

	it('keeps only members of the opt-in channel, reading its members page by page', async () => {
		const extra = Array.from({ length: 205 }, (_, n) => ({ id: `member${String(n).padStart(20, '0')}`, username: `member${n}`, email: `m${n}@example.test` }));
		// Mattermost lists a channel's members only to its members: the bot joins the channel.
		mm.seed({ users: extra, members: { [sample.opsAlertsId]: [sample.users.notifier, ...extra.map((u) => u.id)] } });
		const result = await run({
			parameters: { onlyChannelMembers: true, team: 'devops', channel: 'ops-alerts' },
			input: [formatterItem([{ username: 'alice' }, { username: 'bob', role: 'reviewer' }, { username: 'member204' }])],
		});
		expect(json(result.output('Resolve', 0)).map((r) => (r.mattermost as IDataObject).username)).toEqual(['alice', 'member204']);
		expect(json(result.output('Resolve', 1))).toEqual([
			expect.objectContaining({ identity: { username: 'bob', roles: ['reviewer'] }, reason: 'not_in_channel', detail: '@bob is not a member of the opt-in channel devops/ops-alerts' }),
		]);
		expect(mm.requests.filter((r) => r.path === '/api/v4/users' && r.method === 'GET').map((r) => r.query.page)).toEqual(['0', '1']);
		expect(mm.requests.find((r) => r.path === '/api/v4/users')?.query.active).toBe('true');
	});

	it('names the opt-in channel and says to add the bot when the bot is not a member (Mattermost answers 403)', async () => {
		const result = await run({
			parameters: { onlyChannelMembers: true, team: 'devops', channel: 'ops-alerts' },
			input: [formatterItem([{ username: 'alice' }])],
		});
		expect(result.error?.message).toContain('The bot is not a member of the opt-in channel devops/ops-alerts');
		expect(result.error?.description).toContain('Add the bot to devops/ops-alerts');
	});

	it('warns, in the output pane, that the server hides e-mail addresses when e-mail matching meets a 403', async () => {
		mm.setSettings({ ShowEmailAddress: false });
		const result = await run({ input: [formatterItem([{ name: 'Dave', email: 'dave@example.test', role: 'commit_author' }])] });
		expect(result.error).toBeUndefined();
		const hints = JSON.stringify(result.run.data.resultData.runData.Resolve[0].hints ?? []);
		expect(hints).toContain('hides e-mail addresses from the token');
		expect(hints).toContain('PrivacySettings.ShowEmailAddress');
	});

	it('gives one item per input item with mattermostUsers in that mode', async () => {
		const result = await run({
			parameters: { outputMode: 'perInput' },
			input: [formatterItem([{ username: 'alice', role: 'author' }, { username: 'alice', role: 'reviewer' }, { username: 'bob' }]), formatterItem([])],
		});
		const out = result.output('Resolve', 0);
		expect(out).toHaveLength(2);
		expect(out[0].json.mattermostUsers).toEqual([
			{ mattermost: { id: sample.users.alice, username: 'alice' }, gitlab: { username: 'alice' }, roles: ['author', 'reviewer'] },
			{ mattermost: { id: sample.users.bob, username: 'bob' }, gitlab: { username: 'bob' }, roles: [] },
		]);
		expect(out[1].json.mattermostUsers).toEqual([]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Recipient Resolver node: cache', () => {
	const burst = (n: number) => {
		const names = ['alice', 'bob', 'carol', 'dave.d', 'nobody-here'];
		return Array.from({ length: n }, (_, i) => formatterItem([{ username: names[i % 5], role: 'author' }, { username: names[(i + 2) % 5], role: 'reviewer' }]));
	};

	it('serves 100 items naming the same 5 people with one batch lookup', async () => {
		const result = await run({ input: burst(100) });
		expect(result.output('Resolve', 0)).toHaveLength(160);
		expect(result.output('Resolve', 1)).toHaveLength(40);
		expect(batches()).toHaveLength(1);
		expect(userLookups()).toHaveLength(1);
	});

	it('costs no lookup in a second execution (memory); after a restart it asks once again, and keeps no people in static data', async () => {
		const staticData: IDataObject = {};
		await run({ input: burst(10), staticData, gitlabCredential: true, parameters: { lookUpGitlabUsers: true } });
		expect(batches()).toHaveLength(1);
		const persisted = JSON.parse(JSON.stringify(staticData));
		expect(persisted['node:Resolve'] ?? {}).toEqual({});

		await run({ input: burst(10), staticData, gitlabCredential: true, parameters: { lookUpGitlabUsers: true } });
		expect(batches()).toHaveLength(1);

		// A fresh module registry is a fresh process: nothing in memory, only the saved static data.
		const fresh = () => {
			let type: INodeType | undefined;
			jest.isolateModules(() => {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				type = new (require('../../nodes/RecipientResolver/RecipientResolver.node').RecipientResolver)();
			});
			return type as INodeType;
		};
		const restarted = await run({ input: burst(10), staticData: persisted, nodeType: fresh(), gitlabCredential: true, parameters: { lookUpGitlabUsers: true } });
		expect(restarted.output('Resolve', 0)).toHaveLength(16);
		expect(batches()).toHaveLength(2);
	});

	it('looks people up again in every execution when caching is off', async () => {
		await run({ input: burst(5), parameters: { options: { cacheMinutes: 0 } } });
		await run({ input: burst(5), parameters: { options: { cacheMinutes: 0 } } });
		expect(batches()).toHaveLength(2);
	});
});

describe('Recipient Resolver node: errors', () => {
	it('fails with a NodeApiError naming the item when Mattermost keeps answering 500', async () => {
		mm.setFaults({ rate: 1, kinds: ['500'] });
		const result = await run({ input: [formatterItem([{ username: 'alice', role: 'author' }])] });
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500', context: { itemIndex: 0 } });
		expect(result.error?.message).toMatch(/^Could not look up the recipients of item 0: Mattermost answered 500 to POST \/users\/usernames/);
		// The shared Mattermost API retried before giving up.
		expect(batches().length).toBeGreaterThan(1);
	});

	it('with Continue On Fail, gives an error item for the items that needed the failed lookup and goes on', async () => {
		mm.setFaults({ rate: 1, kinds: ['500'], match: (_method, path) => path.includes('/users/email/') });
		const result = await run({
			continueOnFail: true,
			parameters: { outputMode: 'perInput' },
			input: [formatterItem([{ username: 'alice' }]), formatterItem([{ email: 'bob@example.test' }]), formatterItem([{ username: 'carol' }])],
		});
		expect(result.error).toBeUndefined();
		const out = result.output('Resolve', 0);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect((out[0].json.mattermostUsers as IDataObject[]).map((u) => (u.mattermost as IDataObject).username)).toEqual(['alice']);
		expect(out[1].json.error).toMatch(/^Could not look up the recipients of item 1: Mattermost answered 500 to GET \/users\/email/);
		expect((out[2].json.mattermostUsers as IDataObject[]).map((u) => (u.mattermost as IDataObject).username)).toEqual(['carol']);
	});

	it('fails naming the item when GitLab answers 500, and names a bad item and field', async () => {
		gitlab.failWith(500);
		const failed = await run({ gitlabCredential: true, parameters: { lookUpGitlabUsers: true }, input: [formatterItem([]), formatterItem([{ id: 101 }])] });
		expect(failed.error?.message).toBe('Could not look up the recipients of item 1: GitLab answered 500 when asked for user 101: 500 Internal Server Error');

		const bad = await run({ input: [formatterItem([{ username: 'alice' }]), { json: { recipients: 'alice' } }, { json: { recipients: [42] } }] });
		expect(bad.error?.message).toBe('Item 1: field "recipients" must be a list of people, not string');

		const continued = await run({ continueOnFail: true, input: [{ json: { recipients: [42] } }, formatterItem([{ username: 'alice' }])] });
		expect(json(continued.output('Resolve', 0))).toEqual([
			{ error: 'Item 0: field "recipients", entry 0 is not a person (expected an object with username, id or email, or a username)' },
			expect.objectContaining({ mattermost: { id: sample.users.alice, username: 'alice' } }),
		]);
	});

	it('names the setting when a mapping or the opt-in channel is wrong', async () => {
		const badTable = await run({
			parameters: { mappingTable: { mappings: [{ gitlabUser: 'alice', mattermostUsername: '' }] } },
			input: [formatterItem([{ username: 'alice' }])],
		});
		expect(badTable.error?.message).toBe('Invalid node settings: Mapping Table: the mapping for "alice" must be a Mattermost username');

		const badJson = await run({ parameters: { mappingJson: '{"alice": ' }, input: [formatterItem([{ username: 'alice' }])] });
		expect(badJson.error?.message).toMatch(/^Item 0: Mapping \(JSON\) is not valid JSON/);

		const noChannel = await run({
			parameters: { onlyChannelMembers: true, team: 'devops', channel: 'no-such-channel' },
			input: [formatterItem([{ username: 'alice' }])],
		});
		expect(noChannel.error?.message).toBe(
			'Could not look up the recipients of item 0: Opt-in channel devops/no-such-channel not found, or it is private and the bot is not a member',
		);
	});
});

describe('GitLab users stand-in', () => {
	it('answers the credential test for a good token and 401 for a wrong one', async () => {
		const me = await fetch(`${gitlab.url}/api/v4/user`, { headers: { 'Private-Token': 'glpat-lookup' } });
		expect(me.status).toBe(200);
		expect(await me.json()).toMatchObject({ id: 1, username: 'gl-admin' });
		const wrong = await fetch(`${gitlab.url}/api/v4/user`, { headers: { 'Private-Token': 'nope' } });
		expect(wrong.status).toBe(401);
		const other = (await (await fetch(`${gitlab.url}/api/v4/users/103`, { headers: { 'Private-Token': 'glpat-lookup' } })).json()) as IDataObject;
		expect(other.public_email).toBe('');
		expect(other.email).toBeUndefined();
		expect(gitlab.requests.map((r) => [r.path, r.status, r.headers['private-token']])).toEqual([
			['/api/v4/user', 200, '[redacted]'],
			['/api/v4/user', 401, '[redacted]'],
			['/api/v4/users/103', 200, '[redacted]'],
		]);
	});
});

describe('Recipient Resolver node after the GitLab Event Formatter', () => {
	it('turns a GitLab merge request webhook into one item per Mattermost recipient', async () => {
		const mergeRequestOpened = {
			object_kind: 'merge_request',
			event_type: 'merge_request',
			user: { id: 101, name: 'Alice Archer', username: 'alice', email: '[REDACTED]' },
			project: { id: 7, name: 'api', path_with_namespace: 'platform/api', web_url: 'https://gitlab.example.test/platform/api' },
			object_attributes: {
				id: 5001,
				iid: 12,
				title: 'Retry webhook deliveries',
				url: 'https://gitlab.example.test/platform/api/-/merge_requests/12',
				state: 'opened',
				action: 'open',
				author_id: 101,
				draft: false,
				work_in_progress: false,
				assignee_ids: [103],
				reviewer_ids: [103, 102],
				updated_at: '2026-11-20T09:15:00Z',
				description: 'Please also have a look, @dave.d and @alice.',
			},
			labels: [],
			changes: {},
			assignees: [{ id: 103, name: 'Bob Baker', username: 'bob' }],
			reviewers: [
				{ id: 103, name: 'Bob Baker', username: 'bob' },
				{ id: 102, name: 'Carol Cook', username: 'carol-gl' },
			],
		};
		const { GitlabEventFormatter } = await import('../../nodes/GitlabEventFormatter/GitlabEventFormatter.node');
		const result = await runWorkflow({
			nodeTypes: [new GitlabEventFormatter(), new RecipientResolver()],
			credentialTypes: [new MattermostDevopsApi(), new GitlabUserLookupApi()],
			credentials: {
				mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier },
				gitlabUserLookupApi: { server: gitlab.url, accessToken: 'glpat-lookup' },
			},
			nodes: [
				{ name: 'Format', type: 'n8n-nodes-mattermost-devops.gitlabEventFormatter', parameters: {} },
				{
					name: 'Resolve',
					type: RESOLVER,
					parameters: { lookUpGitlabUsers: true },
					credentials: { mattermostDevopsApi: { id: 'mm', name: 'Mattermost' }, gitlabUserLookupApi: { id: 'gl', name: 'GitLab' } },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Format', type: 'main', index: 0 }]] },
				Format: { main: [[{ node: 'Resolve', type: 'main', index: 0 }]] },
			},
			input: [{ json: { headers: { 'x-gitlab-event': 'Merge Request Hook' }, body: mergeRequestOpened, query: {} } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Format', 1)).toEqual([]);
		const recipients = result.output('Resolve', 0);
		expect(recipients.map((r) => [(r.json.mattermost as IDataObject).username, [...(r.json.roles as string[])].sort()])).toEqual([
			['bob', ['assignee', 'reviewer']],
			['carol', ['reviewer']],
			['dave.d', ['mentioned']],
		]);
		// Ready for the Mattermost node: the message and its thread key travel with each recipient.
		expect(recipients.every((r) => typeof (r.json.message as IDataObject).text === 'string' && (r.json.message as IDataObject).threadKey)).toBe(true);
		expect(recipients.map((r) => r.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(result.output('Resolve', 1)).toEqual([]);
	});
});
