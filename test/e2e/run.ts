/**
 * `npm run test:e2e`: the packed package inside a real n8n 2.40.7 runs every bundled workflow against the stand-ins,
 * driven over HTTP as GitLab, Redmine, Grafana, Alertmanager and Mattermost would; then the editor is checked in
 * Debian's chromium. One line per scenario, then `N passed, M failed`; exit code 1 on any failure.
 * Artifacts in e2e-output/: mattermost-requests.jsonl, n8n.log, the other stand-ins' request logs, screenshots.
 *
 * E2E_BUILD=bundle|skip skips the type check / the build (default: `npm run build`).
 * `npm run test:e2e -- GitLab Editor` runs only the scenarios whose name contains one of the words (any letter case;
 * `a|b` works too), and the editor checks only when a word selects them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
	freePort,
	loadWorkflows,
	REPO_ROOT,
	sleep,
	startHarness,
	waitFor,
	workflowIdFor,
	type Harness,
	type LoadedWorkflow,
	type Person,
	type SendResult,
} from '../../playground/harness';
import { unknownTypes } from '../../playground/harness/package';
import { check, Scenarios } from '../helpers/scenarios';
import { makeWorld } from '../../playground/harness/world';
import type { Post } from '../../playground/standin/mattermost/state';
import { checkEditor } from './editor';
import { holidayCopy, isStandup, standupScenarios } from './standup';
import { Alertmanager, askWorkflows, bindAlertSettings, interactiveScenarios, MATTERMOST_ARGS } from './interactive';
import {
	alertmanagerEvent,
	confidentialIssueCommentEvent,
	grafanaEvent,
	mergeRequestCommentEvent,
	mergeRequestEmojiEvent,
	mergeRequestEvent,
	outgoingWebhook,
	pipelineEvent,
	redmineOpenedEvent,
	redmineUpdatedEvent,
	type HttpEvent,
	type MergeRequestSpec,
} from '../../playground/sample-events';

const OUT = join(REPO_ROOT, 'e2e-output');
/** Webhook path of the urgent copy of the alerts workflow (its post carries a priority label). */
const URGENT_ALERTS_PATH = 'alerts-urgent';

/** The alerts workflow on its own path, its post sent with priority `urgent`, for the PostPriority scenario. */
function urgentAlertsCopy(source: LoadedWorkflow): LoadedWorkflow {
	const workflow = structuredClone(source.workflow);
	workflow.id = workflowIdFor(`urgent:${source.slug}`);
	workflow.name = `${workflow.name} (e2e: urgent)`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-mattermost-devops.secureWebhookTrigger') node.parameters = { ...node.parameters, path: URGENT_ALERTS_PATH };
		// Its button trigger must not take the bundled workflow's clicks (two workflows on one path: n8n picks either).
		if (node.type === 'n8n-nodes-mattermost-devops.mattermostInteractionTrigger') {
			node.parameters = { ...node.parameters, path: `${String(node.parameters.path)}-urgent` };
		}
		if (node.type === 'n8n-nodes-mattermost-devops.mattermost') {
			node.parameters = { ...node.parameters, options: { ...(node.parameters.options as object), priority: 'urgent' } };
		}
		// n8n registers a webhook only for a node with a webhookId; the copy needs its own.
		if (node.webhookId) node.webhookId = randomUUID();
		delete node.id;
	}
	return { slug: `${source.slug}-urgent`, workflow };
}

const scenarios = new Scenarios(6, process.argv.slice(2).join('|'));
const scenario = async (name: string, run: () => Promise<void>) => await scenarios.run(name, run);

/** What the e2e needs on top of the harness: per-workflow execution settling and Mattermost views. */
class Driver {
	constructor(readonly h: Harness) {}

	get world() {
		return this.h.world;
	}

	workflowIdFor(pathAndQuery: string): string {
		const path = pathAndQuery.split('?')[0];
		const hook = this.h.webhooks.find((w) => w.path === path);
		if (!hook) throw new Error(`no published workflow registers /webhook/${path}`);
		return hook.workflowId;
	}

	async finishedExecutions(workflowId: string): Promise<number> {
		const executions = await this.h.n8n.executions({ workflowId });
		if (executions.some((e) => ['running', 'new', 'waiting'].includes(e.status))) return -1;
		return executions.length;
	}

