/**
 * The end-to-end harness: this package, packed and installed into a real n8n 2.40.7 the way n8n's installer does,
 * with the bundled workflows imported and published, credentials pointing at stand-ins for Mattermost, GitLab (users
 * API) and Redmine, all on loopback. Used by `npm run test:e2e`, `npm start`/`npm run demo`, the reliability suite and
 * the benchmarks.
 *
 *     const h = await startHarness({ outputDir: 'e2e-output' });
 *     await h.send('gitlab', { json: payload, headers: { 'X-Gitlab-Event': 'Merge Request Hook', 'X-Gitlab-Token': h.world.secrets.gitlabWebhookToken } });
 *     const posts = await h.mattermost.posts();
 *     await h.n8n.restart({ signal: 'SIGKILL' });
 *     await h.stop();
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N8nInstance, type Owner, type WebhookProbe } from './n8n-process';
import { buildPackage, installTarball, packPackage, PACKAGE_NAME, type InstallReport } from './package';
import { killAllNow } from './processes';
import { StandinProcess, startStandinProcess } from './standins';
import { ensureToolchain, REPO_ROOT, type Toolchain } from './toolchain';
import {
	bindCredentials,
	bindRedmineUrl,
	channelsNamed,
	redmineProjectsNamed,
	loadWorkflows,
	webhookEndpoints,
	type CredentialSpec,
	type LoadedWorkflow,
	type StandinUrls,
	type WebhookEndpoint,
} from './workflows';
import { addChannels, makeWorld, type World } from './world';
import type { Post } from '../standin/mattermost/state';

export { N8nInstance, type ExecutionSummary, type Owner } from './n8n-process';
export type { World, Person } from './world';
export type { LoadedWorkflow, Workflow, WorkflowNode, WebhookEndpoint, CredentialSpec } from './workflows';
export { loadWorkflows, workflowIdFor } from './workflows';
export { sleep, waitFor, freePort } from './ports';
export { ensureToolchain, ensureChromium, REPO_ROOT } from './toolchain';

export interface HarnessOptions {
	/** Artifacts: n8n.log, mattermost-requests.jsonl, stand-in request logs. */
	outputDir: string;
	/** n8n user folder; default a fresh temporary folder (removed by stop() unless keepUserFolder). */
	userFolder?: string;
	keepUserFolder?: boolean;
	/** Port for n8n; default a free one. */
	port?: number;
	/** Port for the Mattermost stand-in; default a free one. */
	mattermostPort?: number;
	/** Extra CLI options for the Mattermost stand-in (e.g. ['--demo']). */
	mattermostArgs?: string[];
	/** Host name n8n puts into the URLs it shows. Default 127.0.0.1. */
	publicHost?: string;
	owner?: Owner;
	world?: World;
	/** Workflows to import; default every file in workflows/. */
	workflows?: LoadedWorkflow[];
	/** More workflows (their credentials are bound like the bundled ones), e.g. a fast standup copy. */
	extraWorkflows?: LoadedWorkflow[];
	/** Which workflows to publish; default all. */
	publish?: (workflow: LoadedWorkflow) => boolean;
	/** 'full' (default): `npm run build`; 'bundle': esbuild only, no type check; 'skip': use dist/ as it is. */
	build?: 'full' | 'bundle' | 'skip';
	/** Drop n8n-section entries whose file the build did not produce (while nodes are still being written). */
	pruneMissing?: boolean;
	n8nEnv?: Record<string, string>;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** Progress lines; default to stderr. */
	log?: (line: string) => void;
}

export interface SendOptions {
	method?: string;
	/** JSON body (content-type application/json). */
	json?: unknown;
	/** Form body (application/x-www-form-urlencoded), as Mattermost sends outgoing webhooks and slash commands. */
	form?: Record<string, string>;
	/** Raw body. */
	body?: string;
	headers?: Record<string, string>;
	timeoutMs?: number;
}

export interface SendResult {
	status: number;
	text: string;
	json: unknown;
	headers: Headers;
	ms: number;
}

/** The Mattermost stand-in over its control API. */
export class MattermostControl extends StandinProcess {
	async posts(channelId?: string): Promise<Post[]> {
		return await this.control<Post[]>('GET', channelId ? `posts?channel_id=${encodeURIComponent(channelId)}` : 'posts');
	}

	/** The DM channel id between two users, if it was opened. */
	async directChannel(userA: string, userB: string): Promise<string | undefined> {
		const channel = await this.control<{ id: string } | null>('GET', `direct-channel?users=${userA},${userB}`);
		return channel?.id;
	}

	/** Posts in the DM between the bot and `userId`. */
	async dmsTo(botId: string, userId: string): Promise<Post[]> {
		const channelId = await this.directChannel(botId, userId);
		return channelId ? await this.posts(channelId) : [];
	}

	async setFaults(faults: Record<string, unknown> | null): Promise<{ faultsInjected: Record<string, number> }> {
		return await this.control('POST', 'faults', faults ?? {});
	}

