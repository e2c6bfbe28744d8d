/**
 * The bundled daily standup in a real n8n, with only its Settings changed and its schedule compressed: the window
 * opens a few seconds after the scenario starts and lasts 75 s, in a time zone other than the machine's
 * (America/New_York; the machine runs UTC). People click **Fill in my standup** and submit the dialog in the Mattermost
 * stand-in, which calls n8n as the real server does. A copy whose Settings list today as a holiday, and whose clock
 * is the bundled Every Minute, posts nothing.
 *
 * The workflows are imported unpublished and published here through n8n's REST API, so the window starts when the
 * scenario does, whatever n8n's start-up took.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { localDate, zonedInstant } from '../../nodes/core/standup';
import { sleep, waitFor, workflowIdFor, type Harness, type LoadedWorkflow } from '../../playground/harness';
import { withBrowserPage } from '../../playground/harness/browser';
import { check } from '../helpers/scenarios';
import type { Post } from '../../playground/standin/mattermost/state';

type Scenario = (name: string, run: () => Promise<void>) => Promise<void>;

const TIME_ZONE = 'America/New_York';
const TICK_SECONDS = 2;
const WINDOW_SECONDS = 75;
const HOLIDAY_PATH = 'e2e-standup-holiday';
const HOLIDAY_CHANNEL = 'standup-holiday';

interface SetNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

const settingsOf = (workflow: { nodes: SetNode[] }) =>
	(workflow.nodes.find((n) => n.name === 'Settings')!.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;

function setSettings(workflow: { nodes: SetNode[] }, values: Record<string, string>): void {
	for (const a of settingsOf(workflow)) if (a.name in values) a.value = values[a.name];
}

/** The schedule compressed, as in every standup scenario: the clock looks every few seconds instead of every minute. */
function compress(workflow: { nodes: SetNode[] }): void {
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
	trigger.parameters = { rule: { interval: [{ field: 'seconds', secondsInterval: TICK_SECONDS }] } };
}

export function isStandup(w: LoadedWorkflow): boolean {
	return w.workflow.nodes.some((n) => n.type === 'n8n-nodes-mattermost-devops.mattermostInteractionTrigger' && n.parameters.path === 'standup');
}

/** A copy of the standup whose Settings post in #standup-holiday (its button on its own path), published later too. */
export function holidayCopy(standup: LoadedWorkflow): LoadedWorkflow {
	const workflow = structuredClone(standup.workflow);
	workflow.id = workflowIdFor('e2e:standup-holiday');
	workflow.name = `${workflow.name} (e2e: holiday)`;
	for (const node of workflow.nodes) {
		delete node.id;
		// n8n registers a webhook node only with an id of its own.
		if (node.webhookId) node.webhookId = randomUUID();
		if (node.type === 'n8n-nodes-mattermost-devops.mattermostInteractionTrigger') node.parameters.path = HOLIDAY_PATH;
	}
	setSettings(workflow as unknown as { nodes: SetNode[] }, { channel: HOLIDAY_CHANNEL });
	return { slug: `${standup.slug}-holiday`, workflow };
}