	/** Sends the event and, when n8n accepted it, waits until its execution has finished. */
	async fire(event: HttpEvent, expectExecution = true): Promise<SendResult> {
		const workflowId = this.workflowIdFor(event.path);
		const before = await waitFor('executions to settle', async () => {
			const n = await this.finishedExecutions(workflowId);
			return n >= 0 ? n : undefined;
		}, 60_000);
		const result = await this.h.send(event.path, { json: event.json, form: event.form, headers: event.headers });
		if (expectExecution && result.status < 300) {
			await waitFor(`the ${event.path} execution to finish`, async () => ((await this.finishedExecutions(workflowId)) > before ? true : undefined), 60_000, 250);
		}
		return result;
	}

	/**
	 * Why the latest execution of the workflow behind `path` did not reach people: the `detail` of every item that
	 * carries a `reason` (the Recipient Resolver's Unresolved output), and any node error. For failure messages.
	 */
	async whyNotDelivered(path: string): Promise<string> {
		const [latest] = await this.h.n8n.executions({ workflowId: this.workflowIdFor(path) }, 1);
		if (!latest) return 'no execution';
		const execution = (await this.h.n8n.execution(latest.id)) as {
			data?: { resultData?: { error?: { message?: string }; runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } };
		};
		const notes: string[] = [];
		const result = execution.data?.resultData;
		if (result?.error?.message) notes.push(`error: ${result.error.message}`);
		for (const runs of Object.values(result?.runData ?? {})) {
			for (const run of runs) {
				for (const output of run.data?.main ?? []) {
					for (const item of output ?? []) {
						if (typeof item.json.reason === 'string') notes.push(`${item.json.reason}: ${String(item.json.detail ?? '')}`);
						if (typeof item.json.skip === 'string') notes.push(`skipped: ${item.json.skip}`);
					}
				}
			}
		}
		return [...new Set(notes)].join(' | ') || `execution ${latest.id} ${latest.status}, nothing unresolved`;
	}

	async dms(person: Person): Promise<Post[]> {
		check(person.mattermostId, `${person.username} has no Mattermost account`);
		return await this.h.mattermost.dmsTo(this.world.bot.id, person.mattermostId);
	}

	async channelPosts(name: string): Promise<Post[]> {
		const id = this.world.channels[name];
		check(id, `no channel ${name} was seeded`);
		return await this.h.mattermost.posts(id);
	}

	/** Every post outside #dev (the standup's channel). */
	async postsOutsideDev(): Promise<Post[]> {
		return (await this.h.mattermost.posts()).filter((p) => p.channel_id !== this.world.channels.dev);
	}
}

const newSince = (before: Post[], after: Post[]) => after.filter((p) => !before.some((b) => b.id === p.id));
const describe = (posts: Post[]) => posts.map((p) => JSON.stringify(p.message.slice(0, 80))).join(', ') || 'none';

