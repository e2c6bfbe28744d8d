/**
 * Message → Send and Wait for Response through the real n8n-core engine: the question is posted with buttons whose
 * URLs are n8n's signed resume URLs, a person clicks in the Mattermost stand-in (which calls the URL as the real
 * server does), and the execution resumes with the answer. Each click runs in a fresh node and workflow, as on
 * another n8n process in queue mode.
 */
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { EXPIRY_GRACE_MS } from '../../nodes/core/mattermost';
import { ALREADY_ANSWERED } from '../../nodes/Mattermost/actions/message/sendAndWait/webhook';
import { Mattermost } from '../../nodes/Mattermost/Mattermost.node';
import { WaitingExecution } from '../helpers/waiting';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin, type Post } from '../../playground/standin/mattermost';

const u = sample.users;
const BOB = 'token-bob';
let mm: MattermostStandin;
let running: WaitingExecution[] = [];

beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed(), allowedUntrustedInternalConnections: '127.0.0.1' });
	mm.seed({ tokens: { [BOB]: u.bob } });
});
afterAll(async () => mm.stop());
afterEach(async () => {
	await Promise.all(running.map((w) => w.stop()));
	running = [];
	mm.reset();
});

async function ask(parameters: Record<string, unknown>): Promise<{ w: WaitingExecution; post: Post }> {
	const w = new WaitingExecution({
		nodeType: () => new Mattermost(),
		credentialTypes: [new MattermostDevopsApi()],
		credentials: { mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false } },
		parameters: {
			resource: 'message',
			operation: 'sendAndWait',
			sendTo: 'channel',
			channel: { __rl: true, mode: 'id', value: sample.townSquareId },
			message: 'Deploy **1.2** to production?',
			...parameters,
		},
		input: [{ json: { release: '1.2' } }],
	});
	running.push(w);
	const run = await w.start();
	expect(run.data.resultData.error).toBeUndefined();
	expect(w.status).toBe('waiting');
	const posts = mm.posts();
	return { w, post: posts[posts.length - 1] };
}

