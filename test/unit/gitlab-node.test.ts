import type { IDataObject, INodeExecutionData, INodeParameters, INodeProperties } from 'n8n-workflow';
import { hashKey } from '../../nodes/core/state';
import { DEFAULT_RULES } from '../../nodes/core/gitlab';
import { GitlabEventFormatter } from '../../nodes/GitlabEventFormatter/GitlabEventFormatter.node';
import { PACKAGE, runWorkflow } from '../helpers/workflow-execute';
import { fixture } from './gitlab-helpers';

/** What n8n's Webhook node emits for a GitLab delivery. */
function delivery(name: string, headers: Record<string, string> = {}, mutate?: (payload: any) => void): INodeExecutionData {
	const body = fixture(name);
	mutate?.(body);
	return {
		json: {
			headers: { host: 'n8n.harbor.test', 'content-type': 'application/json', 'x-gitlab-event': 'Merge Request Hook', ...headers },
			params: {},
			query: {},
			body,
		},
	};
}

function run(name: string, input: INodeExecutionData[], parameters: INodeParameters = {}, staticData?: IDataObject, extra: IDataObject = {}) {
	return runWorkflow({
		nodeTypes: [new GitlabEventFormatter()],
		nodes: [{ name, type: `${PACKAGE}.gitlabEventFormatter`, parameters, ...extra }],
		connections: { Start: { main: [[{ node: name, type: 'main', index: 0 }]] } },
		input,
		staticData,
	});
}