async function gitlabScenarios(d: Driver): Promise<void> {
	const p = d.world.people;
	// On failure, say what n8n's execution reported (e.g. the resolver's reasons for not reaching someone).
	const scenario = async (name: string, run: () => Promise<void>) =>
		await scenarios.run(name, async () => {
			try {
				await run();
			} catch (error) {
				throw new Error(`${(error as Error).message}\n(n8n: ${await d.whyNotDelivered('gitlab').catch((e: Error) => e.message)})`);
			}
		});
	const mr: MergeRequestSpec = { iid: 42, title: 'Round voucher discounts before computing the total', author: p.author, reviewers: [p.reviewer], assignees: [p.assignee] };
	const roots = new Map<string, string>();

	await scenario('GitLab: merge request opened as draft → nothing is posted', async () => {
		const before = await d.postsOutsideDev();
		const result = await d.fire(mergeRequestEvent(d.world, mr, 'open-draft'));
		check(result.status === 200, `GitLab got HTTP ${result.status}: ${result.text}`);
		const added = newSince(before, await d.postsOutsideDev());
		check(added.length === 0, `expected no post, got ${added.length}: ${describe(added)}`);
	});

	await scenario('GitLab: marked ready → a DM to the reviewer and to the assignee', async () => {
		await d.fire(mergeRequestEvent(d.world, mr, 'ready'));
		for (const person of [p.reviewer, p.assignee]) {
			const dms = await d.dms(person);
			check(dms.length === 1, `${person.username}: expected 1 DM, got ${dms.length} (${describe(dms)})`);
			check(dms[0].message.includes(mr.title) || JSON.stringify(dms[0].props).includes(mr.title), `${person.username}'s DM does not name the MR: ${describe(dms)}`);
			check(dms[0].root_id === '', `${person.username}'s first DM about the MR should start its thread`);
			roots.set(person.key, dms[0].id);
		}
		const author = await d.dms(p.author);
		check(author.length === 0, `the author marked it ready and should not be told, got ${describe(author)}`);
	});

	const comment = mergeRequestCommentEvent(
		d.world,
		{ ...mr, actor: p.commenter },
		p.commenter,
		`Looks right to me. @${p.mentioned.username} can you check the rounding for JPY?`,
		7301,
	);
	await scenario('GitLab: comment with an @mention → DMs to author, assignee and the mentioned user, in the MR\'s thread', async () => {
		const before = new Map<string, Post[]>();
		for (const person of [p.author, p.assignee, p.mentioned]) before.set(person.key, await d.dms(person));
		await d.fire(comment);
		const problems: string[] = [];
		for (const person of [p.author, p.assignee, p.mentioned]) {
			const added = newSince(before.get(person.key)!, await d.dms(person));
			if (added.length !== 1) {
				problems.push(`${person.username}: expected 1 new DM, got ${added.length}`);
				continue;
			}
			const root = roots.get(person.key);
			if (root && added[0].root_id !== root) problems.push(`${person.username}: DM is not a reply in the MR thread (root_id '${added[0].root_id}', thread root ${root})`);
			if (!root) roots.set(person.key, added[0].root_id || added[0].id);
		}
		const commenter = await d.dms(p.commenter);
		if (commenter.length) problems.push(`the commenter was told about their own comment`);
		check(problems.length === 0, problems.join('; '));
	});

	await scenario('GitLab: the same delivery re-sent → no duplicate DM', async () => {
		const before = await d.postsOutsideDev();
		const result = await d.fire(comment);
		check(result.status === 200, `GitLab got HTTP ${result.status}`);
		const added = newSince(before, await d.postsOutsideDev());
		check(added.length === 0, `the re-sent delivery posted again: ${describe(added)}`);
	});

	await scenario('GitLab: merged → a DM to the author in the same thread', async () => {
		const before = await d.dms(p.author);
		await d.fire(mergeRequestEvent(d.world, { ...mr, actor: p.reviewer }, 'merge'));
		const added = newSince(before, await d.dms(p.author));
		check(added.length === 1, `expected 1 new DM to the author, got ${added.length}`);
		const root = roots.get(p.author.key);
		check(root, 'the author had no earlier DM in this MR thread (see the comment scenario)');
		check(added[0].root_id === root, `the merge DM is not in the MR thread (root_id '${added[0].root_id}', expected ${root})`);
	});

	await scenario('GitLab: the MR thread\'s first DM deleted in Mattermost → the next DMs start a new thread and arrive', async () => {
		const root = roots.get(p.author.key);
		check(root, 'the author had no MR thread (see the comment scenario)');
		await d.h.mattermost.deletePost(root);
		const before = await d.dms(p.author);
		await d.fire(mergeRequestCommentEvent(d.world, { ...mr, actor: p.commenter }, p.commenter, 'One more thing about the rounding.', 7302));
		const added = newSince(before, await d.dms(p.author));
		check(added.length === 1, `expected 1 new DM to the author after the root was deleted, got ${added.length}`);
		check(added[0].root_id === '', `the DM should start a new thread, but replies to '${added[0].root_id}'`);
		const next = await d.dms(p.author);
		await d.fire(mergeRequestCommentEvent(d.world, { ...mr, actor: p.commenter }, p.commenter, 'And the tax rounding too.', 7303));
		const later = newSince(next, await d.dms(p.author));
		check(later.length === 1 && later[0].root_id === added[0].id, `the next DM should reply in the new thread ${added[0].id}: ${describe(later)}`);
		roots.set(p.author.key, added[0].id);
	});

	await scenario('GitLab: emoji award → a DM to the owner', async () => {
		const before = await d.dms(p.author);
		await d.fire(mergeRequestEmojiEvent(d.world, mr, p.reviewer, 'tada'));
		const added = newSince(before, await d.dms(p.author));
		check(added.length === 1, `expected 1 new DM to the MR's author, got ${added.length}`);
		check(added[0].message.includes('tada') || added[0].message.includes('🎉'), `the DM does not show the emoji: ${describe(added)}`);
	});

	await scenario('GitLab: pipeline failed → a DM to the user who triggered it', async () => {
		const before = await d.dms(p.pipeline);
		await d.fire(pipelineEvent(d.world, p.pipeline, 'failed'));
		const added = newSince(before, await d.dms(p.pipeline));
		check(added.length === 1, `expected 1 new DM to ${p.pipeline.username}, got ${added.length}`);
		check(/fail/i.test(added[0].message + JSON.stringify(added[0].props)), `the DM does not say the pipeline failed: ${describe(added)}`);
	});

	await scenario('GitLab: someone without a Mattermost account → a post in the fallback channel naming them', async () => {
		const before = await d.channelPosts('gitlab-notifications');
		const other: MergeRequestSpec = { iid: 43, title: 'Add smoke tests for the checkout', author: p.author, reviewers: [p.unmapped], assignees: [] };
		await d.fire(mergeRequestEvent(d.world, other, 'open'));
		const added = newSince(before, await d.channelPosts('gitlab-notifications'));
		check(added.length >= 1, 'nothing was posted in ~gitlab-notifications');
		check(added.some((post) => post.message.includes(p.unmapped.username)), `the fallback post does not name ${p.unmapped.username}: ${describe(added)}`);
	});

	await scenario('GitLab: comment on a confidential issue → DMs to its author and assignee only, without the comment; no mention, no fallback post', async () => {
		const issue = { iid: 77, title: 'Card numbers visible in the payment log', author: p.author, assignees: [p.assignee, p.unmapped] };
		const secretText = 'The log line holds 4111-1111-1111-1111';
		const note = `${secretText}. @${p.mentioned.username} @${p.unmapped.username} please look`;
		const watched = [p.author, p.assignee, p.mentioned, p.commenter];
		const before = new Map<string, Post[]>();
		for (const person of watched) before.set(person.key, await d.dms(person));
		const fallbackBefore = await d.channelPosts('gitlab-notifications');
		const result = await d.fire(confidentialIssueCommentEvent(d.world, issue, p.commenter, note, 7702));
		check(result.status === 200, `GitLab got HTTP ${result.status}: ${result.text}`);
		const problems: string[] = [];
		for (const person of watched) {
			const added = newSince(before.get(person.key)!, await d.dms(person));
			const expected = person === p.author || person === p.assignee ? 1 : 0;
			if (added.length !== expected) problems.push(`${person.username}: expected ${expected} new DM, got ${added.length}`);
			for (const dm of added) {
				if (JSON.stringify(dm).includes('4111')) problems.push(`${person.username}'s DM quotes the confidential comment`);
				if (!dm.message.includes(issue.title) && !JSON.stringify(dm.props).includes(issue.title)) problems.push(`${person.username}'s DM does not name the issue`);
			}
		}
		const fallback = newSince(fallbackBefore, await d.channelPosts('gitlab-notifications'));
		if (fallback.length) problems.push(`posted in ~gitlab-notifications: ${describe(fallback)}`);
		check(problems.length === 0, problems.join('; '));
	});

	await scenario('GitLab: wrong X-Gitlab-Token → HTTP 401, nothing posted, no execution', async () => {
		const before = await d.postsOutsideDev();
		const workflowId = d.workflowIdFor('gitlab');
		const executions = await d.finishedExecutions(workflowId);
		const event = mergeRequestEvent(d.world, mr, 'ready');
		const result = await d.fire({ ...event, headers: { ...event.headers, 'X-Gitlab-Token': 'not-the-secret' } }, false);
		check(result.status === 401, `expected 401, got ${result.status}`);
		await sleep(1500);
		const added = newSince(before, await d.postsOutsideDev());
		check(added.length === 0, `posted: ${describe(added)}`);
		check((await d.finishedExecutions(workflowId)) === executions, 'an execution was started');
	});
}

