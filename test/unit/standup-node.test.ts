/**
 * The Mattermost DevOps node's Standup operations through the real n8n-core engine against the Mattermost stand-in.
 * The window is set around the real clock in UTC (the clock itself is unit-tested over fixed instants in
 * standup-core.test.ts); each run reads what was done back from the stand-in, as a fresh worker would.
 */
import { NodeConnectionTypes, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { MattermostInteractionApi } from '../../credentials/MattermostInteractionApi.credentials';
import { signContext, verifyContext } from '../../nodes/core/mattermost';
import { Mattermost } from '../../nodes/Mattermost/Mattermost.node';
import { MattermostInteractionTrigger } from '../../nodes/MattermostInteractionTrigger/MattermostInteractionTrigger.node';
import { runWebhook, runWorkflow } from '../helpers/workflow-execute';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin } from '../../playground/standin/mattermost';

const u = sample.users;
const SECRET = 'standup-test-secret';
const URL = 'https://n8n.example.test/webhook/standup';

let mm: MattermostStandin;
beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed() });
});
afterAll(async () => mm.stop());
beforeEach(() => mm.reset());

const hhmmss = (at: number) => new Date(at).toISOString().slice(11, 19);
const today = () => new Date().toISOString().slice(0, 10);

/** Settings with the window from `openedSecondsAgo` before now to `closesInSeconds` after it, in UTC. */
const settings = (openedSecondsAgo: number, closesInSeconds: number, more: IDataObject = {}): IDataObject => ({
	channel: 'devops/town-square',
	questions: 'Yesterday\nToday\nBlockers',
	opensAt: hhmmss(Date.now() - openedSecondsAgo * 1000),
	closesAt: hhmmss(Date.now() + closesInSeconds * 1000),
	timeZone: 'UTC',
	workingDays: 'Mon-Sun',
	holidays: '',
	members: '',
	away: `dave.d ${today()}`,
	buttonUrl: URL,
	...more,
});

