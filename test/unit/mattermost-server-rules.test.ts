/**
 * What a real Mattermost server does under its settings (see the stand-in's ServerSettings), met by the package
 * through the real n8n-core engine: every "breaks" row of the real-server audit has its test here (or, for the
 * Recipient Resolver, in recipient-node.test.ts).
 */
import { CredentialTestContext } from 'n8n-core';
import { NodeConnectionTypes, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { MattermostIncomingWebhookApi } from '../../credentials/MattermostIncomingWebhookApi.credentials';
import { Mattermost } from '../../nodes/Mattermost/Mattermost.node';
import { mattermostIncomingWebhookTest } from '../../nodes/Mattermost/methods/credentialTest';
import { runWorkflow, type RunResult } from '../helpers/workflow-execute';
import { idFor, sample, sampleSeed, startMattermostStandin, type MattermostStandin } from '../../playground/standin/mattermost';

let mm: MattermostStandin;
beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed() });
});
afterAll(async () => mm.stop());
beforeEach(() => mm.reset());

let keyCounter = 0;
const uniqueKey = (name: string) => `rules/${name}/${Date.now()}/${keyCounter++}`;

function run(parameters: IDataObject, input: INodeExecutionData[] = [{ json: {} }], options: { server?: MattermostStandin; workflowId?: string; webhookUrl?: string } = {}) {
	const server = options.server ?? mm;
	return runWorkflow({
		nodeTypes: [new Mattermost()],
		credentialTypes: [new MattermostDevopsApi(), new MattermostIncomingWebhookApi()],
		credentials: {
			mattermostDevopsApi: { baseUrl: server.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false },
			mattermostIncomingWebhookApi: { webhookUrl: options.webhookUrl ?? `${server.url}/hooks/${sample.hookId}` },
		},
		nodes: [
			{
				name: 'MM',
				type: 'n8n-nodes-mattermost-devops.mattermost',
				parameters: parameters as INodeParameters,
				credentials: { mattermostDevopsApi: { id: '1', name: 'Mattermost' }, mattermostIncomingWebhookApi: { id: '2', name: 'Hook' } },
			},
		],
		connections: { Start: { main: [[{ node: 'MM', type: NodeConnectionTypes.Main, index: 0 }]] } },
		input,
		workflowId: options.workflowId ?? `wf:${expect.getState().currentTestName}`,
	});
}

const ok = (result: RunResult) => {
	if (result.error) throw result.error;
	return result.output('MM').map((item) => item.json);
};
const toChannel = (extra: IDataObject) => ({ sendTo: 'channel', channel: { __rl: true, mode: 'id', value: sample.townSquareId }, ...extra });
const requestsTo = (method: string, path: string) => mm.requests.filter((r) => r.method === method && r.path === `/api/v4${path}`);

describe('a deleted thread root (row 11)', () => {
	it('starts a new thread instead of failing on the dead root, and later messages reply to the new root', async () => {
		const threadKey = uniqueKey('deleted-root');
		const base = toChannel({ threadKey });
		const [root] = ok(await run({ ...base, message: 'MR !7 opened' }));
		mm.deletePost(root.id as string);
		const [restarted] = ok(await run({ ...base, message: 'MR !7: new comment' }));
		expect(restarted).toMatchObject({ root_id: '', threadRestarted: true, warnings: [expect.stringContaining('was deleted')] });
		const [reply] = ok(await run({ ...base, message: 'MR !7 merged' }));
		expect(reply.root_id).toBe(restarted.id);
		expect(mm.postsIn(sample.townSquareId).filter((p) => !p.delete_at).map((p) => [p.message, p.root_id])).toEqual([
			['MR !7: new comment', ''],
			['MR !7 merged', restarted.id],
		]);
	});

	it('does the same in a DM whose first message the person deleted', async () => {
		const threadKey = uniqueKey('deleted-dm-root');
		const base = { sendTo: 'direct', users: 'alice', threadKey };
		const [root] = ok(await run({ ...base, message: 'Review requested' }));
		mm.deletePost(root.id as string);
		const [next] = ok(await run({ ...base, message: 'Pipeline failed' }));
		expect(next).toMatchObject({ root_id: '', threadRestarted: true });
	});
});