async function ticketScenarios(d: Driver): Promise<void> {
	await scenario('Redmine: ticket opened → #tickets through the incoming webhook, as "Redmine Bot" with an icon', async () => {
		const before = await d.channelPosts('tickets');
		await d.fire(redmineOpenedEvent(d.world, 4711, 'Login page shows an error'));
		const added = newSince(before, await d.channelPosts('tickets'));
		check(added.length === 1, `expected 1 post in ~tickets, got ${added.length}`);
		const post = added[0];
		check(post.props.from_webhook === 'true', 'the post did not come through an incoming webhook');
		check(post.props.override_username === 'Redmine Bot', `bot name is ${JSON.stringify(post.props.override_username)}`);
		check(typeof post.props.override_icon_url === 'string' && post.props.override_icon_url.startsWith('http'), 'no icon URL');
		check(post.message.includes('#4711') && post.message.includes('Login page shows an error'), `message: ${post.message}`);
		const hookCalls = (await d.h.mattermost.requests<{ path: string }>()).filter((r) => r.path.startsWith('/hooks/'));
		check(hookCalls.length >= 1, 'no request to /hooks/ was recorded');
	});

	await scenario('Redmine: ticket updated → #tickets says what changed', async () => {
		const before = await d.channelPosts('tickets');
		await d.fire(redmineUpdatedEvent(d.world, 4711, 'Login page shows an error', 'Reproduced on staging.'));
		const added = newSince(before, await d.channelPosts('tickets'));
		check(added.length === 1, `expected 1 post in ~tickets, got ${added.length}`);
		const message = added[0].message;
		check(message.includes('#4711') && message.includes('In Progress') && message.includes('Reproduced on staging.'), `message: ${message}`);
		check(added[0].props.override_username === 'Redmine Bot', 'bot name missing');
	});
}

