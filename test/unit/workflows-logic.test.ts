/**
 * The logic of the bundled workflows (their Set, Switch, If and Split Out nodes and every expression) run by n8n-core
 * with n8n-nodes-base 2.40.2's own node classes. The trigger becomes a pass-through fed with a request shaped like the
 * real one, and the nodes that talk to other systems (Mattermost DevOps, HTTP Request) are replaced by stand-ins
 * that keep the real parameter descriptions and return the parameters as n8n resolved them. Sending for real, through
 * a running n8n, is the end-to-end suite's job.
 *
 * n8n-nodes-base comes from `npm install` (a devDependency pinned to the release n8n 2.40.7 ships).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IVersionedNodeType,
} from 'n8n-workflow';

import { GitlabUserLookupApi } from '../../credentials/GitlabUserLookupApi.credentials';
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import { PACKAGE, runWorkflow, type RunOptions } from '../helpers/workflow-execute';
import { findBaseNodeDescription, installedBaseVersion, loadBaseNode, N8N_NODES_BASE_VERSION } from '../helpers/n8n-base-nodes';
import { loadPackageNode, workflowFiles } from '../helpers/workflow-checks';
import { idFor, sample, sampleSeed, startMattermostStandin } from '../../playground/standin/mattermost';
import { startGitlabStandin } from '../../playground/standin/gitlab';

const BASE_CLASSES: Record<string, [file: string, className: string]> = {
	set: ['Set/Set.node.js', 'Set'],
	switch: ['Switch/Switch.node.js', 'Switch'],
	if: ['If/If.node.js', 'If'],
	splitOut: ['Transform/SplitOut/SplitOut.node.js', 'SplitOut'],
	limit: ['Transform/Limit/Limit.node.js', 'Limit'],
	noOp: ['NoOp/NoOp.node.js', 'NoOp'],
};

/** Stands in for a trigger: passes on what the test feeds it, under the trigger's own name. */
class PassThrough implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['transform'],
		version: 1,
		description: 'Passes items on',
		defaults: { name: 'Pass Through' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** A node with a real description whose execute returns, per item, the named parameters as n8n resolves them. */
function recorder(
	description: INodeTypeDescription,
	parameters: string[],
	respond: (resolved: IDataObject) => IDataObject = (resolved) => resolved,
): INodeType {
	return {
		description: { ...description, version: description.version },
		async execute(this: IExecuteFunctions) {
			return [
				this.getInputData().map((_item, itemIndex) => {
					const resolved: IDataObject = {};
					for (const name of parameters) {
						const value = this.getNodeParameter(name, itemIndex, null) as unknown;
						if (value !== null) resolved[name] = (isLocator(value) ? value.value : value) as IDataObject;
					}
					return { json: respond(resolved), pairedItem: { item: itemIndex } };
				}),
			];
		},
	};
}

const isLocator = (value: unknown): value is { value: unknown } =>
	typeof value === 'object' && value !== null && '__rl' in value;

describe('bundled workflow logic in n8n-core with n8n-nodes-base 2.40.2', () => {
	const baseTypes: Record<string, INodeType | IVersionedNodeType> = {};
	let mattermostDescription: INodeTypeDescription;
	let mattermostNode: INodeType;

	beforeAll(async () => {
		for (const [name, [file, className]] of Object.entries(BASE_CLASSES)) {
			baseTypes[`n8n-nodes-base.${name}`] = await loadBaseNode(file, className);
		}
		mattermostNode = (await loadPackageNode('mattermost')) as INodeType;
		mattermostDescription = mattermostNode.description;
	});

	it('runs the n8n-nodes-base release that n8n 2.40.7 ships', () => {
		expect(installedBaseVersion()).toBe(N8N_NODES_BASE_VERSION);
	});

	/** Records what would be sent; Text: Compose, which sends nothing, runs for real. */
	const mattermostRecorder = (): INodeType => {
		const recording = recorder(mattermostDescription, ['resource', 'operation', 'sendTo', 'channel', 'users', 'message', 'threadKey', 'text', 'postId', 'buttonsUi', 'options']);
		return {
			description: mattermostDescription,
			async execute(this: IExecuteFunctions) {
				const compose = this.getNodeParameter('resource', 0) === 'text';
				return await (compose ? mattermostNode : recording).execute!.call(this);
			},
		};
	};

	/**
	 * Runs a workflow from workflows/ with its trigger (the first, or the one named `triggerName`) fed `input`.
	 * `replace` maps node types to stand-ins; every other type must be an n8n-nodes-base class loaded above.
	 */
	async function run(
		file: string,
		input: IDataObject[],
		replace: Record<string, INodeType> = {},
		real: Pick<RunOptions, 'nodeTypes' | 'credentialTypes' | 'credentials'> = { nodeTypes: [] },
		triggerName?: string,
	) {
		const wf = workflowFiles().find((entry) => entry.file === file);
		if (!wf) throw new Error(`workflows/${file} is missing`);
		const nodes = wf.json.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		const targets = new Set(
			Object.values(wf.json.connections).flatMap((byType) => byType.main.flat().map((connection) => connection?.node)),
		);
		const triggers = nodes.filter((node) => !targets.has(node.name));
		const trigger = triggers.find((node) => node.name === (triggerName ?? node.name));
		if (!trigger) throw new Error(`${file} has no trigger ${triggerName ?? ''}`);
		const types: Record<string, INodeType | IVersionedNodeType> = { ...baseTypes, ...replace, 'test.passThrough': new PassThrough() };
		const result = await runWorkflow({
			...real,
			extraNodeTypes: types,
			nodes: nodes.map((node) => ({
				name: node.name,
				type: triggers.includes(node) ? 'test.passThrough' : node.type,
				typeVersion: triggers.includes(node) ? 1 : node.typeVersion,
				parameters: triggers.includes(node) ? {} : structuredClone(node.parameters),
				credentials: triggers.includes(node) ? undefined : (node.credentials as INode['credentials']),
			})),
			connections: { Start: { main: [[{ node: trigger.name, type: 'main', index: 0 }]] }, ...structuredClone(wf.json.connections) },
			input: input.map((json) => ({ json })),
		});
		if (result.error) throw result.error;
		return result;
	}

	it('gitlab-notifications.json DMs the people of a GitLab event in its thread and reports whom it could not reach', async () => {
		const fallbackId = idFor('channel:devops/gitlab-notifications');
		const seed = sampleSeed();
		const jonas = idFor('user:jonas');
		const seoYeon = idFor('user:seo-yeon');
		seed.users.push(
			{ id: jonas, username: 'jonas.vermeer', email: 'jonas@harbor.test' },
			{ id: seoYeon, username: 'seo-yeon.park', email: 'seo-yeon@harbor.test' },
		);
		seed.channels.push({ id: fallbackId, team_id: sample.teamId, name: 'gitlab-notifications', display_name: 'GitLab', type: 'O' });
		seed.members[fallbackId] = [sample.users.notifier];
		const mm = await startMattermostStandin({ seed });
		// The workflow asks GitLab about people its events name only by id; these are the fixture's people.
		const gitlab = await startGitlabStandin({
			seed: {
				users: [
					{ id: 301, username: 'mira.okafor', name: 'Mira Okafor' },
					{ id: 302, username: 'jonas.vermeer', name: 'Jonas Vermeer', public_email: 'jonas@harbor.test' },
					{ id: 303, username: 'seo-yeon.park', name: 'Seo-yeon Park' },
				],
				tokens: { 'glpat-workflow-test': 301 },
			},
		});
		try {
			// Own fixture: Mira opens !57, assigned to Jonas, review by Seo-yeon, mentioning @haruto.ito (not in Mattermost).
			const body = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'gitlab', 'merge_request_open.json'), 'utf8'));
			const headers = { 'x-gitlab-event': 'Merge Request Hook', 'content-type': 'application/json' };
			const result = await run('gitlab-notifications.json', [{ headers, params: {}, query: {}, body }], {}, {
				nodeTypes: await Promise.all(['gitlabEventFormatter', 'recipientResolver', 'mattermost'].map(loadPackageNode)),
				credentialTypes: [new MattermostDevopsApi(), new GitlabUserLookupApi()],
				credentials: {
					mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false },
					gitlabUserLookupApi: { server: gitlab.url, accessToken: 'glpat-workflow-test', allowUnauthorizedCerts: false },
				},
			});
			const dms = result.output('Send Direct Message').map((item) => item.json);
			expect(dms.map((dm) => (dm.sentTo as IDataObject).user)).toEqual(
				expect.arrayContaining([
					{ id: jonas, username: 'jonas.vermeer' },
					{ id: seoYeon, username: 'seo-yeon.park' },
				]),
			);
			expect(dms).toHaveLength(2);
			for (const user of [jonas, seoYeon]) {
				const [post] = mm.postsIn(String(mm.directChannelOf(sample.users.notifier, user)?.id));
				expect(post.message).toContain('!57');
			}
			const [report] = mm.postsIn(fallbackId);
			expect(report.message).toMatch(/^:warning: Could not send this GitLab notification by DM to everyone it concerns:\n- GitLab user @haruto\.ito has no Mattermost account/);
			expect(report.message).toContain('!57');
			expect(result.run.data.resultData.runData['Skipped Events']).toBeUndefined();
		} finally {
			await mm.stop();
			await gitlab.stop();
		}
	});

	describe('ticket-notifications.json', () => {
		const person = (login: string, firstname: string, lastname: string, id: number) => ({
			id,
			login,
			firstname,
			lastname,
			mail: `${login}@tickets.test`,
			icon_url: null,
			identity_url: null,
		});
		const issue = {
			id: 4711,
			subject: 'Export button does nothing',
			description: 'Clicking Export in the report view has no effect.',
			is_private: false,
			project: { id: 2, identifier: 'portal', name: 'Customer Portal', homepage: '', description: '' },
			tracker: { id: 1, name: 'Bug' },
			priority: { id: 3, name: 'High' },
			status: { id: 2, name: 'In Progress' },
			author: person('mvries', 'Marieke', 'de Vries', 11),
			assignee: person('tkato', 'Takumi', 'Kato', 12),
		};
		const hook = (payload: IDataObject) => ({ headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: { payload } });
		const redmine = () => ({ [`${PACKAGE}.mattermost`]: mattermostRecorder() });

		it('announces a new ticket with link, tracker, priority, status, assignee and author as Redmine Bot', async () => {
			const result = await run(
				'ticket-notifications.json',
				[hook({ action: 'opened', issue, url: 'https://tickets.test/issues/4711' })],
				redmine(),
			);
			const [post] = result.output('Post to Tickets Channel').map((item) => item.json);
			expect(post.resource).toBe('incomingWebhook');
			expect(post.text).toBe(
				':new: **New ticket:** [\\#4711 - Export button does nothing](https://tickets.test/issues/4711)\n' +
					'**Project:** Customer Portal · **Tracker:** Bug · **Priority:** High · **Status:** In Progress\n' +
					'**Assignee:** Takumi Kato · **Author:** Marieke de Vries',
			);
			expect(post.options).toEqual({
				channel: 'tickets',
				username: 'Redmine Bot',
				iconUrl: 'https://redmine.example.com/favicon.ico',
			});
		});

		it('shows what an update changed: status, assignee, other fields and the notes', async () => {
			const journal = {
				id: 90,
				notes: 'Reproduced on Firefox too.',
				private_notes: false,
				author: person('tkato', 'Takumi', 'Kato', 12),
				details: [
					{ id: 1, property: 'attr', prop_key: 'status_id', old_value: '1', value: '2' },
					{ id: 2, property: 'attr', prop_key: 'assigned_to_id', old_value: null, value: '12' },
					{ id: 3, property: 'attr', prop_key: 'due_date', old_value: null, value: '2026-12-01' },
				],
			};
			const result = await run(
				'ticket-notifications.json',
				[hook({ action: 'updated', issue, journal, url: 'https://tickets.test/issues/4711' })],
				redmine(),
			);
			expect(result.output('Post to Tickets Channel').map((item) => item.json.text)).toEqual([
				':pencil2: **Ticket updated:** [\\#4711 - Export button does nothing](https://tickets.test/issues/4711) by Takumi Kato\n' +
					'**Status:** In Progress\n**Assignee:** Takumi Kato\n**Also changed:** due date\n\n> Reproduced on Firefox too.',
			]);
		});

		it('never posts private tickets or private notes, and ignores other actions', async () => {
			const privateNote = await run(
				'ticket-notifications.json',
				[
					hook({
						action: 'updated',
						issue: { ...issue, assignee: undefined },
						journal: { notes: 'internal only', private_notes: true, author: person('x', 'X', 'Y', 1), details: [] },
						url: 'https://tickets.test/issues/4711',
					}),
				],
				redmine(),
			);
			expect(privateNote.output('Post to Tickets Channel').map((item) => item.json.text)).toEqual([
				':pencil2: **Ticket updated:** [\\#4711 - Export button does nothing](https://tickets.test/issues/4711) by X Y',
			]);
			for (const payload of [
				{ action: 'opened', issue: { ...issue, is_private: true }, url: 'https://tickets.test/issues/4711' },
				{ action: 'deleted', issue, url: 'https://tickets.test/issues/4711' },
			]) {
				const result = await run('ticket-notifications.json', [hook(payload)], redmine());
				expect(result.run.data.resultData.runData['Post to Tickets Channel']).toBeUndefined();
			}
		});
	});

	describe('grafana-alerts.json', () => {
		const silences: IDataObject[] = [];
		const alertmanager = () => {
			const description = findBaseNodeDescription('n8n-nodes-base.httpRequest', 4.5);
			if (!description) throw new Error('n8n-nodes-base.httpRequest 4.5 not found');
			return recorder(description, ['method', 'url', 'jsonBody'], (request) => {
				silences.push(request);
				return { silenceID: 'f3a0c9e2-silence' };
			});
		};
		const alertsRun = (body: IDataObject) =>
			run('grafana-alerts.json', [{ headers: {}, params: {}, query: {}, body }], {
				[`${PACKAGE}.mattermost`]: mattermostRecorder(),
				'n8n-nodes-base.httpRequest': alertmanager(),
			});
		const click = (item: IDataObject) =>
			run('grafana-alerts.json', [item], { [`${PACKAGE}.mattermost`]: mattermostRecorder(), 'n8n-nodes-base.httpRequest': alertmanager() }, undefined, 'Alert Buttons');
		const clickBy = (action: string, source: string) => ({
			action,
			value: '',
			context: { alert: { alertname: 'DiskFull', instance: 'db1:9100' }, source },
			user: { id: 'u1', username: 'ana' },
			channel_id: 'c1',
			team_id: 't1',
			post_id: 'post1',
			trigger_id: 'tr',
		});

		it('puts Acknowledge and Silence 1 h on firing posts only, signed with the alert labels, going to /webhook/alert-actions', async () => {
			const base = { labels: { alertname: 'DiskFull', instance: 'db1:9100' }, annotations: {}, fingerprint: 'ab12' };
			const result = await alertsRun({ version: '4', status: 'firing', alerts: [{ ...base, status: 'firing' }, { ...base, status: 'resolved' }] });
			const [firing, resolved] = result.output('Post to Alerts Channel').map((item) => item.json.buttonsUi as IDataObject);
			const buttons = firing.button as IDataObject[];
			expect(buttons.map((b) => [b.label, b.actionId, b.url])).toEqual([
				['Acknowledge', 'acknowledge', 'https://n8n.example.com/webhook/alert-actions'],
				['Silence 1 h', 'silence1h', 'https://n8n.example.com/webhook/alert-actions'],
			]);
			expect(JSON.parse(String(buttons[1].context))).toEqual({ alert: { alertname: 'DiskFull', instance: 'db1:9100' }, source: 'alertmanager' });
			expect((resolved.button as IDataObject[]).map((b) => b.label)).toEqual(['', '']);
		});

		it('Acknowledge adds ":eyes: @ana is on it" and keeps the buttons; Mattermost gets a private note', async () => {
			silences.length = 0;
			const result = await click(clickBy('acknowledge', 'alertmanager'));
			const [mark] = result.output('Mark Acknowledged').map((item) => item.json);
			expect(mark).toMatchObject({ operation: 'update', postId: 'post1', options: { appendLine: ':eyes: @ana is on it' } });
			expect((mark.options as IDataObject).removeButtons).toBeUndefined();
			expect(result.output('Answer Acknowledged')[0].json).toEqual({ ephemeral_text: 'You acknowledged DiskFull.' });
			expect(silences).toEqual([]);
		});

		it.each([
			['alertmanager', 'http://alertmanager.example.com:9093/api/v2/silences'],
			['grafana', 'https://grafana.example.com/api/alertmanager/grafana/api/v2/silences'],
		])('Silence 1 h creates a silence from the labels in %s, by the Mattermost username, and marks the post', async (source, url) => {
			silences.length = 0;
			const before = Date.now();
			const result = await click(clickBy('silence1h', source));
			expect(silences).toHaveLength(1);
			const body = silences[0].jsonBody as IDataObject;
			expect(silences[0]).toMatchObject({ method: 'POST', url });
			expect(body).toMatchObject({
				matchers: [
					{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
					{ name: 'instance', value: 'db1:9100', isRegex: false, isEqual: true },
				],
				createdBy: 'ana',
				comment: 'Silenced from Mattermost by @ana',
			});
			const hour = Date.parse(String(body.endsAt)) - Date.parse(String(body.startsAt));
			expect(hour).toBe(3_600_000);
			expect(Date.parse(String(body.startsAt))).toBeGreaterThanOrEqual(before - 1000);
			const [mark] = result.output('Mark Silenced').map((item) => item.json);
			expect(mark).toMatchObject({ postId: 'post1', options: { removeButtons: true, appendLine: expect.stringMatching(/^:no_bell: Silenced until \d\d:\d\d by @ana$/) } });
			expect(result.output('Answer Silenced')[0].json.ephemeral_text).toMatch(/^Silenced until \d\d:\d\d \(silence f3a0c9e2-silence\)\.$/);
		});

		it('posts each Grafana alert to team/alerts: red while firing, green and in the same thread when resolved', async () => {
			const base = {
				labels: { alertname: 'Disk almost full', severity: 'critical', host: 'db-2' },
				annotations: { summary: 'Disk /var at 97%', description: 'Only 3% left on db-2' },
				startsAt: '2026-11-20T08:00:00Z',
				generatorURL: 'https://grafana.test/alerting/abc/view',
				silenceURL: 'https://grafana.test/alerting/silence/new?x=1',
				dashboardURL: 'https://grafana.test/d/disks',
				panelURL: '',
				values: { A: 97.1 },
				fingerprint: '0f1e2d3c4b5a6978',
			};
			const result = await alertsRun({
				status: 'firing',
				alerts: [
					{ ...base, status: 'firing', endsAt: '0001-01-01T00:00:00Z' },
					{ ...base, status: 'resolved', endsAt: '2026-11-20T08:30:00Z', values: {} },
				],
			});
			const posts = result.output('Post to Alerts Channel').map((item) => item.json);
			expect(posts.map((post) => [post.channel, post.threadKey, post.message])).toEqual([
				['devops/alerts', 'alert/0f1e2d3c4b5a6978', ':rotating_light: Firing: **Disk almost full** (severity: critical)'],
				['devops/alerts', 'alert/0f1e2d3c4b5a6978', ':white_check_mark: Resolved: **Disk almost full** (severity: critical)'],
			]);
			const [firing, resolved] = posts.map((post) => (post.options as IDataObject).attachmentsJson as IDataObject[]);
			expect(firing).toEqual([
				{
					fallback: 'firing: Disk almost full',
					color: '#E01E5A',
					title: 'Disk almost full',
					text:
						'Disk /var at 97%\n\nOnly 3% left on db-2\n\n[Source](https://grafana.test/alerting/abc/view) · ' +
						'[Silence](https://grafana.test/alerting/silence/new?x=1) · [Dashboard](https://grafana.test/d/disks)',
					fields: [
						{ short: true, title: 'Status', value: 'firing' },
						{ short: true, title: 'Severity', value: 'critical' },
						{ short: false, title: 'Values', value: 'A = 97.1' },
					],
				},
			]);
			expect(resolved[0]).toMatchObject({ color: '#2EB67D', fields: [{ value: 'resolved' }, { value: 'critical' }] });
			expect((posts[1].options as IDataObject).updateThreadRoot).toBe(true);
		});

		it('posts at most 20 alerts of one request (one body with hundreds of alerts is no flood of posts)', async () => {
			const alerts = Array.from({ length: 120 }, (_, n) => ({ labels: { alertname: `A${n}` }, fingerprint: `f${n}` }));
			const result = await alertsRun({ status: 'firing', alerts });
			const posts = result.output('Post to Alerts Channel').map((item) => item.json);
			expect(posts.map((post) => post.threadKey)).toEqual(alerts.slice(0, 20).map((a) => `alert/${a.fingerprint}`));
			// The rest are not dropped silently: the last post says how many were left out.
			expect(posts[19].message).toContain('_100 more alerts of this notification are not posted here (at most 20 a notification)');
			expect(posts.slice(0, 19).every((post) => !String(post.message).includes('more alerts'))).toBe(true);
		});

		it('reads Alertmanager payloads too (no Grafana links; status from the alert or the group)', async () => {
			const result = await alertsRun({
				version: '4',
				status: 'resolved',
				alerts: [
					{
						labels: { alertname: 'HighLatency', severity: 'warning' },
						annotations: { summary: 'p99 above 2s', runbook_url: 'https://runbooks.test/latency' },
						generatorURL: 'http://prometheus.test/graph?g0.expr=latency',
						fingerprint: 'aa11bb22cc33dd44',
					},
				],
			});
			const [post] = result.output('Post to Alerts Channel').map((item) => item.json);
			expect(post.threadKey).toBe('alert/aa11bb22cc33dd44');
			expect(post.message).toBe(':white_check_mark: Resolved: **HighLatency** (severity: warning)');
			expect(((post.options as IDataObject).attachmentsJson as IDataObject[])[0].text).toBe(
				'p99 above 2s\n\n[Source](http://prometheus.test/graph?g0.expr=latency) · [Runbook](https://runbooks.test/latency)',
			);
		});
	});

	it('daily-standup.json sends the clock to Post, Remind or Summarize, a click to Open Answer Form and a dialog to Save Answer, all with the Settings', async () => {
		const standupRecorder = recorder(mattermostDescription, ['resource', 'operation', 'channel', 'questions', 'opensAt', 'closesAt', 'timeZone', 'workingDays', 'holidays', 'members', 'away', 'buttonUrl', 'triggerId', 'context', 'userId', 'submission']);
		const replace = { [`${PACKAGE}.mattermost`]: standupRecorder };
		const clock = await run('daily-standup.json', [{ timestamp: '2026-11-23T09:00:00+01:00' }], replace, { nodeTypes: [] }, 'Every Minute');
		const [step] = clock.output('Post, Remind or Summarize').map((item) => item.json);
		expect(step).toMatchObject({
			resource: 'standup',
			operation: 'run',
			channel: 'devops/dev',
			questions: 'Yesterday\nToday\nBlockers',
			opensAt: '09:00',
			closesAt: '10:00',
			timeZone: 'Europe/Amsterdam',
			workingDays: 'Mon-Fri',
			members: '',
			buttonUrl: 'https://n8n.example.com/webhook/standup',
		});
		expect(() => clock.output('Open Answer Form')).toThrow(/did not run/);
		const user = { id: 'u'.repeat(26), username: '' };
		const click = { action: 'fillIn', value: '', context: { root: 'r'.repeat(26), date: '2026-11-23' }, user, trigger_id: 'trigger-1', post_id: 'r'.repeat(26) };
		const clicked = await run('daily-standup.json', [click], replace, { nodeTypes: [] }, 'Standup Button');
		expect(clicked.output('Open Answer Form').map((item) => item.json)).toEqual([
			expect.objectContaining({ operation: 'openForm', triggerId: 'trigger-1', context: click.context, userId: user.id, buttonUrl: 'https://n8n.example.com/webhook/standup' }),
		]);
		expect(() => clicked.output('Post, Remind or Summarize')).toThrow(/did not run/);
		const submission = { answer1: 'Reviews', answer2: 'Release', answer3: '' };
		const submitted = await run('daily-standup.json', [{ ...click, action: 'saveAnswer', trigger_id: '', submission }], replace, { nodeTypes: [] }, 'Standup Button');
		expect(submitted.output('Save Answer').map((item) => item.json)).toEqual([expect.objectContaining({ operation: 'saveAnswer', submission, userId: user.id, timeZone: 'Europe/Amsterdam' })]);
		expect(() => submitted.output('Open Answer Form')).toThrow(/did not run/);
	});

	describe('command-handler.json', () => {
		const command = (text: string, kind = 'outgoing_webhook') => {
			const words = text.split(' ').slice(1);
			return {
				kind,
				command: '!ticket',
				args: words,
				argsText: words.join(' '),
				text,
				user: { id: 'u1', name: 'sanne' },
				channel: { id: 'c1', name: 'support' },
				team: { id: 't1', domain: 'devops' },
				post_id: 'p1',
				root_id: '',
				response_url: '',
				trigger_id: '',
				raw: {},
			};
		};
		const httpDescription = () => {
			const description = findBaseNodeDescription('n8n-nodes-base.httpRequest', 4.5);
			if (!description) throw new Error('n8n-nodes-base.httpRequest 4.5 not found');
			return description;
		};
		/** HTTP Request stand-in answering like Redmine, recording what was asked. */
		const redmine = (requests: IDataObject[]) => ({
			[`${PACKAGE}.mattermost`]: mattermostRecorder(),
			'n8n-nodes-base.httpRequest': recorder(httpDescription(), ['method', 'url', 'jsonBody'], (request) => {
				requests.push(request);
				if (request.url === 'https://redmine.example.com/issues/4711.json') {
					return {
						statusCode: 200,
						body: {
							issue: {
								id: 4711,
								subject: 'Export button does nothing',
								project: { name: 'Customer Portal' },
								tracker: { name: 'Bug' },
								status: { name: 'New' },
								priority: { name: 'High' },
								author: { name: 'Marieke de Vries' },
								description: 'Clicking Export has no effect.',
							},
						},
					};
				}
				if (request.method === 'POST') {
					const subject = ((request.jsonBody as IDataObject).issue as IDataObject).subject;
					return subject === 'fail'
						? { statusCode: 422, body: { errors: ["Subject can't be blank"] } }
						: { statusCode: 201, body: { issue: { id: 5000, subject } } };
				}
				return { statusCode: 404, body: {} };
			}),
		});
		const reply = async (text: string, kind?: string) => {
			const requests: IDataObject[] = [];
			const result = await run('command-handler.json', [command(text, kind)], redmine(requests));
			// "Respond: When Last Node Finishes" answers with the first item of the node that ran last.
			const last = result.run.data.resultData.lastNodeExecuted;
			return { last, answer: result.output(String(last))[0].json, requests };
		};

		it('!ticket <id> shows the ticket as a thread reply', async () => {
			const { last, answer, requests } = await reply('!ticket #4711');
			expect(last).toBe('Reply in Thread');
			expect(requests).toEqual([{ method: 'GET', url: 'https://redmine.example.com/issues/4711.json' }]);
			expect(answer).toEqual({
				text:
					'**[\\#4711 - Export button does nothing](https://redmine.example.com/issues/4711)**\n' +
					'**Project:** Customer Portal · **Tracker:** Bug · **Status:** New · **Priority:** High\n' +
					'**Assignee:** nobody · **Author:** Marieke de Vries\n\n> Clicking Export has no effect.',
				response_type: 'comment',
			});
		});

		it('!ticket <id> of a ticket Redmine does not show says so', async () => {
			const { answer } = await reply('!ticket 99');
			expect(answer.text).toBe('Ticket #99 was not found, or the Redmine API key may not see it (HTTP 404).');
		});

		it('!ticket new <subject> creates the ticket in the configured project and links it', async () => {
			const { answer, requests } = await reply('!ticket NEW Login page shows an @channel error');
			expect(requests).toEqual([
				{
					method: 'POST',
					url: 'https://redmine.example.com/issues.json',
					jsonBody: {
						issue: {
							project_id: 'my-project',
							subject: 'Login page shows an @channel error',
							description: 'Created from Mattermost by @sanne in ~support',
						},
					},
				},
			]);
			// Echoed text must not notify the whole channel.
			expect(answer.text).toBe(
				'Created [\\#5000 - Login page shows an @\u200bchannel error](https://redmine.example.com/issues/5000)',
			);
			const failed = await reply('!ticket new fail');
			expect(failed.answer.text).toBe("Could not create the ticket: Subject can't be blank");
		});

		it('help, a bare "new" and anything else answer with the usage; slash commands answer only the caller', async () => {
			for (const text of ['!ticket help', '!ticket', '!ticket new', '!ticket what?']) {
				const { answer, requests } = await reply(text);
				expect(requests).toEqual([]);
				expect(answer.text).toMatch(/^\*\*Usage\*\*\n- `!ticket <number>`/);
				expect(answer.response_type).toBe('comment');
			}
			expect((await reply('/ticket help', 'slash_command')).answer.response_type).toBe('ephemeral');
		});
	});
});
