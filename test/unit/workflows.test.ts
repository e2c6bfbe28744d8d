/**
 * The bundled workflows in workflows/ against what n8n 2.40.7 will load: the structure its importer validates, node
 * types and parameter names from this package's node classes and n8n-nodes-base 2.40.2's descriptions, connections,
 * credentials by name, and the rules every bundled workflow follows (no Code nodes, a setup note, quick webhooks).
 * Running them inside real n8n is the end-to-end suite's job.
 */
import {
	executeFilterCondition,
	LoggerProxy,
	NodeHelpers,
	safeParseWorkflowStructure,
	type FilterConditionValue,
	type FilterOptionsValue,
	type FilterValue,
	type INode,
	type INodeTypeDescription,
	type Workflow,
} from 'n8n-workflow';

import { PACKAGE } from '../helpers/workflow-execute';
import {
	buildWorkflow,
	checkParameters,
	countInputs,
	countOutputs,
	DescriptionRegistry,
	expressionSnippets,
	loadPackageNode,
	workflowFiles,
	PACKAGE_NODES,
	parameterStrings,
	type WorkflowFile,
} from '../helpers/workflow-checks';

const workflows = workflowFiles();
const byFile = (file: string) => {
	const found = workflows.find((wf) => wf.file === file);
	if (!found) throw new Error(`workflows/${file} is missing`);
	return found.json;
};
const nodeNamed = (file: string, name: string) => {
	const found = byFile(file).nodes.find((node) => node.name === name);
	if (!found) throw new Error(`${file} has no node "${name}"`);
	return found;
};
const targetsOf = (file: string, source: string, output: number) =>
	(byFile(file).connections[source]?.main?.[output] ?? []).map((connection) => connection.node);

const BASE_NODES_ALLOWED = [
	'webhook',
	'set',
	'switch',
	'if',
	'splitOut',
	'limit',
	'respondToWebhook',
	'httpRequest',
	'scheduleTrigger',
	'stickyNote',
	'noOp',
].map((name) => `n8n-nodes-base.${name}`);
const PACKAGE_TYPES = Object.keys(PACKAGE_NODES).map((name) => `${PACKAGE}.${name}`);
const FORBIDDEN = ['code', 'function', 'functionItem', 'executeCommand', 'ssh'].map((name) => `n8n-nodes-base.${name}`);
const STICKY = 'n8n-nodes-base.stickyNote';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Package node types each workflow uses; a workflow's node checks fail while one of them has not landed. */
const packageTypesOf = (wf: WorkflowFile) =>
	[...new Set(wf.json.nodes.map((node) => node.type).filter((type) => type.startsWith(`${PACKAGE}.`)))];

const loaded: Record<string, Awaited<ReturnType<typeof loadPackageNode>>> = {};
const loadErrors: Record<string, string> = {};
let registry: DescriptionRegistry;

beforeAll(async () => {
	for (const name of Object.keys(PACKAGE_NODES)) {
		try {
			loaded[name] = await loadPackageNode(name);
		} catch (error) {
			loadErrors[name] = (error as Error).message;
		}
	}
	registry = new DescriptionRegistry(loaded);
});

function requireDescription(node: INode): INodeTypeDescription {
	const packageName = node.type.startsWith(`${PACKAGE}.`) ? node.type.slice(PACKAGE.length + 1) : undefined;
	if (packageName && loadErrors[packageName]) throw new Error(`node "${node.name}": ${loadErrors[packageName]}`);
	const description = registry.find(node.type, node.typeVersion);
	if (!description) throw new Error(`node "${node.name}": no ${node.type} with typeVersion ${node.typeVersion}`);
	return description;
}

function workflowOf(wf: WorkflowFile): Workflow {
	for (const node of wf.json.nodes) requireDescription(node);
	return buildWorkflow(wf, registry);
}

it('workflows/ holds the five bundled workflows', () => {
	expect(workflows.map((wf) => wf.file)).toEqual([
		'command-handler.json',
		'daily-standup.json',
		'gitlab-notifications.json',
		'grafana-alerts.json',
		'ticket-notifications.json',
	]);
});

it('no two workflows listen on the same webhook path, so all can be published together', () => {
	const paths = workflows.flatMap((wf) =>
		wf.json.nodes.filter((node) => typeof node.parameters.path === 'string').map((node) => node.parameters.path),
	);
	expect(new Set(paths).size).toBe(paths.length);
});