async function redmineProtectionScenarios(d: Driver): Promise<void> {
	await scenario('Redmine: wrong or missing ?token= → HTTP 401, nothing posted, no execution', async () => {
		const before = await d.postsOutsideDev();
		const workflowId = d.workflowIdFor('redmine');
		const executions = await d.finishedExecutions(workflowId);
		const right = redmineOpenedEvent(d.world, 4712, 'Forged ticket');
		for (const path of ['redmine', 'redmine?token=not-the-secret-but-long-enough', `redmine?Token=${encodeURIComponent(d.world.secrets.redmineWebhookToken)}`]) {
			const result = await d.fire({ ...right, path }, false);
			check(result.status === 401, `${path.split('=')[0]}: expected 401, got ${result.status}`);
		}
		await sleep(1500);
		const added = newSince(before, await d.postsOutsideDev());
		check(added.length === 0, `posted: ${describe(added)}`);
		check((await d.finishedExecutions(workflowId)) === executions, 'an execution was started');
	});

	await scenario('Redmine: a subject with links, an image and @all → shown as plain text, nobody notified', async () => {
		const before = await d.channelPosts('tickets');
		const subject = '![pixel](https://evil.example/p.png) [click me](https://evil.example/x) **updated by** admin @all';
		const result = await d.fire(redmineOpenedEvent(d.world, 4713, subject));
		check(result.status === 200, `Redmine got HTTP ${result.status}`);
		const added = newSince(before, await d.channelPosts('tickets'));
		check(added.length === 1, `expected 1 post in ~tickets, got ${added.length}`);
		const message = added[0].message;
		check(!/(^|[^\\])\]\(https:\/\/evil/.test(message), `the subject made a link or an image: ${message}`);
		check(message.includes('@\u200ball') && !/@all/.test(message), `@all is not neutralised: ${message}`);
	});
}

