/**
 * The bundled workflows as the harness imports them: unchanged apart from binding their credentials (referenced by
 * name only in workflows/*.json) to credentials that point at the stand-ins, plus the channels they name (so the
 * stand-in can be seeded with them) and the webhook paths they register (so the harness can wait for them).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_NAME } from './package';
import { REPO_ROOT } from './toolchain';
import type { World } from './world';

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id?: string | null; name: string } | string>;
	webhookId?: string;
	disabled?: boolean;
	[key: string]: unknown;
}

export interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface LoadedWorkflow {
	/** File name without .json (used for screenshots: workflow-<slug>.png). */
	slug: string;
	file?: string;
	workflow: Workflow;
}

export interface CredentialSpec {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WebhookEndpoint {
	workflowId: string;
	workflowName: string;
	node: string;
	nodeType: string;
	path: string;
	method: string;
}

export const WORKFLOWS_DIR = join(REPO_ROOT, 'workflows');

/** A stable 16-character workflow id (n8n's format) for workflows whose JSON has none. */
export function workflowIdFor(label: string): string {
	return createHash('sha256').update(label).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16);
}

/** The workflow files of a folder as they are on disk: the one place that reads workflows/ (tests check these). */
export function readWorkflowFiles(dir = WORKFLOWS_DIR): Array<{ slug: string; file: string; json: Workflow }> {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ slug: file.replace(/\.json$/, ''), file: join(dir, file), json: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Workflow }));
}

/** The workflows of a folder ready to import into n8n: each with a stable id when its file has none. */
export function loadWorkflows(dir = WORKFLOWS_DIR): LoadedWorkflow[] {
	return readWorkflowFiles(dir).map(({ slug, file, json: workflow }) => {
		if (typeof workflow.id !== 'string' || !/^[A-Za-z0-9]{1,36}$/.test(workflow.id)) workflow.id = workflowIdFor(`bundled:${slug}`);
		return { slug, file, workflow };
	});
}

function credentialRef(value: { id?: string | null; name: string } | string): string {
	return typeof value === 'string' ? value : value.name;
}

/** Which stand-in and secret an `httpHeaderAuth` credential stands for, judged from the node that uses it. */
function headerAuthFor(world: World, node: WorkflowNode): { name: string; value: string } {
	const text = `${node.name} ${String(node.parameters.path ?? '')} ${String(node.parameters.url ?? '')}`.toLowerCase();
	if (node.type === 'n8n-nodes-base.webhook') {
		if (text.includes('grafana') || text.includes('alert')) return { name: 'Authorization', value: `Bearer ${world.secrets.grafanaToken}` };
		return { name: 'X-Gitlab-Token', value: world.secrets.gitlabWebhookToken };
	}
	if (text.includes('grafana')) return { name: 'Authorization', value: `Bearer ${world.secrets.grafanaToken}` };
	return { name: 'X-Redmine-API-Key', value: world.secrets.redmineApiKey };
}

/** The secret a Secure Webhook Trigger expects, from where it looks for it: GitLab's header, the alerts' bearer or Redmine's URL. */
function webhookSecretFor(world: World, node: WorkflowNode): string {
	switch (node.parameters.tokenHeader ?? 'x-gitlab-token') {
		case 'x-gitlab-token':
			return world.secrets.gitlabWebhookToken;
		case 'authorization-bearer':
			return world.secrets.grafanaToken;
		case 'query':
			return world.secrets.redmineWebhookToken;
		default:
			throw new Error(`node "${node.name}" takes its webhook secret in a header the harness has no secret for`);
	}
}

export interface StandinUrls {
	mattermost: string;
	gitlab: string;
	redmine: string;
}

function credentialData(world: World, urls: StandinUrls, type: string, node: WorkflowNode): Record<string, unknown> {
	switch (type) {
		case 'mattermostDevopsApi':
			return { baseUrl: urls.mattermost, accessToken: world.secrets.botToken, allowUnauthorizedCerts: false };
		case 'mattermostApi':
			// n8n's built-in Mattermost credential, for comparison workflows built from n8n-nodes-base only (bench).
			return { baseUrl: urls.mattermost, accessToken: world.secrets.botToken, allowUnauthorizedCerts: false };
		case 'mattermostIncomingWebhookApi':
			return { webhookUrl: `${urls.mattermost}/hooks/${world.secrets.incomingHookId}`, channel: '', username: '', iconUrl: '' };
		case 'mattermostCommandTokenApi':
			return { tokens: world.secrets.commandToken };
		case 'gitlabUserLookupApi':
			return { server: urls.gitlab, accessToken: world.secrets.gitlabApiToken, allowUnauthorizedCerts: false };
		case 'webhookSecretApi':
			return { secret: webhookSecretFor(world, node) };
		case 'mattermostInteractionApi':
			return { secret: world.secrets.interactionSecret };
		case 'httpHeaderAuth':
			return headerAuthFor(world, node);
		case 'httpQueryAuth':
			return { name: 'key', value: world.secrets.redmineApiKey };
		case 'redmineApi':
			return { apiKey: world.secrets.redmineApiKey, url: urls.redmine };
		default:
			throw new Error(
				`node "${node.name}" uses a credential of type ${type}, for which the harness has no stand-in (add it to playground/harness/workflows.ts)`,
			);
	}
}

/**
 * Binds every credential reference to a credential of the same name and type that points at the stand-ins, and
 * returns those credentials for `n8n import:credentials`. Names stay as the workflows give them.
 */