async function click(postId: string, actionId: string, token: string, body: Record<string, unknown> = {}) {
	const res = await fetch(`${mm.url}/api/v4/posts/${postId}/actions/${actionId}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
		body: JSON.stringify(body),
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function finished(w: WaitingExecution) {
	for (let i = 0; i < 200 && w.status !== 'success' && w.status !== 'error'; i++) await new Promise((r) => setTimeout(r, 25));
	expect(w.error()).toBeUndefined();
	expect(w.status).toBe('success');
	return w.output();
}

const post = (id: string) => mm.posts().find((p) => p.id === id)!;
const buttons = (p: Post) => ((p.props.attachments as Array<{ actions?: Array<{ id: string; name: string; style?: string }> }>) ?? []).flatMap((a) => a.actions ?? []);

describe('approval', () => {
	it('posts Approve and Decline, and resumes with approved: true when Approve is clicked', async () => {
		const { w, post: question } = await ask({});
		expect(question.message).toBe('Deploy **1.2** to production?');
		expect(buttons(question).map((b) => [b.id, b.name, b.style])).toEqual([
			['approve', 'Approve', 'success'],
			['decline', 'Decline', 'danger'],
		]);
		const res = await click(question.id, 'approve', sample.tokens.alice);
		expect(res.status).toBe(200);
		const [item] = await finished(w);
		expect(item.json).toEqual({
			data: { approved: true },
			user: { id: u.alice, username: 'alice' },
			channel_id: sample.townSquareId,
			post_id: question.id,
			respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		const after = post(question.id);
		expect(after.message).toMatch(/^Deploy \*\*1\.2\*\* to production\?\n\n:white_check_mark: Approved by @alice at \d\d:\d\d$/);
		expect(buttons(after)).toEqual([]);
		expect(mm.ephemerals()).toEqual([expect.objectContaining({ user_id: u.alice, message: 'You approved this request.' })]);
	});

	it('resumes with approved: false on Decline, with the labels and styles given', async () => {
		const { w, post: question } = await ask({ approvalOptions: { approveLabel: 'Ship it', declineLabel: 'Not now', declineStyle: 'warning' } });
		expect(buttons(question).map((b) => [b.name, b.style])).toEqual([
			['Ship it', 'success'],
			['Not now', 'warning'],
		]);
		await click(question.id, 'decline', sample.tokens.carol);
		const [item] = await finished(w);
		expect(item.json).toMatchObject({ data: { approved: false }, user: { id: u.carol, username: 'carol' } });
		expect(post(question.id).message).toMatch(/:x: Declined by @carol at \d\d:\d\d$/);
	});

	it('shows Approve only when asked to', async () => {
		const { post: question } = await ask({ approvalOptions: { approvalType: 'single' } });
		expect(buttons(question).map((b) => b.id)).toEqual(['approve']);
	});

	it('refuses a user who is not on the list with a private note and keeps waiting; a listed user then answers', async () => {
		const { w, post: question } = await ask({ whoMayAnswer: 'listed', allowedUsers: '@bob, carol.cook@example.test' });
		expect((await click(question.id, 'approve', sample.tokens.alice)).status).toBe(200);
		expect(mm.ephemerals()).toEqual([expect.objectContaining({ user_id: u.alice, message: 'This request is for @bob, @carol.' })]);
		expect(w.status).toBe('waiting');
		expect(buttons(post(question.id))).toHaveLength(2);
		await click(question.id, 'approve', sample.tokens.carol);
		const [item] = await finished(w);
		expect(item.json).toMatchObject({ data: { approved: true }, user: { username: 'carol' } });
	});

	it('tells a click that reaches n8n after the post was answered (two people at once) that it was answered, and changes nothing', async () => {
		const { w, post: question } = await ask({});
		const url = (question.props.attachments as Array<{ actions: Array<{ integration: { url: string } }> }>)[0].actions[1].integration.url;
		// The first answer has updated the post; this click left the other person's client before it saw that.
		const patched = await fetch(`${mm.url}/api/v4/posts/${question.id}/patch`, {
			method: 'PUT',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sample.tokens.notifier}` },
			body: JSON.stringify({ message: 'answered', props: {} }),
		});
		expect(patched.status).toBe(200);
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mattermost-Bot/1.1' },
			body: JSON.stringify({ user_id: u.bob, user_name: 'bob', post_id: question.id, channel_id: sample.townSquareId, type: 'button', context: {} }),
		});
		expect(await res.json()).toEqual({ ephemeral_text: ALREADY_ANSWERED });
		expect(w.status).toBe('waiting');
		expect(post(question.id).message).toBe('answered');
	});

	it('changes nothing on a second click after the answer: the server no longer has the buttons', async () => {
		const { w, post: question } = await ask({});
		await click(question.id, 'approve', sample.tokens.alice);
		await finished(w);
		const answeredMessage = post(question.id).message;
		// A client that still shows the buttons: the server no longer has the action.
		const second = await click(question.id, 'decline', BOB);
		expect(second.status).toBe(404);
		expect(post(question.id).message).toBe(answeredMessage);
		expect(w.output()[0].json).toMatchObject({ data: { approved: true } });
	});
});

describe('choice', () => {
	it('offers one button per option and resumes with the chosen one', async () => {
		const { w, post: question } = await ask({ responseType: 'choice', choices: 'staging, production' });
		expect(buttons(question).map((b) => b.name)).toEqual(['staging', 'production']);
		await click(question.id, 'choice1', BOB);
		const [item] = await finished(w);
		expect(item.json).toMatchObject({ data: { choice: 'production' }, user: { username: 'bob' } });
		expect(post(question.id).message).toMatch(/:ballot_box_with_check: @bob chose \*\*production\*\* at \d\d:\d\d$/);
	});

	it('offers a menu and resumes with the selected option', async () => {
		const { w, post: question } = await ask({ responseType: 'choice', choices: 'low\nmedium\nhigh', choiceStyle: 'menu' });
		const [menu] = buttons(question) as Array<{ id: string; type?: string; options?: unknown }>;
		expect(menu).toMatchObject({ id: 'choose', type: 'select', options: [{ text: 'low', value: 'low' }, { text: 'medium', value: 'medium' }, { text: 'high', value: 'high' }] });
		await click(question.id, 'choose', sample.tokens.alice, { selected_option: 'medium' });
		const [item] = await finished(w);
		expect(item.json).toMatchObject({ data: { choice: 'medium' }, user: { username: 'alice' } });
	});
});