describe('PostPriority off (row 14)', () => {
	it('posts without the label, reading the setting from the client config, and says so in the output', async () => {
		mm.setSettings({ PostPriority: false });
		const [out] = ok(await run(toChannel({ message: 'Outage', options: { priority: 'urgent' } })));
		expect(out.warnings).toEqual([expect.stringContaining('ServiceSettings.PostPriority')]);
		const [post] = mm.postsIn(sample.townSquareId);
		expect([post.message, post.metadata.priority]).toEqual(['Outage', undefined]);
		expect(requestsTo('POST', '/posts')).toHaveLength(1);
	});

	it('repeats the post once without the label when the setting went off after the config was read', async () => {
		const workflowId = `wf:priority-stale-${Date.now()}`;
		ok(await run(toChannel({ message: 'first', options: { priority: 'important' } }), undefined, { workflowId }));
		mm.setSettings({ PostPriority: false });
		const [out] = ok(await run(toChannel({ message: 'second', options: { priority: 'important' } }), undefined, { workflowId }));
		expect(out.warnings).toEqual([expect.stringContaining('Message Priority')]);
		expect(requestsTo('POST', '/posts').map((r) => r.status)).toEqual([201, 403, 201]);
		expect(mm.postsIn(sample.townSquareId).map((p) => p.message)).toEqual(['first', 'second']);
	});
});

describe('e-mail lookup on a server that hides e-mail addresses (row 16)', () => {
	it('fails with an error that says so and names the setting', async () => {
		mm.setSettings({ ShowEmailAddress: false });
		const result = await run({ sendTo: 'direct', users: 'dave@example.test', message: 'Hi' });
		expect(result.error?.message).toContain('this server hides e-mail addresses: use usernames or ids');
		expect(result.error?.description).toContain('PrivacySettings.ShowEmailAddress');
	});
});

describe('RestrictDirectMessage=team (row 18)', () => {
	const hana = { id: idFor('user:hana-sales'), username: 'hana.sales', email: 'hana@sales.example.test' };

	it('a DM to someone who shares no team with the bot fails with what to change', async () => {
		mm.seed({ users: [hana], teamMembers: { [sample.otherTeamId]: [hana.id] } });
		mm.setSettings({ RestrictDirectMessage: 'team' });
		const result = await run({ sendTo: 'direct', users: 'hana.sales', message: 'Hi' });
		expect(result.error?.message).toContain('only between people who share a team');
		expect(result.error?.description).toContain('Add the bot to the teams');
		expect(result.error?.description).toContain('TeamSettings.RestrictDirectMessage');
	});

	it('a post into an existing DM without a common team fails with what to change', async () => {
		mm.seed({ users: [hana], teamMembers: { [sample.otherTeamId]: [hana.id] } });
		const workflowId = `wf:restricted-existing-${Date.now()}`;
		ok(await run({ sendTo: 'direct', users: 'hana.sales', message: 'Hi' }, undefined, { workflowId }));
		mm.setSettings({ RestrictDirectMessage: 'team' });
		const result = await run({ sendTo: 'direct', users: 'hana.sales', message: 'Again' }, undefined, { workflowId });
		expect(result.error?.message).toContain('no longer shares one');
		expect(result.error?.description).toContain('Add the bot to the teams');
	});
});