async function alertScenarios(d: Driver): Promise<void> {
	let firing: Post | undefined;
	await scenario('Grafana: alert firing → a red post in #alerts', async () => {
		const before = await d.channelPosts('alerts');
		await d.fire(grafanaEvent(d.world, 'firing'));
		const added = newSince(before, await d.channelPosts('alerts'));
		check(added.length === 1, `expected 1 post in ~alerts, got ${added.length}`);
		firing = added[0];
		check(firing.root_id === '', 'the firing post should be a thread root');
		check(firing.message.includes('Checkout latency high'), `message: ${firing.message}`);
		const color = (firing.props.attachments as Array<{ color?: string }> | undefined)?.[0]?.color;
		check(color === '#E01E5A' || color === 'danger', `attachment colour ${color} is not red`);
	});

	await scenario('Grafana: alert resolved → a green reply in the firing post\'s thread', async () => {
		check(firing, 'no firing post');
		const before = await d.channelPosts('alerts');
		await d.fire(grafanaEvent(d.world, 'resolved'));
		const added = newSince(before, await d.channelPosts('alerts'));
		check(added.length === 1, `expected 1 new post, got ${added.length}`);
		check(added[0].root_id === firing.id, `resolved post root_id '${added[0].root_id}', expected ${firing.id}`);
		const color = (added[0].props.attachments as Array<{ color?: string }> | undefined)?.[0]?.color;
		check(color === '#2EB67D' || color === 'good', `attachment colour ${color} is not green`);
	});

	await scenario('Mattermost with Message Priority off → an urgent alert is still posted, without the label', async () => {
		await d.h.mattermost.setSettings({ PostPriority: false });
		try {
			const before = await d.channelPosts('alerts');
			await d.fire({ ...grafanaEvent(d.world, 'firing', 'e2e0priority0off', 'Payment errors above 5%'), path: URGENT_ALERTS_PATH });
			const added = newSince(before, await d.channelPosts('alerts'));
			check(added.length === 1, `expected 1 post in ~alerts, got ${added.length} (n8n: ${await d.whyNotDelivered(URGENT_ALERTS_PATH)})`);
			check(added[0].message.includes('Payment errors above 5%'), `message: ${added[0].message}`);
			check(added[0].metadata.priority === undefined, `the post kept a priority: ${JSON.stringify(added[0].metadata.priority)}`);
			const [latest] = await d.h.n8n.executions({ workflowId: d.workflowIdFor(URGENT_ALERTS_PATH) }, 1);
			check(latest?.status === 'success', `the execution ended ${latest?.status}`);
		} finally {
			await d.h.mattermost.setSettings({ PostPriority: true });
		}
	});

	await scenario('Alertmanager: firing payload → a post in #alerts', async () => {
		const before = await d.channelPosts('alerts');
		await d.fire(alertmanagerEvent(d.world, 'firing'));
		const added = newSince(before, await d.channelPosts('alerts'));
		check(added.length === 1, `expected 1 post, got ${added.length}`);
		check(added[0].message.includes('DiskAlmostFull'), `message: ${added[0].message}`);
	});

	await scenario('Alerts: wrong Authorization → HTTP 401, nothing posted', async () => {
		const before = await d.channelPosts('alerts');
		const event = grafanaEvent(d.world, 'firing', 'ffff000011112222');
		const result = await d.fire({ ...event, headers: { ...event.headers, Authorization: 'Bearer wrong' } }, false);
		check(result.status === 401, `expected 401, got ${result.status}`);
		await sleep(1000);
		check(newSince(before, await d.channelPosts('alerts')).length === 0, 'something was posted');
	});
}