describe('GitLab Event Formatter node in a workflow', () => {
	it('Webhook-shaped items in; Notify and Skipped out, each paired with its input item', async () => {
		const result = await run('Formatter basic', [
			delivery('merge_request_open'),
			delivery('pipeline_running', { 'x-gitlab-event': 'Pipeline Hook' }),
			{ json: { headers: {}, query: {}, body: null } },
			delivery('note_issue', { 'x-gitlab-event': 'Note Hook' }),
		]);
		expect(result.error).toBeUndefined();
		const notify = result.output('Formatter basic', 0);
		const skipped = result.output('Formatter basic', 1);
		expect(notify.map((i) => [(i.json.event as IDataObject).kind, i.pairedItem])).toEqual([
			['merge_request', { item: 0 }],
			['note', { item: 3 }],
		]);
		expect(Object.keys(notify[0].json)).toEqual(['event', 'recipients', 'message']);
		expect(notify[0].json.message).toMatchObject({ threadKey: 'gitlab/4821/merge_request/57' });
		expect(skipped.map((i) => [i.json.skip, i.pairedItem])).toEqual([
			['filtered: pipeline running', { item: 1 }],
			['malformed: body missing', { item: 2 }],
		]);
	});

	it('language, layout, rules and templates come from the node parameters', async () => {
		const result = await run('Formatter options', [delivery('pipeline_success', { 'x-gitlab-event': 'Pipeline Hook' })], {
			language: 'nl',
			layout: 'attachment',
			rules: { pipelineStatuses: ['failed', 'success'], skipActions: 'merge_request:approval, note:update' },
			templates: { template: [{ kind: 'pipeline', action: 'success', template: 'Groen: {pipeline} ({duration})' }] },
		});
		const [item] = result.output('Formatter options', 0);
		const message = item.json.message as IDataObject;
		expect(message.text).toBe('Groen: [\\#66121](https://gitlab.harbor.test/harbor/tidewatch/-/pipelines/66121) (5m 5s)');
		expect((message.attachments as IDataObject[])[0]).toMatchObject({ color: '#1aaa55' });
	});

	it('an unknown placeholder stops the node with an error naming it', async () => {
		const result = await run('Formatter bad template', [delivery('merge_request_open')], {
			templates: { template: [{ kind: 'merge_request', action: 'open', template: 'Hi {assignee}' }] },
		});
		expect(result.error?.message).toContain('Unknown placeholder {assignee} in the template for merge_request/open');
	});

	it('with Continue On Fail, an item whose template is bad becomes a Skipped error item; the others go on', async () => {
		const input = [delivery('merge_request_open'), delivery('merge_request_close')];
		input[1].json.tpl = 'Closed {nope}';
		input[0].json.tpl = 'Opened {target}';
		const result = await run(
			'Formatter continue',
			input,
			{ templates: { template: [{ kind: 'merge_request', action: '*', template: '={{ $json.tpl }}' }] } },
			undefined,
			{ continueOnFail: true },
		);
		expect(result.output('Formatter continue', 0).map((i) => (i.json.message as IDataObject).text)).toEqual([
			'Opened [\\!57 Smooth tide gauge spikes before storage](https://gitlab.harbor.test/harbor/tidewatch/-/merge_requests/57)',
		]);
		const [failed] = result.output('Formatter continue', 1);
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.json.skip).toContain('error: Unknown placeholder {nope}');
	});

	it('draft memory is carried in static data between executions', async () => {
		let staticData: IDataObject = {};
		const first = await run('Formatter drafts', [delivery('merge_request_open_draft')], {}, staticData);
		expect(first.output('Formatter drafts', 1)[0].json.skip).toBe('draft');
		// n8n saves static data as JSON after a production execution and loads it for the next one.
		staticData = JSON.parse(JSON.stringify(first.staticData));
		const ready = await run('Formatter drafts', [delivery('merge_request_update_ready')], {}, staticData);
		expect((ready.output('Formatter drafts', 0)[0].json.event as IDataObject).action).toBe('ready');
		staticData = JSON.parse(JSON.stringify(ready.staticData));
		expect(Object.keys(staticData)).toEqual(['node:Formatter drafts']);
		// One flat string per book, keys hashed: "ready announced" for MR 57 of project 4821 is in it.
		const books = (staticData['node:Formatter drafts'] as IDataObject).state as Record<string, string>;
		expect(Object.keys(books)).toEqual(['gitlabObjects']);
		expect(books.gitlabObjects).toContain(hashKey('ready:4821:57'));
		const again = await run('Formatter drafts', [delivery('merge_request_update_ready', {}, (p) => (p.object_attributes.updated_at = '2026-03-09 08:00:00 UTC'))], {}, staticData);
		expect(again.output('Formatter drafts', 1)[0].json.skip).toBe('draft: ready for review was already announced');
	});

	it('a repeated delivery (same Idempotency-Key) in a later execution is Skipped as duplicate', async () => {
		const headers = { 'Idempotency-Key': '6f1d2c3b-0000-4000-8000-000000000001' };
		const first = await run('Formatter dedupe', [delivery('merge_request_open', headers)], {}, {});
		expect(first.output('Formatter dedupe', 0)).toHaveLength(1);
		const second = await run('Formatter dedupe', [delivery('merge_request_open', headers)], {}, JSON.parse(JSON.stringify(first.staticData)));
		expect(second.output('Formatter dedupe', 1)[0].json.skip).toBe('duplicate');
	});

	it('three identical deliveries in three executions started together give one Notify', async () => {
		const headers = { 'Idempotency-Key': '6f1d2c3b-0000-4000-8000-000000000002' };
		// Each execution starts from its own copy of static data, as concurrent production executions do.
		const runs = await Promise.all([1, 2, 3].map(() => run('Formatter concurrent', [delivery('merge_request_open', headers)], {}, {})));
		const notified = runs.flatMap((r) => r.output('Formatter concurrent', 0));
		const skipped = runs.flatMap((r) => r.output('Formatter concurrent', 1));
		expect(notified).toHaveLength(1);
		expect(skipped.map((i) => i.json.skip)).toEqual(['duplicate', 'duplicate']);
	});

	it('offers every rule with the core default', () => {
		const rules = new GitlabEventFormatter().description.properties.find((p) => p.name === 'rules');
		const defaults = Object.fromEntries(((rules?.options ?? []) as INodeProperties[]).map((o) => [o.name, o.default]));
		expect(defaults).toEqual({ ...DEFAULT_RULES, skipActions: '' });
	});

	it('says plainly that its memory persists only for published executions', () => {
		const { description } = new GitlabEventFormatter();
		expect(description.description).toContain('published executions');
		expect(description.properties[0]).toMatchObject({ type: 'notice' });
		expect(description.properties[0].displayName).toContain('only for published (production) executions');
		expect(description.outputNames).toEqual(['Notify', 'Skipped']);
	});
});