describe.each(workflows.map((wf) => [wf.file, wf] as const))('%s', (_file, wf) => {
	const { json } = wf;
	const workNodes = json.nodes.filter((node) => node.type !== STICKY);

	it('passes the structure check n8n import runs', () => {
		const result = safeParseWorkflowStructure(json);
		expect(result.success ? [] : result.issues).toEqual([]);
	});

	it('is an export without instance data: inactive, no ids of an n8n instance, no pinned data, v1 order', () => {
		expect(typeof json.name).toBe('string');
		expect(json.name.length).toBeGreaterThan(0);
		expect(json.active).toBe(false);
		expect(json.tags).toEqual([]);
		expect(json.settings?.executionOrder).toBe('v1');
		for (const key of ['id', 'versionId', 'shared', 'homeProject', 'staticData', 'meta']) expect(json).not.toHaveProperty(key);
		expect(Object.keys((json.pinData as object | undefined) ?? {})).toEqual([]);
	});

	it('has unique node names and ids, positions, and names that say what each node does', () => {
		const names = json.nodes.map((node) => node.name);
		const ids = json.nodes.map((node) => node.id);
		expect(new Set(names).size).toBe(names.length);
		expect(new Set(ids).size).toBe(ids.length);
		for (const node of json.nodes) {
			expect(node.id).toMatch(UUID);
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
			expect(typeof node.typeVersion).toBe('number');
			// Copies n8n names after an existing node ("Switch1", "Set2") say nothing about the node's job.
			expect(node.name).not.toMatch(/[a-z]\d+$/i);
		}
	});

	it('uses only the allowed built-in nodes and this package\'s nodes, never Code/Function nodes', () => {
		for (const node of json.nodes) {
			expect(FORBIDDEN).not.toContain(node.type);
			expect([...BASE_NODES_ALLOWED, ...PACKAGE_TYPES]).toContain(node.type);
		}
	});

	it.each(packageTypesOf(wf).map((type) => [type]))('this package provides %s', (type) => {
		const name = type.slice(PACKAGE.length + 1);
		expect(loadErrors[name]).toBeUndefined();
	});

	it('every node type exists at its typeVersion (this package, or n8n-nodes-base 2.40.2)', () => {
		for (const node of json.nodes) {
			const description = requireDescription(node);
			expect(node.name).not.toBe(description.defaults.name);
			expect(node.name).not.toBe(description.displayName);
		}
	});

	it('every parameter exists in its node\'s description and is shown for the node\'s settings', () => {
		const problems = json.nodes.flatMap((node) => {
			try {
				return checkParameters(node, requireDescription(node)).map((problem) => `${node.name}: ${problem}`);
			} catch (error) {
				return [(error as Error).message];
			}
		});
		expect(problems).toEqual([]);
	});

	it('filter conditions (If, Switch) use operators n8n knows', () => {
		const unknown: string[] = [];
		LoggerProxy.init({
			error: () => {},
			info: () => {},
			debug: () => {},
			warn: (message: string) => unknown.push(message),
		} as unknown as Parameters<typeof LoggerProxy.init>[0]);
		const sample: Record<string, unknown> = { string: 'x', number: 1, boolean: true, array: [], object: {} };
		const filters = json.nodes.flatMap((node) => [
			...(node.parameters.conditions ? [node.parameters.conditions as unknown as FilterValue] : []),
			...(((node.parameters.rules as { values?: Array<{ conditions: FilterValue }> } | undefined)?.values ?? []).map(
				(rule) => rule.conditions,
			)),
		]);
		for (const filter of filters) {
			expect(['and', 'or']).toContain(filter.combinator);
			for (const condition of filter.conditions) {
				const value = sample[condition.operator.type];
				expect(value).toBeDefined();
				const probe = { ...condition, leftValue: value, rightValue: value } as FilterConditionValue;
				executeFilterCondition(probe, filter.options as FilterOptionsValue);
			}
		}
		expect(unknown).toEqual([]);
	});

	it('connections go from existing outputs to existing inputs', () => {
		const workflow = workflowOf(wf);
		const problems: string[] = [];
		for (const [source, byType] of Object.entries(json.connections)) {
			const sourceNode = workflow.getNode(source);
			if (!sourceNode) {
				problems.push(`connection from unknown node "${source}"`);
				continue;
			}
			expect(Object.keys(byType)).toEqual(['main']);
			const outputs = countOutputs(workflow, sourceNode, requireDescription(sourceNode));
			byType.main.forEach((targets, outputIndex) => {
				if (outputIndex >= outputs && (targets ?? []).length > 0) {
					problems.push(`"${source}" has ${outputs} output(s), connection uses output ${outputIndex}`);
				}
				for (const target of targets ?? []) {
					const targetNode = workflow.getNode(target.node);
					if (!targetNode) {
						problems.push(`"${source}" connects to unknown node "${target.node}"`);
						continue;
					}
					const inputs = countInputs(workflow, targetNode, requireDescription(targetNode));
					if (target.type !== 'main' || target.index >= inputs) {
						problems.push(`"${source}" → "${target.node}" input ${target.index} (${target.type}) does not exist`);
					}
				}
			});
		}
		expect(problems).toEqual([]);
	});

	it('has a trigger, and every other node is reached from one (the alerts workflow also receives its buttons)', () => {
		const workflow = workflowOf(wf);
		const triggers = workNodes.filter((node) => requireDescription(node).group.includes('trigger'));
		expect(triggers.length).toBeGreaterThanOrEqual(1);
		const reached = new Set(triggers.flatMap((trigger) => [trigger.name, ...workflow.getChildNodes(trigger.name)]));
		expect(workNodes.map((node) => node.name).filter((name) => !reached.has(name))).toEqual([]);
	});

	it('expressions are valid JavaScript and $(…) refers to a node that runs before', () => {
		const workflow = workflowOf(wf);
		const problems: string[] = [];
		for (const node of workNodes) {
			const before = new Set(workflow.getParentNodes(node.name));
			for (const { path, value } of parameterStrings(node.parameters)) {
				for (const { code, closed } of expressionSnippets(value)) {
					if (!closed) problems.push(`${node.name}.${path}: unclosed {{`);
					try {
						new Function(`return (${code});`);
					} catch (error) {
						problems.push(`${node.name}.${path}: ${(error as Error).message} in {{${code}}}`);
					}
					for (const [, referenced] of code.matchAll(/\$\(\s*'([^']+)'\s*\)/g)) {
						if (!before.has(referenced)) problems.push(`${node.name}.${path}: $('${referenced}') does not run before it`);
					}
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('references credentials by name only, of the types the nodes use, and holds no secrets', () => {
		const problems: string[] = [];
		for (const node of workNodes) {
			const description = requireDescription(node);
			const active = [...(NodeHelpers.getActiveCredentialTypes(node, description) ?? [])];
			for (const [type, reference] of Object.entries(node.credentials ?? {})) {
				expect(reference).toEqual({ id: null, name: expect.stringMatching(/\S/) });
				if (!active.includes(type)) problems.push(`${node.name}: credential ${type} is not used with these settings`);
			}
			const required = (description.credentials ?? [])
				.filter((credential) => credential.required && NodeHelpers.displayParameter(node.parameters, credential, node, description))
				.map((credential) => credential.name);
			if (node.parameters.authentication === 'genericCredentialType') required.push(String(node.parameters.genericAuthType));
			for (const type of required) {
				if (!node.credentials?.[type]) problems.push(`${node.name}: needs a ${type} credential`);
			}
		}
		expect(problems).toEqual([]);
		const text = JSON.stringify(json);
		expect(text).not.toMatch(/glpat-|Bearer [A-Za-z0-9._-]{12,}|"(password|token|secret|apiKey|accessToken)"\s*:\s*"[^"=]/i);
	});

	it('has a sticky note that says what to configure', () => {
		const notes = json.nodes.filter((node) => node.type === STICKY).map((node) => String(node.parameters.content));
		expect(notes.length).toBeGreaterThan(0);
		const text = notes.join('\n');
		expect(text).toMatch(/credential/i);
		for (const node of workNodes) {
			for (const credential of Object.values(node.credentials ?? {})) {
				expect(text).toContain((credential as { name: string }).name);
			}
			if (typeof node.parameters.path === 'string') expect(text).toContain(`/webhook/${node.parameters.path}`);
		}
		if (json.nodes.some((node) => node.name === 'Settings')) expect(text).toContain('Settings');
	});

	it('webhooks answer before the work starts (a quick answer for GitLab\'s 10 s limit) and keep a stable webhookId', () => {
		for (const node of workNodes) {
			const description = requireDescription(node);
			// Restart webhooks (Send and Wait's resume URL) are routed by node id, not registered under a webhookId.
			if (!description.webhooks?.some((w) => !w.restartWebhook)) continue;
			expect(node.webhookId).toMatch(UUID);
			const mode = node.parameters.responseMode ?? 'onReceived';
			if (node.type === 'n8n-nodes-base.webhook') expect(mode).toBe('onReceived');
			// The Secure Webhook Trigger always answers before the workflow runs.
			if (node.type === `${PACKAGE}.secureWebhookTrigger`) expect(description.webhooks.map((w) => w.responseMode)).toEqual(['onReceived']);
		}
	});
});

describe('what each workflow does', () => {
	it('gitlab-notifications: formatter → resolver → DMs; unresolved → fallback channel; skipped → nothing sent', () => {
		const file = 'gitlab-notifications.json';
		const webhook = nodeNamed(file, 'GitLab Webhook');
		expect(webhook.type).toBe(`${PACKAGE}.secureWebhookTrigger`);
		// The default secret header is X-Gitlab-Token.
		expect(webhook.parameters).toEqual({ path: 'gitlab' });
		expect(webhook.credentials).toEqual({ webhookSecretApi: { id: null, name: 'GitLab Webhook Token' } });
		expect(targetsOf(file, 'Format GitLab Event', 0)).toEqual(['Find Mattermost Users']);
		const skipped = targetsOf(file, 'Format GitLab Event', 1).map((name) => nodeNamed(file, name).type);
		expect(skipped.every((type) => type === 'n8n-nodes-base.noOp')).toBe(true);
		const [dm] = targetsOf(file, 'Find Mattermost Users', 0).map((name) => nodeNamed(file, name));
		expect(dm.type).toBe(`${PACKAGE}.mattermost`);
		// The resolver's items carry the message and the recipient: no expression to edit (or for n8n to evaluate) per DM.
		expect(dm.parameters).toEqual({ resource: 'message', operation: 'send', sendTo: 'direct', messageSource: 'input', options: {} });
		// One event reaches at most 20 people; the people it could not reach (not the actor, people who muted it or
		// bots: nobody missed those) come as one item per event, reported in one post unless the event is confidential.
		expect(nodeNamed(file, 'Find Mattermost Users').parameters.options).toEqual({ recipientLimit: 20, unresolvedOutput: 'perEvent' });
		expect(targetsOf(file, 'Find Mattermost Users', 1)).toEqual(['Worth Reporting?']);
		const excluded = (nodeNamed(file, 'Worth Reporting?').parameters.conditions as unknown as FilterValue).conditions.map(
			(condition) => [condition.leftValue, condition.operator.operation],
		);
		expect(excluded).toEqual([['={{ $json.event.confidential === true }}', 'false']]);
		const [fallback] = targetsOf(file, 'Worth Reporting?', 0).map((name) => nodeNamed(file, name));
		expect(targetsOf(file, 'Worth Reporting?', 1)).toEqual([]);
		expect(fallback.parameters).toMatchObject({ sendTo: 'channel', channel: { mode: 'name' } });
		expect(String(fallback.parameters.message)).toContain('$json.detail');
	});

	it('ticket-notifications: opened and updated Redmine tickets go to #tickets as "Redmine Bot" by incoming webhook', () => {
		const file = 'ticket-notifications.json';
		const post = nodeNamed(file, 'Post to Tickets Channel');
		expect(post.parameters).toMatchObject({ resource: 'incomingWebhook', operation: 'send' });
		const settings = JSON.stringify(nodeNamed(file, 'Settings').parameters);
		for (const value of ['"tickets"', '"Redmine Bot"']) expect(settings).toContain(value);
		const rules = JSON.stringify(nodeNamed(file, 'New or Updated?').parameters);
		for (const action of ['"opened"', '"updated"']) expect(rules).toContain(action);
		expect(JSON.stringify(nodeNamed(file, 'New Ticket Message').parameters)).toContain('New ticket:');
	});

	it('grafana-alerts: one post per alert in team/alerts, threaded by fingerprint, red firing and green resolved', () => {
		const file = 'grafana-alerts.json';
		const webhook = nodeNamed(file, 'Alert Webhook');
		expect(webhook.type).toBe(`${PACKAGE}.secureWebhookTrigger`);
		expect(webhook.parameters).toEqual({ path: 'alerts', tokenHeader: 'authorization-bearer' });
		expect(webhook.credentials).toEqual({ webhookSecretApi: { id: null, name: 'Alert Webhook Token' } });
		expect(nodeNamed(file, 'One Item per Alert').parameters.fieldToSplitOut).toBe('body.alerts');
		expect(JSON.stringify(byFile(file))).toContain('=alert/{{ $json.fingerprint }}');
		const post = nodeNamed(file, 'Post to Alerts Channel');
		expect(post.parameters).toMatchObject({ sendTo: 'channel', channel: { mode: 'name' }, threadKey: '={{ $json.threadKey }}' });
		expect(JSON.stringify(nodeNamed(file, 'Settings').parameters)).toContain('"alerts"');
	});

	it('daily-standup: a clock every minute and the standup button into one Settings node; the standup operations; no Code nodes', () => {
		const file = 'daily-standup.json';
		const wf = byFile(file);
		expect(wf.nodes.filter((node) => /\.(code|function|functionItem)$/.test(node.type))).toEqual([]);
		expect(wf.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')?.parameters.rule).toEqual({ interval: [{ field: 'minutes', minutesInterval: 1 }] });
		expect(nodeNamed(file, 'Standup Button')).toMatchObject({ type: `${PACKAGE}.mattermostInteractionTrigger`, parameters: { path: 'standup', responseMode: 'lastNode' } });
		expect(targetsOf(file, 'Every Minute', 0)).toEqual(['Settings']);
		expect(targetsOf(file, 'Standup Button', 0)).toEqual(['Settings']);
		const settings = Object.fromEntries(
			(nodeNamed(file, 'Settings').parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments.map((a) => [a.name, a.value]),
		);
		expect(settings).toMatchObject({ team: 'devops', channel: 'dev', questions: 'Yesterday\nToday\nBlockers', opensAt: '09:00', closesAt: '10:00', workingDays: 'Mon-Fri', members: '', away: '' });
		expect(Intl.supportedValuesOf('timeZone')).toContain(settings.timeZone);
		expect(['Post, Remind or Summarize', 'Open Answer Form', 'Save Answer'].map((name) => nodeNamed(file, name).parameters.operation)).toEqual(['run', 'openForm', 'saveAnswer']);
		expect(targetsOf(file, 'What Happened?', 0)).toEqual(['Post, Remind or Summarize']);
		expect(targetsOf(file, 'What Happened?', 1)).toEqual(['Open Answer Form']);
		expect(targetsOf(file, 'What Happened?', 2)).toEqual(['Save Answer']);
		const note = String(nodeNamed(file, 'Setup').parameters.content);
		expect(note).toContain('**Mattermost Bot** (Mattermost DevOps API)');
		expect(note).toContain('**Standup Buttons Secret** (Mattermost Interaction API)');
	});

	it('command-handler: !ticket at /webhook/mattermost-ticket, show/new/help, answer as a thread reply', () => {
		const file = 'command-handler.json';
		const trigger = nodeNamed(file, '!ticket Command');
		expect(trigger.parameters).toMatchObject({ path: 'mattermost-ticket', responseMode: 'lastNode', acceptedCommands: '!ticket' });
		expect(targetsOf(file, 'Which Command?', 0)).toEqual(['Get Redmine Ticket']);
		expect(targetsOf(file, 'Which Command?', 1)).toEqual(['Create Redmine Ticket']);
		expect(targetsOf(file, 'Which Command?', 2)).toEqual(['Usage Text']);
		expect(nodeNamed(file, 'Get Redmine Ticket').parameters.url).toMatch(/\/issues\/\{\{.*\}\}\.json$/);
		expect(nodeNamed(file, 'Create Redmine Ticket').parameters).toMatchObject({ method: 'POST', url: expect.stringMatching(/\/issues\.json$/) });
		// In "last node" mode the answer is the last node's first item, so every branch must end in the reply node.
		const leaves = byFile(file)
			.nodes.filter((node) => node.type !== STICKY && !byFile(file).connections[node.name])
			.map((node) => node.name);
		expect(leaves).toEqual(['Reply in Thread']);
		expect(JSON.stringify(nodeNamed(file, 'Reply in Thread').parameters)).toContain("'comment'");
	});
});