describe('form', () => {
	const formFields = {
		field: [
			{ label: 'Reason', type: 'text', required: true, help: 'Why roll back?' },
			{ label: 'Replicas', type: 'number' },
			{ label: 'Environment', type: 'select', options: 'staging, production', required: true },
			{ label: 'Page on-call', name: 'page', type: 'bool' },
		],
	};

	it('opens a dialog at once on the click and resumes with the submitted fields', async () => {
		const { w, post: question } = await ask({ responseType: 'form', formTitle: 'Rollback', formFields });
		expect(buttons(question).map((b) => b.name)).toEqual(['Respond']);
		await click(question.id, 'respond', sample.tokens.alice);
		const [dialog] = mm.dialogs();
		expect(dialog).toMatchObject({ user_id: u.alice, dialog: { title: 'Rollback', state: JSON.stringify({ post_id: question.id }) } });
		expect((dialog.dialog.elements as Array<{ name: string }>).map((e) => e.name)).toEqual(['reason', 'replicas', 'environment', 'page']);
		expect(w.status).toBe('waiting');

		const submit = (submission: Record<string, unknown>) =>
			fetch(`${mm.url}/api/v4/actions/dialogs/submit`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sample.tokens.alice}` },
				body: JSON.stringify({ url: dialog.url, channel_id: sample.townSquareId, callback_id: dialog.dialog.callback_id, state: dialog.dialog.state, submission }),
			}).then(async (r) => ({ status: r.status, json: await r.json() }));
		// A required field left empty keeps the dialog open with the error next to the field.
		expect(await submit({ replicas: '2', environment: 'staging' })).toEqual({ status: 200, json: { errors: { reason: 'This field is required.' } } });
		expect(w.status).toBe('waiting');
		expect(await submit({ reason: 'error rate', replicas: '2', environment: 'staging', page: true })).toEqual({ status: 200, json: {} });
		const [item] = await finished(w);
		expect(item.json).toMatchObject({
			data: { reason: 'error rate', replicas: 2, environment: 'staging', page: true },
			user: { id: u.alice, username: 'alice' },
			post_id: question.id,
		});
		expect(post(question.id).message).toMatch(/:memo: Answered by @alice at \d\d:\d\d$/);
		expect(buttons(post(question.id))).toEqual([]);
	});
});

describe('targets', () => {
	it('asks one user in a direct message, and in the thread given by Reply To Post ID', async () => {
		const { post: dm } = await ask({ sendTo: 'direct', user: '@bob' });
		expect(dm.channel_id).toBe(mm.directChannelOf(u.notifier, u.bob)!.id);
		const root = (await (
			await fetch(`${mm.url}/api/v4/posts`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sample.tokens.notifier}` },
				body: JSON.stringify({ channel_id: sample.townSquareId, message: 'Release 1.2 is ready' }),
			})
		).json()) as Post;
		const { post: reply } = await ask({ options: { rootId: root.id } });
		expect(reply.root_id).toBe(root.id);
	});

	it('asks in the thread of its thread key as Send Message does: the first question starts it, the next one replies in it', async () => {
		const { post: first } = await ask({ threadKey: 'release/1.2' });
		expect(first.root_id).toBe('');
		expect(first.props.n8n_thread_key).toBe('release/1.2');
		const { post: second } = await ask({ threadKey: 'release/1.2' });
		expect(second.root_id).toBe(first.id);
		expect(buttons(second).map((b) => b.id)).toEqual(['approve', 'decline']);
		const { post: other } = await ask({ threadKey: 'release/1.3' });
		expect(other.root_id).toBe('');
	});

	it('names the item and field of bad input', async () => {
		const w = new WaitingExecution({
			nodeType: () => new Mattermost(),
			credentialTypes: [new MattermostDevopsApi()],
			credentials: { mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false } },
			parameters: { resource: 'message', operation: 'sendAndWait', channel: { __rl: true, mode: 'id', value: sample.townSquareId }, message: 'x', responseType: 'form', formFields: { field: [{ label: 'Env', type: 'select' }] } },
		});
		running.push(w);
		const run = await w.start();
		expect(run.data.resultData.error?.message).toBe('formFields[0] is a select without options (item 0)');
		expect(mm.posts()).toEqual([]);
	});
});