	async faults(): Promise<{ faultsInjected: Record<string, number>; active: unknown }> {
		return await this.control('GET', 'faults');
	}

	async seed(more: unknown): Promise<void> {
		await this.control('POST', 'seed', more);
	}

	/** Changes server settings (PostPriority, RestrictDirectMessage, …) until the next reset. */
	async setSettings(more: Record<string, unknown>): Promise<void> {
		await this.control('POST', 'settings', more);
	}

	/** Deletes a post (and, for a root, its replies) as a user or a retention policy would. */
	async deletePost(postId: string): Promise<void> {
		await this.control('POST', 'delete-post', { post_id: postId });
	}
}

export interface Harness {
	toolchain: Toolchain;
	n8n: N8nInstance;
	mattermost: MattermostControl;
	gitlab: StandinProcess;
	redmine: StandinProcess;
	world: World;
	workflows: LoadedWorkflow[];
	credentials: CredentialSpec[];
	webhooks: WebhookEndpoint[];
	install: InstallReport;
	outputDir: string;
	/** POST (or `method`) to n8n's production webhook `path`. */
	send(path: string, options?: SendOptions): Promise<SendResult>;
	/** Every secret configured anywhere, for "no secret leaks" greps. */
	secretValues(): string[];
	/** Restarts n8n and waits until every webhook is registered again. */
	restartN8n(signal?: NodeJS.Signals): Promise<void>;
	stop(): Promise<void>;
}

const DEFAULT_OWNER: Owner = { email: 'owner@example.test', password: 'E2e-owner-1', firstName: 'E2E', lastName: 'Owner' };

