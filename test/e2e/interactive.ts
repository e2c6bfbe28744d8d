/**
 * Interactive Mattermost in a real n8n: Send and Wait for Response (approve, decline, a menu choice, a form through a
 * dialog, a user not on the list, a second click, a timeout), and the alerts workflow's buttons through the Mattermost
 * Interaction Trigger (Acknowledge with a valid and with a forged signature; Silence 1 h against a real Prometheus
 * Alertmanager from Debian, read back from its API). People click in the Mattermost stand-in, which calls n8n the way
 * the real server does (AllowedUntrustedInternalConnections lets it reach n8n on 127.0.0.1).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { signContext } from '../../nodes/core/mattermost/interactive';
import { freePort, sleep, waitFor, type Harness, type LoadedWorkflow } from '../../playground/harness';
import { spawnTracked, stopProcess } from '../../playground/harness/processes';
import { check } from '../helpers/scenarios';
import { TEAM_NAME } from '../../playground/harness/world';
import type { Post } from '../../playground/standin/mattermost/state';

const PKG = 'n8n-nodes-mattermost-devops';
/** Where the stand-in may call integrations: n8n runs on loopback here, as a private-network n8n would. */
export const MATTERMOST_ARGS = ['--allowed-untrusted-internal-connections', '127.0.0.1'];

type Scenario = (name: string, run: () => Promise<void>) => Promise<void>;

interface AskSpec {
	path: string;
	parameters: Record<string, unknown>;
}

const ASKS: Record<string, AskSpec> = {
	approval: { path: 'e2e-ask-approval', parameters: {} },
	listed: { path: 'e2e-ask-listed', parameters: { whoMayAnswer: 'listed', allowedUsers: '={{ $json.body.allowed }}' } },
	menu: { path: 'e2e-ask-menu', parameters: { responseType: 'choice', choices: 'staging, production, canary', choiceStyle: 'menu' } },
	form: {
		path: 'e2e-ask-form',
		parameters: {
			responseType: 'form',
			formTitle: 'Rollback',
			formFields: {
				field: [
					{ label: 'Reason', type: 'text', required: true },
					{ label: 'Replicas', type: 'number' },
					{ label: 'Environment', type: 'select', options: 'staging, production', required: true },
				],
			},
		},
	},
	timeout: {
		path: 'e2e-ask-timeout',
		parameters: { options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' } } } },
	},
};

/** One small workflow per kind of question: a Webhook starts it, Send and Wait asks in #approvals. */
export function askWorkflows(): LoadedWorkflow[] {
	return Object.entries(ASKS).map(([kind, spec]) => {
		const id = `e2eAsk${kind.charAt(0).toUpperCase()}${kind.slice(1)}`.slice(0, 16);
		return {
			slug: `e2e-ask-${kind}`,
			workflow: {
				id,
				name: `E2E: ask (${kind})`,
				active: false,
				settings: { executionOrder: 'v1' },
				connections: { Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } },
				nodes: [
					{
						id: randomUUID(),
						name: 'Start',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: randomUUID(),
						parameters: { httpMethod: 'POST', path: spec.path, responseMode: 'onReceived', options: {} },
					},
					{
						id: randomUUID(),
						name: 'Ask',
						type: `${PKG}.mattermost`,
						typeVersion: 1,
						position: [220, 0],
						parameters: {
							resource: 'message',
							operation: 'sendAndWait',
							sendTo: 'channel',
							channel: { __rl: true, mode: 'name', value: `${TEAM_NAME}/approvals` },
							message: '={{ $json.body.question }}',
							...spec.parameters,
						},
						credentials: { mattermostDevopsApi: { id: null, name: 'Mattermost Bot' } },
					},
				],
			},
		} as unknown as LoadedWorkflow;
	});
}

/** A private Prometheus Alertmanager from Debian on a free loopback port with its own data directory. */
export class Alertmanager {
	private constructor(
		readonly url: string,
		private readonly child: ChildProcess,
	) {}