describe('file uploads against MaxFileSize (row 23)', () => {
	const file = (size: number, fileName: string) => ({ data: Buffer.alloc(size, 120).toString('base64'), mimeType: 'text/plain', fileName });

	it('uploads files one per request, so files that each fit arrive together', async () => {
		const small = await startMattermostStandin({ seed: sampleSeed(), maxFileSize: 8000 });
		try {
			const input = [{ json: {}, binary: { a: file(5000, 'a.log'), b: file(5000, 'b.log') } }];
			const [out] = ok(await run(toChannel({ message: 'Logs', options: { binaryProperties: 'a, b' } }), input, { server: small }));
			expect(out.file_ids).toHaveLength(2);
			expect(small.requests.filter((r) => r.path === '/api/v4/files').map((r) => r.status)).toEqual([201, 201]);
		} finally {
			await small.stop();
		}
	});

	it('refuses a file over the limit before uploading anything, naming the file and the setting', async () => {
		const small = await startMattermostStandin({ seed: sampleSeed(), maxFileSize: 8000 });
		try {
			const input = [{ json: {}, binary: { a: file(100, 'a.log'), big: file(9000, 'big.bin') } }];
			const result = await run(toChannel({ message: 'Logs', options: { binaryProperties: 'a, big' } }), input, { server: small });
			expect(result.error?.message).toContain("File 'big.bin' (binary property big) is 9000 bytes");
			expect(result.error?.description).toContain('FileSettings.MaxFileSize');
			expect(small.requests.filter((r) => r.path === '/api/v4/files')).toHaveLength(0);
		} finally {
			await small.stop();
		}
	});
});

describe('the thread root status line and PostEditTimeLimit (row 25)', () => {
	it('skips the edit of a root older than the limit: the reply is delivered, the item succeeds with a warning', async () => {
		const threadKey = uniqueKey('edit-limit');
		const base = toChannel({ threadKey });
		mm.setSettings({ PostEditTimeLimit: 300 });
		const [root] = ok(await run({ ...base, message: 'MR !7 opened' }));
		mm.backdatePost(root.id as string, 3_600_000);
		const [reply] = ok(await run({ ...base, message: 'Pipeline failed', options: { updateThreadRoot: true } }));
		expect(reply.root_id).toBe(root.id);
		expect(reply.warnings).toEqual([expect.stringContaining('PostEditTimeLimit = 300 s')]);
		expect(requestsTo('PUT', `/posts/${root.id}/patch`)).toHaveLength(0);
	});

	it('turns a refused edit into a warning, never a failed item (the reply is already posted)', async () => {
		const threadKey = uniqueKey('edit-refused');
		const base = toChannel({ threadKey });
		const workflowId = `wf:edit-refused-${Date.now()}`;
		const [root] = ok(await run({ ...base, message: 'MR !7 opened' }, undefined, { workflowId }));
		// The limit changes after the node read the client config (cached for minutes): the server refuses the patch.
		mm.setSettings({ PostEditTimeLimit: 300 });
		mm.backdatePost(root.id as string, 3_600_000);
		const [reply] = ok(await run({ ...base, message: 'Pipeline failed', options: { updateThreadRoot: true } }, undefined, { workflowId }));
		expect(reply.root_id).toBe(root.id);
		expect(reply.warnings).toEqual([expect.stringContaining('Thread root status line not updated')]);
		expect(requestsTo('PUT', `/posts/${root.id}/patch`).map((r) => r.status)).toEqual([400]);
		expect(mm.postsIn(sample.townSquareId)).toHaveLength(2);
	});
});

describe('incoming webhooks against real error shapes (row 27)', () => {
	const credentialTest = (webhookUrl: string) =>
		mattermostIncomingWebhookTest.call(new CredentialTestContext(), { id: 'c', name: 'Hook', type: 'mattermostIncomingWebhookApi', data: { webhookUrl } });

	it('the credential test passes for a valid hook on a production server and posts nothing', async () => {
		expect(await credentialTest(`${mm.url}/hooks/${sample.hookId}`)).toEqual({ status: 'OK', message: 'The webhook exists (checked without posting)' });
		expect(mm.posts()).toHaveLength(0);
	});

	it('the credential test fails for a wrong hook, in developer mode too, without naming the hook id', async () => {
		for (const developer of [false, true]) {
			mm.setSettings({ EnableDeveloper: developer });
			const result = await credentialTest(`${mm.url}/hooks/wronghookid0000000000000000`);
			expect(result.status).toBe('Error');
			expect(result.message).toContain('does not know this webhook');
			expect(result.message).not.toContain('wronghookid');
		}
	});

	it('the credential test says when the URL is not a Mattermost webhook', async () => {
		const result = await credentialTest(`${mm.url}/not-hooks/x`);
		expect(result).toMatchObject({ status: 'Error', message: expect.stringContaining('not a Mattermost incoming webhook') });
	});

	it('keeps the hook id (the secret) out of execution errors, whatever the server message says', async () => {
		mm.setSettings({ EnableDeveloper: true });
		const hookId = 'abcdefghijklmnopqrstuvwxyz';
		const result = await run({ resource: 'incomingWebhook', operation: 'send', text: 'x' }, undefined, { webhookUrl: `${mm.url}/hooks/${hookId}` });
		expect(result.error?.message).toContain('400');
		expect(result.error?.message).toContain('[redacted]');
		expect(JSON.stringify(result.error)).not.toContain(hookId);
		expect(JSON.stringify(result.run.data)).not.toContain(hookId);
	});
});