/** The webhook descriptions (path, method, isFullPath) of this package's trigger nodes, read from the build. */
function nodeWebhooksFrom(installDir: string): (nodeType: string) => Array<{ isFullPath?: boolean; httpMethod: string; restartWebhook?: boolean }> | undefined {
	const known: Record<string, Array<{ isFullPath?: boolean; httpMethod: string; restartWebhook?: boolean }>> = {
		'n8n-nodes-base.webhook': [{ isFullPath: true, httpMethod: 'httpMethod' }],
	};
	return (nodeType) => {
		if (known[nodeType]) return known[nodeType];
		if (!nodeType.startsWith(`${PACKAGE_NAME}.`)) return undefined;
		const name = nodeType.slice(PACKAGE_NAME.length + 1);
		const className = name.charAt(0).toUpperCase() + name.slice(1);
		// The installed copy is the same build as REPO_ROOT/dist; load from the repository so n8n-workflow resolves.
		const file = join(REPO_ROOT, 'dist', 'nodes', className, `${className}.node.js`);
		if (!existsSync(join(installDir, 'dist', 'nodes', className, `${className}.node.js`)) || !existsSync(file)) return undefined;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(file) as Record<string, new () => { description: { webhooks?: Array<{ isFullPath?: boolean; httpMethod: string; restartWebhook?: boolean }> } }>;
		const NodeClass = mod[className];
		const webhooks = NodeClass ? new NodeClass().description.webhooks : undefined;
		known[nodeType] = webhooks ?? [];
		return webhooks;
	};
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
	const log = options.log ?? ((line: string) => process.stderr.write(`[harness] ${line}\n`));
	const outputDir = options.outputDir;
	mkdirSync(outputDir, { recursive: true });
	// Each run's stand-in logs describe that run only (the stand-ins append, and the suites grep them for secrets).
	for (const log of ['mattermost-requests.jsonl', 'gitlab-requests.jsonl', 'redmine-requests.jsonl']) rmSync(join(outputDir, log), { force: true });
	const temporaryUserFolder = !options.userFolder;
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'mmdevops-n8n-'));
	mkdirSync(userFolder, { recursive: true });
	const started: Array<{ stop(): Promise<void> }> = [];
	let n8n: N8nInstance | undefined;

	const stopAll = async () => {
		await n8n?.close().catch(() => undefined);
		for (const s of started.reverse()) await s.stop().catch(() => undefined);
		if (temporaryUserFolder && !options.keepUserFolder) rmSync(userFolder, { recursive: true, force: true });
	};

	try {
		const t0 = Date.now();
		const toolchain = await ensureToolchain();
		log(`node ${toolchain.node}, n8n in ${toolchain.n8nDir}`);
		if (options.build !== 'skip') await buildPackage(toolchain, options.build ?? 'full');
		const tarball = await packPackage(toolchain);
		const install = await installTarball(toolchain, tarball, userFolder, { pruneMissing: options.pruneMissing });
		rmSync(join(tarball, '..'), { recursive: true, force: true });
		if (install.missing.length) {
			const what = `package.json lists files the build did not produce: ${install.missing.join(', ')}`;
			if (!options.pruneMissing) throw new Error(what);
			log(`WARNING ${what} (left out of the installed copy)`);
		}
		log(`installed ${PACKAGE_NAME} into ${install.dir}`);

		const world = options.world ?? makeWorld();
		const workflows = [...(options.workflows ?? loadWorkflows()), ...(options.extraWorkflows ?? [])];
		addChannels(world, channelsNamed(workflows));
		for (const identifier of redmineProjectsNamed(workflows)) {
			if (!world.redmineSeed.projects.some((p) => p.identifier === identifier)) {
				const id = Math.max(0, ...world.redmineSeed.projects.map((p) => p.id)) + 1;
				world.redmineSeed.projects.push({ id, identifier, name: identifier });
			}
		}

		const common = { toolchain, workDir: userFolder };
		const mattermost = await startStandinProcess(
			{
			...common,
			script: 'main.ts',
			label: 'mattermost',
			seed: world.mattermostSeed,
			port: options.mattermostPort,
			args: [
				'--log',
				join(outputDir, 'mattermost-requests.jsonl'),
				// The bundled Redmine workflow names its webhook posts: a server set up as the README says.
				'--settings',
				JSON.stringify({ EnablePostUsernameOverride: true, EnablePostIconOverride: true }),
				...(options.mattermostArgs ?? []),
			],
			},
			MattermostControl,
		);
		started.push(mattermost);
		const gitlab = await startStandinProcess({
			...common,
			script: 'gitlab-main.ts',
			label: 'gitlab',
			seed: world.gitlabSeed,
			args: ['--log', join(outputDir, 'gitlab-requests.jsonl')],
		});
		started.push(gitlab);
		const redmine = await startStandinProcess({
			...common,
			script: 'redmine-main.ts',
			label: 'redmine',
			seed: world.redmineSeed,
			args: ['--log', join(outputDir, 'redmine-requests.jsonl')],
		});
		started.push(redmine);
		const urls: StandinUrls = { mattermost: mattermost.url, gitlab: gitlab.url, redmine: redmine.url };
		log(`stand-ins: mattermost ${urls.mattermost}, gitlab ${urls.gitlab}, redmine ${urls.redmine}`);

		bindRedmineUrl(workflows, urls.redmine);
		const credentials = bindCredentials(world, urls, workflows);
		n8n = new N8nInstance({
			toolchain,
			userFolder,
			port: options.port,
			owner: options.owner ?? DEFAULT_OWNER,
			logFile: join(outputDir, 'n8n.log'),
			logLevel: options.logLevel,
			publicHost: options.publicHost,
			env: options.n8nEnv,
		});
		if (credentials.length) await n8n.importCredentials(credentials);
		if (workflows.length) await n8n.importWorkflows(workflows.map((w) => w.workflow));
		const toPublish = workflows.filter((w) => (options.publish ? options.publish(w) : true));
		for (const w of toPublish) await n8n.publishWorkflow(w.workflow.id);
		log(`imported ${credentials.length} credential(s) and ${workflows.length} workflow(s), published ${toPublish.length}`);

		const webhooks = webhookEndpoints(toPublish, nodeWebhooksFrom(install.dir));
		const probes = uniqueProbes(webhooks);
		await n8n.start({ webhooks: probes });
		log(`n8n ${n8n.baseUrl} ready with ${probes.length} webhook path(s) after ${((Date.now() - t0) / 1000).toFixed(0)} s`);

		const instance = n8n;
		const harness: Harness = {
			toolchain,
			n8n: instance,
			mattermost,
			gitlab,
			redmine,
			world,
			workflows,
			credentials,
			webhooks,
			install,
			outputDir,
			send: async (path, sendOptions = {}) => await send(instance.webhookUrl(path), sendOptions),
			secretValues: () => [...Object.values(world.secrets), instance.encryptionKey, instance.owner.password],
			restartN8n: async (signal = 'SIGTERM') => await instance.restart({ signal, webhooks: probes }),
			stop: stopAll,
		};
		return harness;
	} catch (error) {
		await stopAll();
		throw error;
	}
}

function uniqueProbes(webhooks: WebhookEndpoint[]): WebhookProbe[] {
	const seen = new Map<string, WebhookProbe>();
	for (const webhook of webhooks) if (!seen.has(webhook.path)) seen.set(webhook.path, { path: webhook.path, method: webhook.method });
	return [...seen.values()];
}

export async function send(url: string, options: SendOptions = {}): Promise<SendResult> {
	const headers: Record<string, string> = { ...options.headers };
	let body: string | undefined = options.body;
	if (options.json !== undefined) {
		body = JSON.stringify(options.json);
		headers['content-type'] ??= 'application/json';
	} else if (options.form) {
		body = new URLSearchParams(options.form).toString();
		headers['content-type'] ??= 'application/x-www-form-urlencoded';
	}
	const started = performance.now();
	const response = await fetch(url, {
		method: options.method ?? 'POST',
		headers,
		body,
		signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
	});
	const text = await response.text();
	const ms = performance.now() - started;
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, text, json, headers: response.headers, ms };
}

/** A random owner password for long-lived local instances. */
export function generatePassword(): string {
	// n8n requires 8+ characters with a number and a capital letter.
	return `Mm-${randomBytes(9).toString('base64url')}7A`;
}

export function writeJson(file: string, value: unknown): void {
	writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

export { killAllNow };