export function bindCredentials(world: World, urls: StandinUrls, workflows: LoadedWorkflow[]): CredentialSpec[] {
	const byKey = new Map<string, CredentialSpec>();
	for (const { workflow } of workflows) {
		for (const node of workflow.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				const name = credentialRef(ref);
				const key = `${type}\u0000${name}`;
				let spec = byKey.get(key);
				if (!spec) {
					spec = { id: workflowIdFor(`credential:${key}`), name, type, data: credentialData(world, urls, type, node) };
					byKey.set(key, spec);
				}
				node.credentials![type] = { id: spec.id, name };
			}
		}
	}
	return [...byKey.values()];
}

/**
 * Replaces URLs the workflows use for services the stand-ins replace (for example a Redmine base URL typed into an
 * HTTP Request node) with the stand-in's URL. Only the scheme+host part is swapped; paths stay.
 */
export function rewriteServiceUrls(workflows: LoadedWorkflow[], replacements: Array<{ pattern: RegExp; url: string }>): void {
	const visit = (value: unknown): unknown => {
		if (typeof value === 'string') {
			let out = value;
			for (const { pattern, url } of replacements) out = out.replace(pattern, url);
			return out;
		}
		if (Array.isArray(value)) return value.map(visit);
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, visit(inner)]));
		}
		return value;
	};
	for (const { workflow } of workflows) {
		for (const node of workflow.nodes) node.parameters = visit(node.parameters) as Record<string, unknown>;
	}
}

interface Assignment {
	name: string;
	value: unknown;
}

/** The literal (non-expression) values of the Set nodes' assignments, where workflows keep their settings. */
function settingsOf(workflow: Workflow): Assignment[] {
	return workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.set')
		.flatMap((node) => ((node.parameters.assignments as { assignments?: Assignment[] } | undefined)?.assignments ?? []))
		.filter((a) => typeof a.value !== 'string' || !a.value.startsWith('='));
}

/**
 * Points the workflows' Redmine URL setting (a Set-node field such as `redmineUrl`) at the Redmine stand-in. This is
 * the one edit besides credentials: the URL is a setting the sticky note asks users to fill in.
 */
export function bindRedmineUrl(workflows: LoadedWorkflow[], redmineUrl: string): void {
	for (const { workflow } of workflows) {
		for (const assignment of settingsOf(workflow)) {
			if (/redmine.*url/i.test(assignment.name) && typeof assignment.value === 'string' && /^https?:\/\//.test(assignment.value)) {
				assignment.value = redmineUrl;
			}
		}
	}
}

/** Redmine project identifiers the workflows create tickets in (a Set-node field such as `projectId`). */
export function redmineProjectsNamed(workflows: LoadedWorkflow[]): string[] {
	return workflows.flatMap(({ workflow }) =>
		settingsOf(workflow)
			.filter((a) => /project/i.test(a.name) && (typeof a.value === 'string' || typeof a.value === 'number'))
			.map((a) => String(a.value)),
	);
}

/**
 * Channels the workflows name, to seed the stand-in with: `team/channel` in a Mattermost node's channel locator (name
 * mode), or `team` + `channel`/`fallbackChannel` fields of a Set node (where the bundled workflows keep settings).
 */
export function channelsNamed(workflows: LoadedWorkflow[]): Array<{ team: string; name: string; id?: string }> {
	const found: Array<{ team: string; name: string; id?: string }> = [];
	for (const { workflow } of workflows) {
		for (const node of workflow.nodes) {
			if (!node.type.startsWith(`${PACKAGE_NAME}.`)) continue;
			const locators = [node.parameters.channel, ...Object.values(node.parameters).filter((v) => isLocator(v))];
			for (const locator of locators) {
				if (!isLocator(locator) || typeof locator.value !== 'string' || locator.value.startsWith('=')) continue;
				if (locator.mode === 'name' && locator.value.includes('/')) {
					const [team, name] = locator.value.split('/');
					found.push({ team, name: name.replace(/^~/, '') });
				}
			}
		}
		const settings = settingsOf(workflow);
		const team = settings.find((a) => a.name === 'team')?.value;
		if (typeof team !== 'string') continue;
		for (const a of settings) {
			if (/channel$/i.test(a.name) && typeof a.value === 'string' && a.value) found.push({ team, name: a.value.replace(/^~/, '') });
		}
	}
	return found;
}

function isLocator(value: unknown): value is { __rl?: boolean; mode: string; value: unknown } {
	return typeof value === 'object' && value !== null && 'mode' in value && 'value' in value;
}

/** The production webhooks a workflow registers, as n8n builds their paths (node-helpers getNodeWebhookPath). */
export function webhookEndpoints(
	workflows: LoadedWorkflow[],
	nodeWebhooks: (nodeType: string) => Array<{ isFullPath?: boolean; httpMethod: string; restartWebhook?: boolean }> | undefined,
): WebhookEndpoint[] {
	const endpoints: WebhookEndpoint[] = [];
	for (const { workflow } of workflows) {
		for (const node of workflow.nodes) {
			if (node.disabled) continue;
			const definitions = nodeWebhooks(node.type);
			if (!definitions) continue;
			const path = String(node.parameters.path ?? '').replace(/^\/+/, '');
			for (const definition of definitions) {
				// Resume URLs of waiting executions (Send and Wait) are not registered webhooks.
				if (definition.restartWebhook) continue;
				let method = definition.httpMethod;
				if (method.includes('httpMethod')) method = String(node.parameters.httpMethod ?? 'GET');
				if (method.startsWith('=')) continue;
				const fullPath = definition.isFullPath ? path : `${node.webhookId}/${path}`;
				const methods = Array.isArray(node.parameters.httpMethod) && node.parameters.multipleMethods ? (node.parameters.httpMethod as string[]) : [method];
				for (const m of methods) {
					endpoints.push({ workflowId: workflow.id, workflowName: workflow.name, node: node.name, nodeType: node.type, path: fullPath, method: m });
				}
			}
		}
	}
	return endpoints;
}