	static async start(dir: string): Promise<Alertmanager> {
		const binary = '/usr/bin/prometheus-alertmanager';
		if (!existsSync(binary)) {
			process.stdout.write('e2e: installing prometheus-alertmanager with apt-get\n');
			execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 });
			execFileSync('apt-get', ['install', '-y', '-qq', 'prometheus-alertmanager'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
			// Debian starts a system instance on :9093; this suite runs its own.
			try {
				execFileSync('service', ['prometheus-alertmanager', 'stop'], { stdio: 'ignore', timeout: 30_000 });
			} catch {
				// No service manager in containers: nothing was started.
			}
		}
		mkdirSync(join(dir, 'data'), { recursive: true });
		const config = join(dir, 'alertmanager.yml');
		writeFileSync(config, 'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n');
		const port = await freePort();
		const child = spawnTracked(
			binary,
			[`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
			{ stdio: ['ignore', 'ignore', 'pipe'] },
		);
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
		const url = `http://127.0.0.1:${port}`;
		await waitFor(`Alertmanager on ${url} (${stderr})`, async () => ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined), 30_000);
		return new Alertmanager(url, child);
	}

	async silences(): Promise<Array<{ id: string; status: { state: string }; matchers: Array<{ name: string; value: string }>; createdBy: string; comment: string; startsAt: string; endsAt: string }>> {
		return (await (await fetch(`${this.url}/api/v2/silences`)).json()) as never;
	}

	async stop(): Promise<void> {
		await stopProcess(this.child, 'SIGTERM', 5_000);
	}
}

/** Points the alerts workflow's buttons at this n8n and its silences at this Alertmanager (the two URL settings). */
export function bindAlertSettings(workflows: LoadedWorkflow[], n8nUrl: string, alertmanagerUrl: string): void {
	for (const { workflow } of workflows) {
		for (const node of workflow.nodes) {
			const assignments = (node.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> } | undefined)?.assignments ?? [];
			for (const a of assignments) {
				if (a.name === 'n8nUrl') a.value = n8nUrl;
				if (a.name === 'alertmanagerUrl') a.value = alertmanagerUrl;
			}
		}
	}
}

const actionsOf = (post: Post) =>
	((post.props.attachments as Array<{ actions?: Array<{ id: string; name: string; integration?: { url: string; context: Record<string, unknown> } }> }>) ?? []).flatMap(
		(a) => a.actions ?? [],
	);

