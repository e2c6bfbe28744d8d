/**
 * The demo page's buttons, menus and dialogs, answered as a chosen person, against the real Send and Wait node
 * (through n8n-core): what a visitor of `npm run demo` does with the mouse, done with the page's own forms.
 */
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { Mattermost } from '../../nodes/Mattermost/Mattermost.node';
import { WaitingExecution } from '../helpers/waiting';
import { startDemoPage } from '../../playground/standin/demo-page';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin } from '../../playground/standin/mattermost';

let mm: MattermostStandin;
let demo: Awaited<ReturnType<typeof startDemoPage>>;
const waiting: WaitingExecution[] = [];

beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed(), allowedUntrustedInternalConnections: '127.0.0.1' });
	demo = await startDemoPage({ standin: mm, seed: sampleSeed(), port: 0 });
});
afterAll(async () => {
	await Promise.all(waiting.map((w) => w.stop()));
	await demo.stop();
	await mm.stop();
});

async function ask(parameters: Record<string, unknown>) {
	const w = new WaitingExecution({
		nodeType: () => new Mattermost(),
		credentialTypes: [new MattermostDevopsApi()],
		credentials: { mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false } },
		parameters: { resource: 'message', operation: 'sendAndWait', channel: { __rl: true, mode: 'id', value: sample.townSquareId }, message: 'Deploy 1.2?', ...parameters },
	});
	waiting.push(w);
	await w.start();
	return { w, post: mm.posts().at(-1)! };
}

/** Submits one of the page's forms the way the browser does, then follows the redirect back to the page. */
async function submit(path: string, fields: Record<string, string>): Promise<string> {
	const res = await fetch(new URL(path, demo.url), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
		redirect: 'manual',
	});
	expect(res.status).toBe(303);
	return await (await fetch(new URL(res.headers.get('location')!, demo.url))).text();
}

const until = async (done: () => boolean) => {
	for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
};

it('shows the buttons, lets a visitor pick whom to answer as, and clicks through the stand-in', async () => {
	const { w, post } = await ask({});
	const before = await (await fetch(demo.url)).text();
	expect(before).toContain('Click buttons as');
	expect(before).toMatch(/<button type="submit" class="success" disabled[^>]*>Approve<\/button>/);
	const asAlice = await (await fetch(new URL('/?as=alice', demo.url))).text();
	expect(asAlice).toMatch(/<option value="alice" selected>@alice<\/option>/);
	expect(asAlice).toContain(`<input type="hidden" name="post_id" value="${post.id}">`);

	const after = await submit('/click', { as: 'alice', post_id: post.id, action_id: 'approve' });
	await until(() => w.status === 'success');
	expect(w.output()[0].json).toMatchObject({ data: { approved: true }, user: { username: 'alice' } });
	expect(after).toContain('@alice clicked.');
	expect(after).toContain('(Only visible to you)</b> You approved this request.');
	expect(after.replace(/<[^>]+>/g, '')).toMatch(/Approved by @alice at \d\d:\d\d/);
	expect(after).not.toContain('>Approve</button>');
});

it('says "Action failed to execute" when the integration refuses, like Mattermost', async () => {
	const { post } = await ask({});
	await mm.clickAs(sample.users.bob, post.id, 'approve');
	const page = await submit('/click', { as: 'carol', post_id: post.id, action_id: 'decline' });
	expect(page).toContain('Action failed to execute');
});

it('offers a menu and a dialog: the chosen person fills in the form, field errors come back next to the field', async () => {
	const { w: menu, post: menuPost } = await ask({ responseType: 'choice', choices: 'staging, production', choiceStyle: 'menu' });
	await submit('/click', { as: 'bob', post_id: menuPost.id, action_id: 'choose', selected_option: 'production' });
	await until(() => menu.status === 'success');
	expect(menu.output()[0].json).toMatchObject({ data: { choice: 'production' }, user: { username: 'bob' } });

	const { w, post } = await ask({ responseType: 'form', formTitle: 'Rollback', formFields: { field: [{ label: 'Reason', type: 'text', required: true }, { label: 'Page on-call', name: 'page', type: 'bool' }] } });
	const opened = await submit('/click', { as: 'alice', post_id: post.id, action_id: 'respond' });
	expect(opened).toContain('<h3>Rollback</h3>');
	expect(opened).not.toContain('http-equiv="refresh"');
	const index = String(mm.dialogs().length - 1);
	const invalid = await submit('/dialog', { as: 'alice', dialog: index });
	expect(invalid).toContain('This field is required.');
	expect(w.status).toBe('waiting');
	const done = await submit('/dialog', { as: 'alice', dialog: index, reason: 'error rate', page: 'true' });
	await until(() => w.status === 'success');
	expect(w.output()[0].json).toMatchObject({ data: { reason: 'error rate', page: true }, user: { username: 'alice' } });
	expect(done).toContain('@alice submitted the dialog.');
	expect(done).not.toContain('<h3>Rollback</h3>');
});