describe('limit wait time', () => {
	const inSeconds = (seconds: number) => ({ options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: new Date(Date.now() + seconds * 1000).toISOString() } } } });
	const until = async (what: string, test: () => boolean) => {
		for (let i = 0; i < 400 && !test(); i++) await new Promise((r) => setTimeout(r, 25));
		if (!test()) throw new Error(`timed out waiting for ${what}`);
	};

	it('at the limit marks the post expired, removes its buttons and outputs { timedOut: true } with the post', async () => {
		const before = Date.now();
		const { w, post: question } = await ask(inSeconds(1.5));
		// n8n's own limit comes a grace period later: it only acts when this process lost its timer.
		expect(w.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 1500 + EXPIRY_GRACE_MS - 50);
		await until('the expiry', () => w.status === 'success');
		expect(w.output()).toEqual([{ json: { timedOut: true, post_id: question.id, channel_id: sample.townSquareId }, pairedItem: { item: 0 } }]);
		await until('the post edit', () => buttons(post(question.id)).length === 0);
		expect(post(question.id).message).toMatch(/^Deploy \*\*1\.2\*\* to production\?\n\n:hourglass: Expired at \d\d:\d\d without an answer$/);
	});

	it('expires a question whose limit had passed when it was asked, once n8n has put the execution to wait', async () => {
		const { w, post: question } = await ask(inSeconds(-60));
		await until('the expiry', () => w.status === 'success');
		expect(w.output()[0].json).toEqual({ timedOut: true, post_id: question.id, channel_id: sample.townSquareId });
		await until('the post edit', () => buttons(post(question.id)).length === 0);
		expect(post(question.id).message).toMatch(/:hourglass: Expired at \d\d:\d\d without an answer$/);
	});

	it('leaves an answered question alone when its timer fires afterwards', async () => {
		const { w, post: question } = await ask(inSeconds(1));
		await click(question.id, 'approve', sample.tokens.alice);
		await finished(w);
		const answered = post(question.id).message;
		await new Promise((r) => setTimeout(r, 1500));
		expect(post(question.id).message).toBe(answered);
		expect(w.output()[0].json).toMatchObject({ data: { approved: true } });
	});

	it('a click at the moment the limit is reached gives one outcome: the post and the output agree', async () => {
		for (const offsetMs of [-30, -10, 0, 10, 30]) {
			const limit = Date.now() + 800;
			const { w, post: question } = await ask({ options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: new Date(limit).toISOString() } } } });
			await new Promise((r) => setTimeout(r, limit + offsetMs - Date.now()));
			const res = await click(question.id, 'approve', sample.tokens.alice);
			await until('the end of the wait', () => w.status === 'success');
			// Let a timer that won finish its edit.
			await new Promise((r) => setTimeout(r, 300));
			const [item] = w.output();
			const message = post(question.id).message;
			const lines = message.split('\n\n').slice(1);
			expect(lines).toHaveLength(1);
			if (item.json.timedOut === true) {
				expect(lines[0]).toMatch(/^:hourglass: Expired at/);
				expect(res.status).not.toBe(200);
			} else {
				expect(item.json).toMatchObject({ data: { approved: true } });
				expect(lines[0]).toMatch(/^:white_check_mark: Approved by @alice/);
			}
			expect(buttons(post(question.id))).toEqual([]);
			await w.stop();
		}
	});

	it('when the process lost its timer (restart), n8n ends the wait itself: { timedOut: true }, the post keeps its buttons', async () => {
		const { w, post: question } = await ask(inSeconds(0.5));
		// The posting process is gone: its timer finds no n8n to call.
		await w.stop();
		await new Promise((r) => setTimeout(r, 1000));
		expect(w.status).toBe('waiting');
		await w.expire();
		expect(w.status).toBe('success');
		expect(w.output()).toEqual([{ json: { timedOut: true, post_id: question.id, channel_id: sample.townSquareId }, pairedItem: { item: 0 } }]);
		expect(buttons(post(question.id))).toHaveLength(2);
	});

	it('waits indefinitely without a limit', async () => {
		const { w } = await ask({});
		expect(w.waitTill!.getUTCFullYear()).toBe(3000);
	});
});

it('keeps resume signatures out of the stand-in’s records and out of the execution data', async () => {
	const { w, post: question } = await ask({ responseType: 'form', formFields: { field: [{ label: 'Reason' }] } });
	await click(question.id, 'respond', sample.tokens.alice);
	expect(JSON.stringify(mm.requests)).not.toMatch(/signature=(?!\[redacted\])/);
	expect(JSON.stringify(mm.dialogs().map((d) => d.dialog))).not.toContain('signature');
	expect(JSON.stringify(w)).not.toContain('signature=');
	expect(ALREADY_ANSWERED).toMatch(/already been answered/);
});