export async function interactiveScenarios(h: Harness, scenario: Scenario, alertmanager: Alertmanager, outDir: string): Promise<void> {
	const people = h.world.people;
	const tokens: Record<string, string> = {};
	for (const p of Object.values(people)) if (p.mattermostId) tokens[p.key] = `tok${randomBytes(12).toString('hex')}`;
	await h.mattermost.seed({ tokens: Object.fromEntries(Object.entries(tokens).map(([key, token]) => [token, people[key].mattermostId])) });
	const approvals = h.world.channels.approvals;
	const mm = h.mattermost.url;
	const asUser = async (key: string, path: string, body: unknown) => {
		const res = await fetch(`${mm}/api/v4${path}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[key]}` },
			body: JSON.stringify(body),
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};
	const click = async (key: string, post: Post, actionId: string, selected?: string) =>
		await asUser(key, `/posts/${post.id}/actions/${actionId}`, selected ? { selected_option: selected } : {});
	const ephemerals = async () => await h.mattermost.control<Array<{ user_id: string; message: string }>>('GET', 'ephemerals');
	const postById = async (id: string) => (await h.mattermost.posts()).find((p) => p.id === id)!;

	/** Starts one ask workflow and returns its question post and the execution that waits for it. */
	const ask = async (kind: keyof typeof ASKS, body: Record<string, unknown> = {}) => {
		const workflowId = h.webhooks.find((w) => w.path === ASKS[kind].path)!.workflowId;
		const before = (await h.mattermost.posts(approvals)).length;
		const question = `Deploy release ${kind}-${randomBytes(3).toString('hex')}?`;
		const sent = await h.send(ASKS[kind].path, { json: { question, ...body } });
		check(sent.status === 200, `webhook answered ${sent.status}`);
		const post = await waitFor(`the ${kind} question in ~approvals`, async () => {
			const posts = await h.mattermost.posts(approvals);
			return posts.length > before ? posts.find((p) => p.message === question) : undefined;
		}, 30_000);
		const execution = await waitFor('the waiting execution', async () => (await h.n8n.executions({ workflowId, status: ['waiting'] }))[0], 30_000);
		return { post, executionId: execution.id, workflowId };
	};
	/** The Ask node's output once the execution has finished. */
	const answer = async (executionId: string) => {
		const done = await waitFor('the execution to finish', async () => {
			const e = await h.n8n.execution(executionId);
			return ['success', 'error', 'crashed'].includes(e.status) ? e : undefined;
		}, 90_000, 250);
		check(done.status === 'success', `execution ${executionId} ended ${done.status}`);
		const data = done.data as { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>> } };
		return data.resultData.runData.Ask.at(-1)!.data!.main[0][0].json;
	};

	await scenario('Send and Wait: Approve clicked in Mattermost → the execution resumes with approved: true; the post shows who approved, buttons gone', async () => {
		const { post, executionId } = await ask('approval');
		check(actionsOf(post).map((a) => a.name).join() === 'Approve,Decline', `buttons: ${actionsOf(post).map((a) => a.name).join()}`);
		const res = await click('reviewer', post, 'approve');
		check(res.status === 200, `click answered ${res.status} ${JSON.stringify(res.json)}`);
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"approved":true}', `output ${JSON.stringify(out)}`);
		check((out.user as { username: string }).username === people.reviewer.username, `user ${JSON.stringify(out.user)}`);
		const after = await postById(post.id);
		check(new RegExp(`:white_check_mark: Approved by @${people.reviewer.username} at \\d\\d:\\d\\d$`).test(after.message), `post now: ${after.message}`);
		check(actionsOf(after).length === 0, 'the buttons are still there');
		check((await ephemerals()).some((e) => e.user_id === people.reviewer.mattermostId && e.message === 'You approved this request.'), 'no private confirmation');
	});

	await scenario('Send and Wait: Decline → approved: false', async () => {
		const { post, executionId } = await ask('approval');
		await click('assignee', post, 'decline');
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"approved":false}', `output ${JSON.stringify(out)}`);
		check(/:x: Declined by @/.test((await postById(post.id)).message), 'post not marked declined');
	});

	await scenario('Send and Wait: a second click after the answer changes nothing', async () => {
		const { post, executionId } = await ask('approval');
		await click('reviewer', post, 'approve');
		await answer(executionId);
		const answered = (await postById(post.id)).message;
		const second = await click('author', post, 'decline');
		check(second.status === 404, `second click answered ${second.status}`);
		check((await postById(post.id)).message === answered, 'the post changed');
		check(JSON.stringify((await answer(executionId)).data) === '{"approved":true}', 'the answer changed');
	});

	await scenario('Send and Wait: a menu choice → data.choice', async () => {
		const { post, executionId } = await ask('menu');
		await click('pipeline', post, 'choose', 'canary');
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"choice":"canary"}', `output ${JSON.stringify(out)}`);
	});

	await scenario('Send and Wait: a user not on the list is refused privately and the execution keeps waiting; a listed user answers', async () => {
		const { post, executionId } = await ask('listed', { allowed: `@${people.reviewer.username}` });
		await click('author', post, 'approve');
		check((await ephemerals()).some((e) => e.user_id === people.author.mattermostId && e.message === `This request is for @${people.reviewer.username}.`), 'no refusal note');
		check((await h.n8n.execution(executionId)).status === 'waiting', 'the execution did not keep waiting');
		check(actionsOf(await postById(post.id)).length === 2, 'the buttons went away');
		await click('reviewer', post, 'approve');
		const out = await answer(executionId);
		check((out.user as { username: string }).username === people.reviewer.username, `answered by ${JSON.stringify(out.user)}`);
	});

	await scenario('Send and Wait: a form submitted through a Mattermost dialog → the fields as data', async () => {
		const { post, executionId } = await ask('form');
		const dialogsBefore = (await h.mattermost.control<unknown[]>('GET', 'dialogs')).length;
		await click('commenter', post, 'respond');
		const dialogs = await h.mattermost.control<Array<{ user_id: string; url: string; dialog: { callback_id: string; state: string; title: string } }>>('GET', 'dialogs');
		check(dialogs.length === dialogsBefore + 1, 'no dialog was opened');
		const dialog = dialogs.at(-1)!;
		check(dialog.user_id === people.commenter.mattermostId && dialog.dialog.title === 'Rollback', `dialog ${JSON.stringify(dialog.dialog).slice(0, 200)}`);
		check(!dialog.dialog.state.includes('signature'), 'the dialog state holds a signature');
		const submitted = await asUser('commenter', '/actions/dialogs/submit', {
			url: dialog.url,
			channel_id: approvals,
			callback_id: dialog.dialog.callback_id,
			state: dialog.dialog.state,
			submission: { reason: 'error budget spent', replicas: '3', environment: 'production' },
		});
		check(submitted.status === 200 && Object.keys(submitted.json).length === 0, `submit answered ${submitted.status} ${JSON.stringify(submitted.json)}`);
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"reason":"error budget spent","replicas":3,"environment":"production"}', `output ${JSON.stringify(out.data)}`);
		check(/:memo: Answered by @/.test((await postById(post.id)).message), 'post not marked answered');
	});

	await scenario('Send and Wait: no answer within Limit Wait Time → { timedOut: true }', async () => {
		const { post, executionId } = await ask('timeout');
		const out = await answer(executionId);
		check(out.timedOut === true && out.post_id === post.id, `output ${JSON.stringify(out)}`);
	});

	const alerts = h.world.channels.alerts;
	const alertWorkflowId = h.webhooks.find((w) => w.path === 'alert-actions')?.workflowId;
	const fireAlert = async (fingerprint: string, alertname: string) => {
		const before = await h.mattermost.posts(alerts);
		const sent = await h.send('alerts', {
			headers: { Authorization: `Bearer ${h.world.secrets.grafanaToken}`, 'User-Agent': 'Alertmanager/0.25.0' },
			json: {
				version: '4',
				status: 'firing',
				receiver: 'mattermost',
				alerts: [{ status: 'firing', labels: { alertname, instance: 'db1:9100', severity: 'critical' }, annotations: { summary: 'Disk almost full' }, fingerprint, startsAt: new Date().toISOString() }],
			},
		});
		check(sent.status === 200, `alert webhook answered ${sent.status}`);
		return await waitFor('the alert post', async () => (await h.mattermost.posts(alerts)).find((p) => !before.some((b) => b.id === p.id) && p.message.includes(alertname)), 30_000);
	};
	const executionsOfButtons = async () => (alertWorkflowId ? (await h.n8n.executions({ workflowId: alertWorkflowId })).length : 0);

	await scenario('Alerts: Acknowledge on an old alert post → the Interaction Trigger marks it ":eyes: @… is on it"', async () => {
		const post = await fireAlert(`ack${randomBytes(6).toString('hex')}`, 'DiskAlmostFull');
		check(actionsOf(post).map((a) => a.name).join() === 'Acknowledge,Silence 1 h', `buttons: ${actionsOf(post).map((a) => a.name).join()}`);
		await sleep(1500);
		const res = await click('assignee', post, 'acknowledge');
		check(res.status === 200, `click answered ${res.status} ${JSON.stringify(res.json)}`);
		const after = await postById(post.id);
		check(after.message.endsWith(`:eyes: @${people.assignee.username} is on it`), `post now: ${after.message}`);
		// Both buttons still work: the edit did not write back the buttons Mattermost hands out without their URLs.
		check(actionsOf(after).map((a) => `${a.id}:${Boolean(a.integration?.url)}`).join() === 'acknowledge:true,silence1h:true', `buttons left: ${JSON.stringify(actionsOf(after))}`);
	});

	await scenario('Alerts: a button with a forged signature → "Action failed", no execution, the post unchanged', async () => {
		const url = `${h.n8n.baseUrl}/webhook/alert-actions`;
		const context = signContext('not-the-workflow-secret-0123456789', { alert: { alertname: 'Forged' }, source: 'alertmanager', action: 'silence1h', value: '1' });
		const created = await fetch(`${mm}/api/v4/posts`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.world.secrets.botToken}` },
			body: JSON.stringify({ channel_id: alerts, message: 'Forged alert', props: { attachments: [{ actions: [{ id: 'silence1h', name: 'Silence 1 h', type: 'button', integration: { url, context } }] }] } }),
		});
		const post = (await created.json()) as Post;
		const before = await executionsOfButtons();
		const silencesBefore = (await alertmanager.silences()).length;
		const res = await click('author', post, 'silence1h');
		check(res.status === 400 && res.json.id === 'api.post.do_action.action_integration.app_error', `click answered ${res.status} ${JSON.stringify(res.json)}`);
		await sleep(1500);
		check((await executionsOfButtons()) === before, 'an execution started');
		check((await alertmanager.silences()).length === silencesBefore, 'a silence was created');
		check((await postById(post.id)).message === 'Forged alert', 'the post changed');
	});

	await scenario('Alerts: Silence 1 h → a silence in Alertmanager (read back from its API) with the alert labels, by the Mattermost user; post says until when', async () => {
		const alertname = `CheckoutLatency${randomBytes(3).toString('hex')}`;
		const post = await fireAlert(`sil${randomBytes(6).toString('hex')}`, alertname);
		const res = await click('pipeline', post, 'silence1h');
		check(res.status === 200, `click answered ${res.status} ${JSON.stringify(res.json)}`);
		const silences = await alertmanager.silences();
		const silence = silences.find((s) => s.matchers.some((m) => m.name === 'alertname' && m.value === alertname));
		check(silence, `no silence for ${alertname} in ${JSON.stringify(silences).slice(0, 300)}`);
		check(silence!.status.state === 'active', `silence is ${silence!.status.state}`);
		check(silence!.createdBy === people.pipeline.username, `createdBy ${silence!.createdBy}`);
		const matchers = Object.fromEntries(silence!.matchers.map((m) => [m.name, m.value]));
		check(matchers.instance === 'db1:9100' && matchers.severity === 'critical', `matchers ${JSON.stringify(silence!.matchers)}`);
		const minutes = (Date.parse(silence!.endsAt) - Date.parse(silence!.startsAt)) / 60_000;
		check(Math.abs(minutes - 60) < 1, `silence lasts ${minutes} min`);
		const after = await postById(post.id);
		check(new RegExp(`:no_bell: Silenced until \\d\\d:\\d\\d by @${people.pipeline.username}$`).test(after.message), `post now: ${after.message}`);
		check(actionsOf(after).length === 0, 'buttons left on the post');
		check((await ephemerals()).some((e) => e.user_id === people.pipeline.mattermostId && e.message.includes(silence!.id)), 'no private note naming the silence');
	});

	await scenario('Interactive: no resume signature in the Mattermost request log, n8n.log, dialog state or execution data; no configured secret in stored posts', async () => {
		const leaks: string[] = [];
		const signature = /[?&]signature=[0-9a-f]{16,}/;
		for (const file of ['mattermost-requests.jsonl', 'n8n.log']) {
			const path = join(outDir, file);
			if (existsSync(path) && signature.test(readFileSync(path, 'utf8'))) leaks.push(`${file} holds a resume signature`);
		}
		const dialogs = await h.mattermost.control<Array<{ dialog: unknown }>>('GET', 'dialogs');
		if (JSON.stringify(dialogs.map((d) => d.dialog)).includes('signature')) leaks.push('dialog state holds a signature');
		for (const kind of Object.keys(ASKS)) {
			const workflowId = h.webhooks.find((w) => w.path === ASKS[kind].path)!.workflowId;
			for (const e of await h.n8n.executions({ workflowId })) {
				if (signature.test(JSON.stringify((await h.n8n.execution(e.id)).data ?? ''))) leaks.push(`execution ${e.id} holds a resume signature`);
			}
		}
		const posts = JSON.stringify(await h.mattermost.posts());
		for (const secret of h.secretValues()) if (posts.includes(secret)) leaks.push('a stored post holds a configured secret');
		check(leaks.length === 0, leaks.join('; '));
	});
}