/** HH:mm:ss on the zone's clock. */
const wallTime = (at: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(at);

/** Replaces the workflow's nodes in n8n and publishes that version. */
async function publishWith(h: Harness, id: string, change: (workflow: { nodes: SetNode[] }) => void): Promise<void> {
	const current = await h.n8n.rest<{ versionId: string; nodes: SetNode[]; connections: unknown }>('GET', `/workflows/${id}`);
	change(current);
	const saved = await h.n8n.rest<{ versionId: string }>('PATCH', `/workflows/${id}`, { versionId: current.versionId, nodes: current.nodes, connections: current.connections });
	await h.n8n.rest('POST', `/workflows/${id}/activate`, { versionId: saved.versionId });
}

interface Action {
	id: string;
	integration?: { url: string; context: Record<string, unknown> };
}
const actionsOf = (post: Post): Action[] => ((post.props.attachments as Array<{ actions?: Action[] }>) ?? []).flatMap((a) => a.actions ?? []);

export async function standupScenarios(h: Harness, scenario: Scenario, workflows: { main: LoadedWorkflow; holiday: LoadedWorkflow }, outDir: string): Promise<void> {
	const people = h.world.people;
	const [ana, bo, cy, away] = [people.reviewer, people.assignee, people.commenter, people.pipeline];
	const tokens: Record<string, string> = {};
	for (const p of [ana, bo, cy, away]) tokens[p.key] = `tok${randomBytes(12).toString('hex')}`;
	await h.mattermost.seed({ tokens: Object.fromEntries(Object.entries(tokens).map(([key, token]) => [token, people[key].mattermostId])) });
	const mm = h.mattermost.url;
	const dev = h.world.channels.dev;
	const asUser = async (key: string, path: string, body: unknown) => {
		const res = await fetch(`${mm}/api/v4${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[key]}` }, body: JSON.stringify(body) });
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};
	type Dialog = { user_id: string; url: string; dialog: { callback_id: string; state: string; title: string; elements: Array<{ name: string; display_name: string; optional: boolean; default?: string }> } };
	const dialogs = async () => await h.mattermost.control<Dialog[]>('GET', 'dialogs');
	/** Clicks Fill in my standup on `post` as the person and submits the dialog that opens; returns that dialog. */
	const answer = async (key: string, post: Post, submission: Record<string, string>) => {
		const before = (await dialogs()).length;
		const clicked = await asUser(key, `/posts/${post.id}/actions/fillIn`, {});
		check(clicked.status === 200, `${key}'s click answered ${clicked.status} ${JSON.stringify(clicked.json)}`);
		const opened = (await dialogs()).slice(before).filter((d) => d.user_id === people[key].mattermostId);
		check(opened.length === 1, `the click opened ${opened.length} dialogs for ${key}`);
		const dialog = opened[0];
		const submitted = await asUser(key, '/actions/dialogs/submit', { url: dialog.url, channel_id: post.channel_id, callback_id: dialog.dialog.callback_id, state: dialog.dialog.state, submission });
		check(submitted.status === 200 && Object.keys(submitted.json).length === 0, `${key}'s dialog submission answered ${submitted.status} ${JSON.stringify(submitted.json)}`);
		// The dialog closes at once and the workflow saves the answer right after, as a person would see it.
		await waitFor(`${key}'s answer in the thread`, async () => ((await h.mattermost.posts(dev)).some((p) => p.root_id && p.message.startsWith(`**${people[key].username}**`) && p.message.includes(submission.answer2)) ? true : undefined), 30_000, 250);
		return dialog;
	};
	const botId = h.world.bot.id;
	const rootOf = async (channelId: string) => (await h.mattermost.posts(channelId)).filter((p) => p.user_id === botId && !p.root_id && p.props.mmdevops_standup);
	const repliesTo = async (root: Post) => (await h.mattermost.posts(dev)).filter((p) => p.root_id === root.id);
	const reminders = async (key: string) => (await h.mattermost.dmsTo(botId, people[key].mattermostId!)).filter((p) => actionsOf(p).some((a) => a.id === 'fillIn'));

	// Whole seconds: the Settings take HH:mm:ss.
	const opensAt = new Date(Math.ceil((Date.now() + 8_000) / 1000) * 1000);
	const closesAt = new Date(opensAt.getTime() + WINDOW_SECONDS * 1000);
	const today = localDate(opensAt, TIME_ZONE).date;
	const settings = {
		timeZone: TIME_ZONE,
		opensAt: wallTime(opensAt),
		closesAt: wallTime(closesAt),
		workingDays: 'Mon-Sun',
		holidays: '2026-12-25',
		members: [ana, bo, cy, away].map((p) => p.username).join(', '),
		away: `${away.username} ${today}`,
	};
	let root: Post | undefined;

	await scenario(`Standup: the window opens (${settings.opensAt} ${TIME_ZONE}) → one post in #dev with the questions and Fill in my standup`, async () => {
		check(zonedInstant(today, 0, TIME_ZONE).getTime() < closesAt.getTime(), 'the window crosses midnight in New York; run again in a minute');
		await publishWith(h, workflows.main.workflow.id, (w) => {
			setSettings(w, settings);
			compress(w);
		});
		// The holiday copy keeps the bundled Every Minute: only its Settings differ from workflows/daily-standup.json.
		await publishWith(h, workflows.holiday.workflow.id, (w) => setSettings(w, { ...settings, holidays: today }));
		await h.n8n.waitForWebhook({ path: 'standup' });
		const found = await waitFor('the standup post in ~dev', async () => ((await rootOf(dev)).length ? await rootOf(dev) : undefined), 40_000, 500);
		check(Date.now() >= opensAt.getTime(), 'posted before the window opened');
		check(found.length === 1, `${found.length} standup posts`);
		root = found[0];
		check(/Daily standup/.test(root.message) && ['Yesterday', 'Today', 'Blockers'].every((q) => root!.message.includes(q)), `message: ${root.message}`);
		check(actionsOf(root).some((a) => a.id === 'fillIn'), 'no Fill in my standup button');
	});

	await scenario('Standup: two members answer through the dialog, one of them twice → two replies in the thread, the second edited, nobody @-mentioned', async () => {
		check(root, 'no standup post');
		const first = await answer(ana.key, root, { answer1: 'Reviewed the checkout MR', answer2: 'Release 2.3', answer3: 'Waiting for the staging database' });
		check(first.dialog.elements.map((e) => `${e.display_name}:${e.optional}`).join(',') === 'Yesterday:false,Today:false,Blockers:true', `fields ${JSON.stringify(first.dialog.elements)}`);
		await answer(bo.key, root, { answer1: 'Tests for the voucher rounding', answer2: 'Pairing with ana', answer3: 'none' });
		const again = await answer(bo.key, root, { answer1: 'Tests for the voucher rounding', answer2: 'Deploy 2.3 to staging', answer3: 'none' });
		check(again.dialog.elements[1].default === 'Pairing with ana', `the second dialog is not filled with the earlier answer: ${JSON.stringify(again.dialog.elements)}`);
		const replies = await repliesTo(root);
		check(replies.length === 2, `expected 2 replies, got ${replies.length}: ${replies.map((r) => r.message.slice(0, 40)).join(' | ')}`);
		const boReply = replies.find((r) => r.message.startsWith(`**${bo.username}**`));
		check(boReply && boReply.message.includes('Deploy 2.3 to staging') && !boReply.message.includes('Pairing'), `bo's reply: ${boReply?.message}`);
		check(boReply.edit_at > 0, "bo's reply was not edited");
		check(replies.every((r) => r.user_id === botId && !/@\w/.test(r.message)), 'a reply is not the bot\'s or mentions someone');
		check(Date.now() < opensAt.getTime() + WINDOW_SECONDS * 800, 'the answers took until the reminder; the scenario cannot tell who was reminded');
	});

	await scenario('Standup: the reminder at 80% of the window → a DM with the button only to the member who has not answered (not the one away)', async () => {
		check(root, 'no standup post');
		const dms = await waitFor(`the reminder to ${cy.username}`, async () => ((await reminders(cy.key)).length ? await reminders(cy.key) : undefined), WINDOW_SECONDS * 1000, 1000);
		check(Date.now() >= opensAt.getTime() + WINDOW_SECONDS * 800, 'the reminder came before 80% of the window');
		check(dms.length === 1, `${cy.username} got ${dms.length} reminders`);
		for (const p of [ana, bo, away]) check((await reminders(p.key)).length === 0, `${p.username} was reminded`);
		check(!(await rootOf(dev))[0].message.includes(cy.username), 'the channel post names the member who was reminded');
	});

	await scenario('Standup: the window closes → the post becomes the summary: blockers at the top, plain names of who answered and who has not', async () => {
		check(root, 'no standup post');
		const summary = await waitFor('the summary', async () => (await rootOf(dev)).find((p) => p.message.includes('No answer yet')), (WINDOW_SECONDS + 30) * 1000, 1000);
		check(Date.now() >= closesAt.getTime(), 'summarized before the window closed');
		const text = summary.message;
		check(text.indexOf('Blockers') >= 0 && text.indexOf('Blockers') < text.indexOf('Answered'), `blockers are not at the top: ${text}`);
		check(text.includes(`${ana.username}: Waiting for the staging database`) && !text.includes(`${bo.username}: none`), `blockers: ${text}`);
		check(text.includes(`**No answer yet:** ${cy.username}`) && text.includes(`**Away:** ${away.username}`), `missing/away: ${text}`);
		check(!/@\w/.test(text), `the summary mentions someone: ${text}`);
		check(actionsOf(summary).some((a) => a.id === 'fillIn'), 'the summary lost its button (late answers)');
	});

	await scenario('Standup: a late answer from the reminder DM → a reply in the thread and the summary updated', async () => {
		check(root, 'no standup post');
		const [dm] = await reminders(cy.key);
		check(dm, 'no reminder DM');
		await answer(cy.key, dm, { answer1: 'On call', answer2: 'Post-mortem', answer3: 'Need access to Grafana' });
		const replies = await repliesTo(root);
		check(replies.length === 3 && replies.some((r) => r.message.startsWith(`**${cy.username}**`)), `replies: ${replies.length}`);
		// The summary is rewritten right after the reply is posted.
		const summary = await waitFor('the summary with the late answer', async () => (await rootOf(dev)).find((p) => p.message.includes(`${cy.username}: Need access to Grafana`))?.message, 15_000, 250).catch(
			async () => (await rootOf(dev))[0].message,
		);
		check(summary.includes(`${cy.username}: Need access to Grafana`) && summary.includes('**No answer yet:** nobody'), `summary: ${summary}`);
		check((await h.mattermost.dmsTo(botId, cy.mattermostId!)).length === 1, 'the late answer sent another DM');
	});

	await scenario('Standup: the demo page shows ~dev with the summary and the answers in its thread (demo-page-standup.png)', async () => {
		const demoUrl = h.mattermost.info.demoUrl;
		check(typeof demoUrl === 'string', 'the stand-in runs no demo page');
		await withBrowserPage({ width: 900, height: 1200 }, async (page) => {
			await page.goto(demoUrl, { waitUntil: 'load' });
			const section = page.locator('section').filter({ has: page.locator('h2', { hasText: /^~dev\b/ }) }).first();
			const text = await section.innerText();
			check(text.includes('Blockers') && text.includes('Deploy 2.3 to staging') && text.includes('Fill in my standup'), `~dev on the demo page: ${text.slice(0, 300)}`);
			await section.screenshot({ path: join(outDir, 'demo-page-standup.png') });
		});
	});

	await scenario('Standup: on a holiday (a Settings date) the unchanged Every Minute clock runs and nothing is posted', async () => {
		const id = workflows.holiday.workflow.id;
		const executions = await h.n8n.executions({ workflowId: id });
		check(executions.length >= 1, `the holiday copy (every minute) ran ${executions.length} times in ${WINDOW_SECONDS + 20} s`);
		const latest = executions.find((e) => e.status === 'success');
		check(latest, `no finished run of the holiday copy: ${executions.map((e) => e.status).join(', ')}`);
		const data = (await h.n8n.execution(latest.id)) as { data?: { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>> } } };
		const out = data.data?.resultData?.runData?.['Post, Remind or Summarize']?.[0]?.data?.main?.[0]?.[0]?.json;
		check(out?.action === 'nothing' && out.reason === 'holiday', `the holiday copy did ${JSON.stringify(out)}`);
		const channel = h.world.channels[HOLIDAY_CHANNEL];
		check((await h.mattermost.posts(channel)).length === 0, 'something was posted in #standup-holiday');
		await h.n8n.rest('POST', `/workflows/${id}/deactivate`, {});
		await h.n8n.rest('POST', `/workflows/${workflows.main.workflow.id}/deactivate`, {});
		await sleep(TICK_SECONDS * 1000);
	});
}