async function run(operation: string, parameters: IDataObject, input: IDataObject = {}) {
	const result = await runWorkflow({
		nodeTypes: [new Mattermost()],
		credentialTypes: [new MattermostDevopsApi(), new MattermostInteractionApi()],
		credentials: {
			mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false },
			mattermostInteractionApi: { secret: SECRET },
		},
		nodes: [
			{
				name: 'Standup',
				type: 'n8n-nodes-mattermost-devops.mattermost',
				parameters: { resource: 'standup', operation, ...parameters } as INodeParameters,
				credentials: { mattermostDevopsApi: { id: '1', name: 'Bot' }, mattermostInteractionApi: { id: '2', name: 'Secret' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Standup', type: NodeConnectionTypes.Main, index: 0 }]] } },
		input: [{ json: input }],
		workflowId: `wf:${expect.getState().currentTestName}`,
	});
	if (result.error) throw result.error;
	return result.output('Standup').map((item) => item.json);
}

const roots = () => mm.postsIn(sample.townSquareId).filter((p) => !p.root_id);
const replies = () => mm.postsIn(sample.townSquareId).filter((p) => p.root_id);
const save = (root: string, user: string, answers: string[], window: IDataObject) =>
	run('saveAnswer', { ...window, context: { root, date: today() }, userId: user, submission: { answer1: answers[0], answer2: answers[1], answer3: answers[2] } });

// Within a few minutes of midnight UTC the window would cross into the next day.
const nearMidnight = () => Date.now() % 86_400_000 > 86_400_000 - 5 * 60_000 || Date.now() % 86_400_000 < 5 * 60_000;

describe('Mattermost DevOps → Standup', () => {
	it('posts once when the window opens, saves and edits answers in the thread, reminds only who is missing, summarizes, and takes a late answer', async () => {
		if (nearMidnight()) return;
		const [posted] = await run('run', settings(10, 3600));
		expect(posted).toMatchObject({ action: 'posted', date: today(), phase: 'open' });
		expect(await run('run', settings(10, 3600))).toEqual([expect.objectContaining({ action: 'nothing', post_id: posted.post_id })]);
		expect(roots()).toHaveLength(1);
		const [root] = roots();
		const [button] = (root.props.attachments as Array<{ actions: Array<{ id: string; integration: { url: string; context: IDataObject } }> }>)[0].actions;
		expect(button).toMatchObject({ id: 'fillIn', name: 'Fill in my standup', integration: { url: URL, context: { root: root.id, date: today() } } });
		expect(verifyContext([SECRET], button.integration.context)).toBe(true);

		const window = settings(10, 3600);
		expect(await save(root.id, u.alice, ['Reviews', 'Release', 'Waiting for the staging database'], window)).toEqual([expect.objectContaining({ saved: 'created', user: { id: u.alice, username: 'alice' } })]);
		await save(root.id, u.bob, ['Tests', 'Pairing', ''], window);
		expect(await save(root.id, u.bob, ['Tests', 'Deploy', 'none'], window)).toEqual([expect.objectContaining({ saved: 'edited' })]);
		expect(replies()).toHaveLength(2);
		const bob = replies().find((p) => p.message.startsWith('**bob**'))!;
		expect(bob.message).toBe('**bob**\n\n**Yesterday**\n> Tests\n\n**Today**\n> Deploy\n\n**Blockers**\n> none');
		expect(bob.edit_at).toBeGreaterThan(0);
		expect(await save(root.id, u.carol, ['', 'x', ''], window)).toEqual([{ errors: { answer1: 'This field is required.' } }]);

		// 100 s into a 120 s window: past 80 %.
		const [reminded] = await run('run', settings(100, 20));
		expect(reminded).toMatchObject({ action: 'reminded', reminded: ['carol'] });
		expect(mm.postsIn(String(mm.directChannelOf(u.notifier, u.carol)?.id))).toHaveLength(1);
		for (const other of [u.alice, u.bob, u.dave]) expect(mm.directChannelOf(u.notifier, other)).toBeUndefined();
		expect((await run('run', settings(110, 10)))[0].action).toBe('nothing');

		const [closed] = await run('run', settings(120, -1));
		expect(closed).toMatchObject({ action: 'summarized', missing: ['carol'] });
		const summary = roots()[0].message;
		expect(summary).toContain(':construction: **Blockers**\n- alice: Waiting for the staging database');
		expect(summary).toContain('**Answered (2):** alice, bob');
		expect(summary).toContain('**No answer yet:** carol');
		expect(summary).toContain('**Away:** dave.d');
		expect(summary).not.toMatch(/@\w/);
		expect((await run('run', settings(130, -10)))[0].action).toBe('nothing');

		expect(await save(root.id, u.carol, ['On call', 'Post-mortem', 'Grafana access'], settings(130, -10))).toEqual([expect.objectContaining({ saved: 'created', summaryUpdated: true, late: true })]);
		expect(roots()[0].message).toContain('**No answer yet:** nobody, everyone answered');
		expect(roots()[0].message).toContain('- carol: Grafana access');
	});

	it('posts nothing on a holiday or a day that is not a working day, and names a bad setting', async () => {
		expect(await run('run', settings(10, 3600, { holidays: today() }))).toEqual([expect.objectContaining({ action: 'nothing', reason: 'holiday' })]);
		const weekday = new Date().getUTCDay();
		const otherDay = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][(weekday + 1) % 7];
		expect(await run('run', settings(10, 3600, { workingDays: otherDay }))).toEqual([expect.objectContaining({ action: 'nothing', reason: 'not a working day' })]);
		expect(mm.postsIn(sample.townSquareId)).toHaveLength(0);
		await expect(run('run', settings(10, 3600, { timeZone: 'Europe/Atlantis' }))).rejects.toMatchObject({ message: expect.stringMatching(/^timeZone: 'Europe\/Atlantis' is not an IANA time zone .*\(item 0\)$/) });
	});

	it("the Interaction Trigger passes the answer form's submission on to Save Answer, only from the person it was opened for", async () => {
		const state = JSON.stringify(signContext(SECRET, { action: 'saveAnswer', value: '', context: { root: 'r'.repeat(26), date: '2026-11-30' }, user: { id: u.alice, username: '' } }));
		const submit = async (userId: string, stateText = state) =>
			await runWebhook({
				nodeType: new MattermostInteractionTrigger(),
				credentialTypes: [new MattermostInteractionApi(), new MattermostDevopsApi()],
				credentials: { mattermostInteractionApi: { secret: SECRET } },
				parameters: { path: 'standup', responseMode: 'lastNode' },
				request: {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ type: 'dialog_submission', callback_id: 'mmdevops-form', state: stateText, user_id: userId, channel_id: sample.townSquareId, team_id: sample.teamId, submission: { answer1: 'Reviews', answer2: 'Release', answer3: '' }, cancelled: false }),
				},
			});
		const accepted = await submit(u.alice);
		expect(accepted.status).toBe(200);
		expect(accepted.result.workflowData?.[0][0].json).toMatchObject({
			action: 'saveAnswer',
			context: { root: 'r'.repeat(26), date: '2026-11-30' },
			user: { id: u.alice },
			submission: { answer1: 'Reviews', answer2: 'Release', answer3: '' },
		});
		for (const refused of [await submit(u.bob), await submit(u.alice, state.replace('2026-11-30', '2026-12-01'))]) {
			expect([refused.status, refused.result.workflowData]).toEqual([401, undefined]);
		}
	});
});