describe('a channel archived while its name is remembered (row 34)', () => {
	it('says the channel is archived and looks the name up again next time', async () => {
		const workflowId = `wf:archived-${Date.now()}`;
		const byName = { sendTo: 'channel', channel: { __rl: true, mode: 'name', value: 'devops/town-square' }, message: 'x' };
		ok(await run(byName, undefined, { workflowId }));
		mm.archiveChannel(sample.townSquareId);
		const failed = await run(byName, undefined, { workflowId });
		expect(failed.error?.message).toContain('the channel is archived');
		const lookups = () => mm.requests.filter((r) => r.path === '/api/v4/teams/name/devops/channels/name/town-square').length;
		expect(lookups()).toBe(1);
		mm.reset();
		ok(await run(byName, undefined, { workflowId }));
		expect(lookups()).toBe(1);
	});
});

describe('a post repeated after an unknown outcome, where the server no longer deduplicates (rows 4-5)', () => {
	it('reads the channel back and finds the first post by its marker instead of posting twice', async () => {
		// The first attempt is saved but its answer is lost, and the repeat reaches a node that never saw its pending_post_id.
		mm.setFaults({ sequence: ['drop'], dropAfterEffect: 1, forgetPendingPostIds: true, match: (method, path) => method === 'POST' && path === '/api/v4/posts' });
		const [out] = ok(await run(toChannel({ message: 'exactly once on a cluster' })));
		expect(mm.postsIn(sample.townSquareId).map((p) => p.id)).toEqual([out.id]);
		expect(requestsTo('POST', '/posts')).toHaveLength(1);
		expect(requestsTo('GET', `/channels/${sample.townSquareId}/posts`).some((r) => r.query.since !== undefined)).toBe(true);
	});
});

describe('a post repeated while the first is still being saved (row 3)', () => {
	it('rides out 500 api.post.deduplicate_create_post.pending and ends with one post', async () => {
		mm.setFaults({ sequence: ['hang'], slowMs: 2500, match: (method, path) => method === 'POST' && path === '/api/v4/posts' });
		const [out] = ok(await run(toChannel({ message: 'exactly once', options: { timeout: 1, retries: 5 } })));
		expect(mm.postsIn(sample.townSquareId).map((p) => p.id)).toEqual([out.id]);
		expect(requestsTo('POST', '/posts').some((r) => (r.responseBody as IDataObject | undefined)?.id === 'api.post.deduplicate_create_post.pending')).toBe(true);
	});

	it('does the same in hardened mode, where that 500 carries no id', async () => {
		mm.setSettings({ ExperimentalEnableHardenedMode: true });
		mm.setFaults({ sequence: ['hang'], slowMs: 2500, match: (method, path) => method === 'POST' && path === '/api/v4/posts' });
		const [out] = ok(await run(toChannel({ message: 'exactly once, hardened', options: { timeout: 1, retries: 5 } })));
		expect(mm.postsIn(sample.townSquareId).map((p) => p.id)).toEqual([out.id]);
		expect(requestsTo('POST', '/posts').some((r) => r.status === 500)).toBe(true);
	});
});

describe('the credential notice', () => {
	it('recommends bot tokens', () => {
		const notice = new MattermostDevopsApi().properties.find((p) => p.type === 'notice');
		expect(notice?.displayName).toContain('Use a bot account token');
	});
});
