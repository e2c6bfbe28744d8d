/**
 * Send Message → Buttons and the Mattermost Interaction Trigger through n8n-core: buttons are posted with a signed
 * context, a person clicks in the Mattermost stand-in (which calls the trigger as the real server does, long after
 * the posting execution ended), and only correctly signed clicks start the workflow.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { MattermostInteractionApi } from '../../credentials/MattermostInteractionApi.credentials';
import { signContext, SIGNATURE_KEY } from '../../nodes/core/mattermost';
import { Mattermost } from '../../nodes/Mattermost/Mattermost.node';
import { MattermostInteractionTrigger, REFUSED } from '../../nodes/MattermostInteractionTrigger/MattermostInteractionTrigger.node';
import { runWebhook, runWorkflow, type WebhookRunResult } from '../helpers/workflow-execute';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin, type Post } from '../../playground/standin/mattermost';

const SECRET = 'interaction-secret-0123456789abcdef';
const u = sample.users;
let mm: MattermostStandin;
let trigger: Server;
let triggerUrl = '';
let triggerParameters: Record<string, unknown> = {};
const runs: WebhookRunResult[] = [];

beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed(), allowedUntrustedInternalConnections: '127.0.0.0/8' });
	// Plays n8n's production webhook route for the trigger: every request runs the trigger's webhook() in n8n-core.
	trigger = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void runWebhook({
				nodeType: new MattermostInteractionTrigger(),
				credentialTypes: [new MattermostInteractionApi(), new MattermostDevopsApi()],
				credentials: {
					mattermostInteractionApi: { secret: SECRET },
					mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false },
				},
				parameters: { path: 'mattermost-interaction', ...triggerParameters },
				request: { method: 'POST', headers: { 'content-type': String(req.headers['content-type']), 'user-agent': String(req.headers['user-agent']) }, body: Buffer.concat(chunks).toString('utf8') },
			}).then(
				(result) => {
					runs.push(result);
					res.writeHead(result.status, { 'Content-Type': result.contentType }).end(result.body);
				},
				(error: Error) => {
					process.stderr.write(`trigger failed: ${error.stack}\n`);
					res.writeHead(500).end(error.message);
				},
			);
		});
	});
	await new Promise<void>((resolve) => trigger.listen(0, '127.0.0.1', resolve));
	triggerUrl = `http://127.0.0.1:${(trigger.address() as AddressInfo).port}/webhook/mattermost-interaction`;
});
afterAll(async () => {
	await mm.stop();
	await new Promise<void>((resolve) => trigger.close(() => resolve()));
});
beforeEach(() => {
	mm.reset();
	runs.length = 0;
	triggerParameters = {};
});

async function sendWithButtons(buttons: Record<string, unknown>[], secret = SECRET) {
	const result = await runWorkflow({
		nodeTypes: [new Mattermost()],
		credentialTypes: [new MattermostDevopsApi(), new MattermostInteractionApi()],
		credentials: {
			mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false },
			mattermostInteractionApi: { secret },
		},
		nodes: [
			{
				name: 'MM',
				type: 'n8n-nodes-mattermost-devops.mattermost',
				parameters: {
					resource: 'message',
					operation: 'send',
					sendTo: 'channel',
					channel: { __rl: true, mode: 'id', value: sample.townSquareId },
					message: '🔥 DiskFull on db1',
					attachmentsUi: { attachment: [{ color: 'danger', title: 'DiskFull', text: 'Disk 95% full' }] },
					buttonsUi: { button: buttons as never },
				},
				credentials: { mattermostDevopsApi: { id: '1', name: 'mm' }, mattermostInteractionApi: { id: '2', name: 'secret' } },
			},
		],
		connections: { Start: { main: [[{ node: 'MM', type: 'main', index: 0 }]] } },
		input: [{ json: {} }],
		workflowId: `buttons-${Date.now()}-${Math.random()}`,
	});
	return result;
}

const ACK = { label: 'Acknowledge', actionId: 'acknowledge', style: 'primary', url: '', value: 'ack', context: '{"alert": {"alertname": "DiskFull", "instance": "db1"}}' };

async function click(postId: string, actionId: string, token = sample.tokens.alice, body: Record<string, unknown> = {}) {
	const res = await fetch(`${mm.url}/api/v4/posts/${postId}/actions/${actionId}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
		body: JSON.stringify(body),
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const actionsOf = (post: Post) => ((post.props.attachments as Array<{ actions?: Array<Record<string, unknown>> }>) ?? []).flatMap((a) => a.actions ?? []);

describe('Send Message → Buttons', () => {
	it('adds buttons and menus to the last attachment, with the trigger URL and a signed context, never the secret', async () => {
		const result = await sendWithButtons([
			{ ...ACK, url: triggerUrl },
			{ label: 'Silence', type: 'select', options: '1h, 4h', url: triggerUrl, context: '{}' },
		]);
		expect(result.error).toBeUndefined();
		const [post] = mm.posts();
		const attachments = post.props.attachments as Array<Record<string, unknown>>;
		expect(attachments).toHaveLength(1);
		expect(attachments[0]).toMatchObject({ title: 'DiskFull', color: 'danger' });
		const [ack, menu] = actionsOf(post);
		expect(ack).toMatchObject({ id: 'acknowledge', name: 'Acknowledge', type: 'button', style: 'primary', integration: { url: triggerUrl } });
		expect((ack.integration as { context: Record<string, unknown> }).context).toEqual({
			alert: { alertname: 'DiskFull', instance: 'db1' },
			action: 'acknowledge',
			value: 'ack',
			[SIGNATURE_KEY]: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
		expect(menu).toMatchObject({ id: 'Silence', type: 'select', options: [{ text: '1h', value: '1h' }, { text: '4h', value: '4h' }] });
		expect(JSON.stringify(mm.posts())).not.toContain(SECRET);
		expect(JSON.stringify(mm.requests)).not.toContain(SECRET);
	});

	it('names the item and field of a bad button', async () => {
		const noUrl = await sendWithButtons([{ ...ACK, url: 'ftp://x' }]);
		expect(noUrl.error?.message).toBe('buttons[0].url must be the http(s) Production URL of a Mattermost Interaction Trigger (item 0)');
		const badId = await sendWithButtons([{ ...ACK, url: triggerUrl, actionId: 'ack-now' }]);
		expect(badId.error?.message).toMatch(/^buttons\[0\]\.id must be letters and digits only/);
		expect(mm.posts()).toEqual([]);
	});
});

describe('Mattermost Interaction Trigger', () => {
	it('starts the workflow for a signed click on an old post and answers at once as set: line added, buttons removed, private note', async () => {
		await sendWithButtons([{ ...ACK, url: triggerUrl }]);
		const [post] = mm.posts();
		triggerParameters = { responseMode: 'onReceived', ephemeralText: 'Thanks, {user}!', updatePost: true, appendLine: ':eyes: @{user} is on it' };
		const res = await click(post.id, 'acknowledge');
		expect(res.status).toBe(200);
		expect(runs).toHaveLength(1);
		expect(runs[0].result.workflowData?.[0][0].json).toEqual({
			action: 'acknowledge',
			value: 'ack',
			context: { alert: { alertname: 'DiskFull', instance: 'db1' } },
			user: { id: u.alice, username: 'alice' },
			channel_id: sample.townSquareId,
			team_id: sample.teamId,
			post_id: post.id,
			trigger_id: expect.any(String),
		});
		const after = mm.posts()[0];
		expect(after.message).toBe('🔥 DiskFull on db1\n\n:eyes: @alice is on it');
		expect(actionsOf(after)).toEqual([]);
		expect((after.props.attachments as unknown[])[0]).toMatchObject({ title: 'DiskFull' });
		expect(mm.ephemerals()).toEqual([expect.objectContaining({ user_id: u.alice, message: 'Thanks, alice!' })]);
	});

	it('outputs the menu choice as value', async () => {
		await sendWithButtons([{ label: 'Silence for', actionId: 'silence', type: 'select', options: '1h, 4h', url: triggerUrl, context: '{}' }]);
		const [post] = mm.posts();
		await click(post.id, 'silence', sample.tokens.carol, { selected_option: '4h' });
		expect(runs[0].result.workflowData?.[0][0].json).toMatchObject({ action: 'silence', value: '4h', context: {}, user: { username: 'carol' } });
		// Nothing asked for: Mattermost gets {} and leaves the post alone.
		expect(mm.posts()[0].message).toBe('🔥 DiskFull on db1');
	});

	it('refuses a click whose context was signed with another secret, or not at all: Mattermost shows an error, nothing starts', async () => {
		await sendWithButtons([{ ...ACK, url: triggerUrl }], 'some-other-secret-0123456789');
		const forged = mm.posts()[0];
		const res = await click(forged.id, 'acknowledge');
		expect(res.status).toBe(400);
		expect(res.json.id).toBe('api.post.do_action.action_integration.app_error');
		expect(runs[0]).toMatchObject({ status: 401, respondedByNode: true });
		expect(JSON.parse(runs[0].body)).toEqual({ error: { message: REFUSED } });
		expect(runs[0].result.workflowData).toBeUndefined();

		const unsigned = await fetch(triggerUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ user_id: u.alice, user_name: 'alice', post_id: forged.id, context: { action: 'acknowledge', value: 'ack' } }),
		});
		expect(unsigned.status).toBe(401);
		expect(runs[1].result.workflowData).toBeUndefined();
		expect(mm.posts()[0].message).toBe('🔥 DiskFull on db1');
	});

	it('refuses to run on a guessable secret (the Secure Webhook Trigger rule), even for a click signed with it', async () => {
		const clickSignedWith = async (secret: string) =>
			await runWebhook({
				nodeType: new MattermostInteractionTrigger(),
				credentialTypes: [new MattermostInteractionApi()],
				credentials: { mattermostInteractionApi: { secret } },
				parameters: { path: 'mattermost-interaction' },
				request: {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ user_id: u.alice, user_name: 'alice', context: signContext(secret.split(',')[0], { action: 'acknowledge', value: 'ack' }) }),
				},
			});
		await expect(clickSignedWith('short-secret')).rejects.toThrow(
			'The Mattermost Interaction API credential cannot protect this trigger: secret 1 is shorter than 16 characters, so it can be guessed',
		);
		// While rotating: every listed secret must be strong, or the weak one opens the trigger.
		await expect(clickSignedWith(`${SECRET},old`)).rejects.toThrow('secret 2 is shorter than 16 characters');
		await expect(clickSignedWith('   ')).rejects.toThrow('cannot protect this trigger: it holds no secret');
		expect((await clickSignedWith(SECRET)).result.workflowData?.[0][0].json).toMatchObject({ action: 'acknowledge', value: 'ack' });
	});

	it('refuses a signed context that was changed (another alert, another action)', async () => {
		await sendWithButtons([{ ...ACK, url: triggerUrl }]);
		const context = actionsOf(mm.posts()[0])[0].integration as { context: Record<string, unknown> };
		const res = await fetch(triggerUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ user_id: u.alice, context: { ...context.context, alert: { alertname: 'Other' } } }),
		});
		expect(res.status).toBe(401);
	});
});

describe('Update Post → Add Line and Remove Buttons', () => {
	const update = (options: Record<string, unknown>, postId: string) =>
		runWorkflow({
			nodeTypes: [new Mattermost()],
			credentialTypes: [new MattermostDevopsApi()],
			credentials: { mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false } },
			nodes: [
				{
					name: 'MM',
					type: 'n8n-nodes-mattermost-devops.mattermost',
					parameters: { resource: 'message', operation: 'update', postId, message: '', options: options as never },
					credentials: { mattermostDevopsApi: { id: '1', name: 'mm' } },
				},
			],
			connections: { Start: { main: [[{ node: 'MM', type: 'main', index: 0 }]] } },
			input: [{ json: {} }],
		});

	it('adds a line under the current text and leaves the buttons working; Remove Buttons takes them all off', async () => {
		await sendWithButtons([
			{ ...ACK, url: triggerUrl },
			{ ...ACK, label: 'Silence 1 h', actionId: 'silence1h', url: triggerUrl },
		]);
		const [post] = mm.posts();
		const first = await update({ appendLine: ':eyes: @ana is on it @channel' }, post.id);
		expect(first.error).toBeUndefined();
		let after = mm.posts()[0];
		expect(after.message).toBe(`🔥 DiskFull on db1\n\n:eyes: @ana is on it @\u200bchannel`);
		// The server hands posts out without their buttons' integration, so the props were not written back.
		expect(actionsOf(after).map((a) => [a.id, (a.integration as { url: string }).url])).toEqual([
			['acknowledge', triggerUrl],
			['silence1h', triggerUrl],
		]);
		await update({ removeButtons: true }, post.id);
		after = mm.posts()[0];
		expect(actionsOf(after)).toEqual([]);
		expect((after.props.attachments as unknown[])[0]).toMatchObject({ title: 'DiskFull' });
		expect(after.message).toBe(`🔥 DiskFull on db1\n\n:eyes: @ana is on it @\u200bchannel`);
	});
});

describe('Mattermost Interaction Trigger → Open a Dialog', () => {
	const dialogParameters = {
		responseMode: 'onReceived',
		openDialog: true,
		dialogTitle: 'Silence for',
		formFields: { field: [{ label: 'Hours', type: 'number', required: true }, { label: 'Reason', type: 'text' }] },
	};

	it('opens a dialog for the clicking person at once, and starts the workflow when it is submitted', async () => {
		await sendWithButtons([{ ...ACK, url: triggerUrl }]);
		const [post] = mm.posts();
		triggerParameters = dialogParameters;
		const opening = await click(post.id, 'acknowledge');
		expect([opening.status, runs[0]?.body]).toEqual([200, '{}']);
		expect(runs[0].result.workflowData).toBeUndefined();
		const [opened] = mm.dialogs();
		expect(opened).toMatchObject({ user_id: u.alice, url: 'http://localhost:5678/webhook/mattermost-interaction', dialog: { title: 'Silence for' } });
		expect(JSON.stringify(opened)).not.toContain(SECRET);
		const state = String((opened.dialog as { state: string }).state);
		// n8n's own address for the trigger is where Mattermost submits; here that is the test's trigger server.
		const submit = (submission: Record<string, unknown>, extra: Record<string, unknown> = {}, as = u.alice) =>
			mm.submitDialogAs(as, { url: triggerUrl, channel_id: sample.townSquareId, callback_id: 'mmdevops-form', state, submission, ...extra });

		expect(await submit({ reason: 'deploy' })).toEqual({ status: 200, json: { errors: { hours: 'This field is required.' } } });
		expect(runs[1].result.workflowData).toBeUndefined();
		expect(await submit({ hours: '2', reason: 'deploy' })).toEqual({ status: 200, json: {} });
		expect(runs[2].result.workflowData?.[0][0].json).toEqual({
			action: 'acknowledge',
			value: 'ack',
			context: { alert: { alertname: 'DiskFull', instance: 'db1' } },
			user: { id: u.alice, username: 'alice' },
			channel_id: sample.townSquareId,
			team_id: sample.teamId,
			post_id: post.id,
			submission: { hours: 2, reason: 'deploy' },
			trigger_id: '',
		});

		// Someone else submitting this dialog, or a changed state, is refused and starts nothing.
		expect((await submit({ hours: '1' }, {}, u.carol)).status).toBe(400);
		const forged = JSON.stringify({ ...JSON.parse(state), value: 'other' });
		expect((await submit({ hours: '1' }, { state: forged })).status).toBe(400);
		expect(runs.slice(3).map((r) => [r.status, r.result.workflowData])).toEqual([
			[401, undefined],
			[401, undefined],
		]);
	});
});