async function commandScenarios(d: Driver): Promise<void> {
	const user = d.world.people.author;
	const reply = (result: SendResult) => result.json as { text?: string; response_type?: string } | undefined;

	await scenario('!ticket 123 (form-encoded outgoing webhook) → a thread reply with the Redmine ticket', async () => {
		const result = await d.fire(outgoingWebhook(d.world, '!ticket 123', user));
		check(result.status === 200, `HTTP ${result.status}: ${result.text}`);
		const answer = reply(result);
		check(answer?.response_type === 'comment', `response_type ${answer?.response_type}`);
		check(answer?.text?.includes('Checkout total ignores the voucher') && answer.text.includes('#123'), `text: ${answer?.text}`);
		const calls = await d.h.redmine.requests<{ method: string; path: string; status: number }>();
		check(calls.some((c) => c.method === 'GET' && c.path === '/issues/123.json' && c.status === 200), 'Redmine was not asked for issue 123 with a valid key');
	});

	await scenario('!ticket new Login broken → creates the ticket and answers with its link', async () => {
		const result = await d.fire(outgoingWebhook(d.world, '!ticket new Login broken', user));
		const answer = reply(result);
		check(result.status === 200 && answer?.text, `HTTP ${result.status}: ${result.text}`);
		const issues = await d.h.redmine.control<Array<{ id: number; subject: string }>>('GET', 'issues');
		const created = issues.find((i) => i.subject === 'Login broken');
		check(created, `Redmine has no ticket "Login broken"; reply: ${answer.text}`);
		check(answer.text.includes(`#${created.id}`) && /https?:\/\//.test(answer.text), `reply does not link #${created.id}: ${answer.text}`);
	});

	await scenario('!ticket help → usage', async () => {
		const result = await d.fire(outgoingWebhook(d.world, '!ticket help', user));
		const answer = reply(result);
		check(result.status === 200 && /usage/i.test(answer?.text ?? ''), `HTTP ${result.status}: ${result.text}`);
		check(answer?.text?.includes('!ticket new'), 'usage does not explain !ticket new');
	});

	await scenario('!ticket with a wrong token → HTTP 401, Redmine not asked', async () => {
		const before = (await d.h.redmine.requests()).length;
		const result = await d.fire(outgoingWebhook(d.world, '!ticket 123', user, 'wrong-token'), false);
		check(result.status === 401, `expected 401, got ${result.status}`);
		check((await d.h.redmine.requests()).length === before, 'Redmine was called');
	});
}

async function artifactScenario(d: Driver): Promise<void> {
	await scenario('Artifacts: no configured secret appears in the request logs or n8n.log', async () => {
		const files = ['mattermost-requests.jsonl', 'redmine-requests.jsonl', 'gitlab-requests.jsonl', 'n8n.log'].map((f) => join(OUT, f));
		check(existsSync(files[0]), 'mattermost-requests.jsonl was not written');
		const leaks: string[] = [];
		for (const file of files.filter((f) => existsSync(f))) {
			const text = readFileSync(file, 'utf8');
			for (const secret of d.h.secretValues()) if (text.includes(secret)) leaks.push(`${file.split('/').pop()} contains a configured secret`);
		}
		check(leaks.length === 0, [...new Set(leaks)].join('; '));
	});
}

async function main(): Promise<void> {
	const started = Date.now();
	rmSync(OUT, { recursive: true, force: true });
	mkdirSync(OUT, { recursive: true });
	const world = makeWorld();
	const workflows = loadWorkflows();
	const standup = workflows.find(isStandup);
	const holiday = standup && holidayCopy(standup);
	const extra = holiday ? [holiday] : [];
	const alerts = workflows.find((w) =>
		w.workflow.nodes.some((node) => node.type === 'n8n-nodes-mattermost-devops.secureWebhookTrigger' && node.parameters.path === 'alerts'),
	);
	if (alerts) extra.push(urgentAlertsCopy(alerts));
	const build = (process.env.E2E_BUILD as 'full' | 'bundle' | 'skip' | undefined) ?? 'full';
	process.stdout.write(`e2e: ${workflows.length} bundled workflow(s) in workflows/; artifacts in e2e-output/\n`);
	let harness: Harness | undefined;
	let alertmanager: Alertmanager | undefined;
	try {
		alertmanager = await Alertmanager.start(join(OUT, 'alertmanager'));
		const port = await freePort();
		bindAlertSettings(workflows, `http://127.0.0.1:${port}`, alertmanager.url);
		extra.push(...askWorkflows());
		// The demo page (what the Mattermost stand-in received) is screenshotted at the end for the README.
		// The standup workflows are published by their scenario, so their window starts then.
		const publish = (w: (typeof workflows)[number]) => !isStandup(w) && w !== holiday;
		harness = await startHarness({ outputDir: OUT, world, workflows, extraWorkflows: extra, build, port, publish, mattermostArgs: ['--demo-port', '0', ...MATTERMOST_ARGS] });
		const d = new Driver(harness);
		await scenario('Package: every node and credential of package.json loads in n8n', async () => {
			const missing = unknownTypes({ nodes: await harness!.n8n.nodeTypes(), credentials: await harness!.n8n.credentialTypes() });
			check(missing.length === 0, `not loaded: ${missing.join(', ')}`);
		});
		await gitlabScenarios(d);
		await ticketScenarios(d);
		await redmineProtectionScenarios(d);
		await alertScenarios(d);
		await interactiveScenarios(harness, scenario, alertmanager, OUT);
		await commandScenarios(d);
		if (standup && holiday) await standupScenarios(harness, scenario, { main: standup, holiday }, OUT);
		else scenarios.record({ name: 'Standup: the bundled workflow', ok: false, detail: 'no workflow in workflows/ has a Mattermost Interaction Trigger on /webhook/standup' });
		for (const result of scenarios.selects('Editor') ? await checkEditor(harness, OUT) : []) {
			await scenario(result.name, async () => {
				if (!result.ok) throw new Error(result.detail ?? 'failed');
			});
		}
		await artifactScenario(d);
	} catch (error) {
		scenarios.record({ name: 'harness', ok: false, detail: (error as Error).message });
		process.stdout.write(`FAIL  harness: ${(error as Error).message}\n`);
	} finally {
		await harness?.stop();
		await alertmanager?.stop();
	}
	process.stdout.write(`\ne2e took ${((Date.now() - started) / 1000).toFixed(0)} s; artifacts in e2e-output/\n`);
	process.stdout.write(`${scenarios.summaryLine()}\n`);
	process.exit(scenarios.failed ? 1 : 0);
}

void main();
