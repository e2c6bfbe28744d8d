/**
 * One real n8n 2.40.7 instance: its user folder (SQLite), CLI calls (always under a timeout), `n8n start` as a tracked
 * child with its log in a file, readiness checks, and the internal REST API after logging in as the owner.
 */
import bcrypt from 'bcryptjs';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort, sleep, waitFor } from './ports';
import { openLog, runCommand, spawnTracked, stopProcess, type RunResult } from './processes';
import { pathWithNode, type Toolchain } from './toolchain';

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface N8nOptions {
	toolchain: Toolchain;
	/** N8N_USER_FOLDER: n8n keeps everything in <userFolder>/.n8n. */
	userFolder: string;
	/** 0 or undefined: a free port. */
	port?: number;
	brokerPort?: number;
	encryptionKey?: string;
	owner: Owner;
	/** n8n's stdout and stderr (CLI calls too) are appended here. */
	logFile: string;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** Host name in the URLs n8n shows (webhook URLs in the editor). Default 127.0.0.1. */
	publicHost?: string;
	env?: Record<string, string>;
}

export interface WorkflowSummary {
	id: string;
	name: string;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

export interface WebhookProbe {
	path: string;
	method?: string;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly logFile: string;
	readonly owner: Owner;
	port = 0;
	brokerPort = 0;
	private child: ChildProcess | undefined;
	private log: WriteStream;
	private cookie = '';
	private readonly browserId = `harness-${randomBytes(6).toString('hex')}`;
	readonly encryptionKey: string;
	restarts = 0;

	constructor(private readonly options: N8nOptions) {
		this.userFolder = options.userFolder;
		this.logFile = options.logFile;
		this.owner = options.owner;
		this.encryptionKey = options.encryptionKey ?? randomBytes(24).toString('hex');
		mkdirSync(join(this.userFolder, '.n8n'), { recursive: true });
		mkdirSync(dirname(this.logFile), { recursive: true });
		this.log = openLog(this.logFile);
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get pid(): number | undefined {
		return this.child?.exitCode === null ? this.child.pid : undefined;
	}

	get running(): boolean {
		return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
	}

	webhookUrl(path: string): string {
		return `${this.baseUrl}/webhook/${path.replace(/^\/+/, '')}`;
	}

	private async ensurePorts(): Promise<void> {
		if (!this.port) this.port = this.options.port || (await freePort());
		if (!this.brokerPort) {
			this.brokerPort = this.options.brokerPort || (await freePort());
			while (this.brokerPort === this.port) this.brokerPort = await freePort();
		}
	}

	env(): NodeJS.ProcessEnv {
		const { toolchain, owner } = this.options;
		// The bcrypt hash makes n8n create (or update) the owner at start-up.
		this.ownerHash ??= bcrypt.hashSync(owner.password, 10);
		const host = this.options.publicHost ?? '127.0.0.1';
		return {
			...process.env,
			PATH: pathWithNode(toolchain),
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: host,
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://${host}:${this.port}/`,
			N8N_WEBHOOK_URL: `http://${host}:${this.port}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: this.options.logLevel ?? 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: owner.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: this.ownerHash,
			N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			// The package loads from the user folder; nothing should be fetched from npm.
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			...this.options.env,
		};
	}

	private ownerHash: string | undefined;

	/** Runs `n8n <args>` against this user folder under a timeout; output goes to the log file. */
	async cli(args: string[], timeoutMs = 120_000): Promise<RunResult> {
		await this.ensurePorts();
		const { toolchain } = this.options;
		this.log.write(`\n=== n8n ${args.join(' ')} (${new Date().toISOString()})\n`);
		return await runCommand(toolchain.node, [toolchain.n8nBin, ...args], {
			env: this.env(),
			cwd: this.userFolder,
			timeoutMs,
			logTo: this.log,
			label: `n8n ${args.join(' ')}`,
		});
	}

	/** `n8n import:credentials` of `{id, name, type, data}` objects (data in clear; n8n encrypts it). */
	async importCredentials(credentials: Array<{ id: string; name: string; type: string; data: object }>): Promise<void> {
		const file = join(this.userFolder, 'import-credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	/** `n8n import:workflow` of one workflow object (n8n keeps the given id and sets it unpublished). */
	async importWorkflow(workflow: { id: string; name: string }): Promise<void> {
		const file = join(this.userFolder, `import-workflow-${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow, null, 2));
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/** `n8n import:workflow --separate` of many workflows in one CLI start (each CLI start costs seconds). */
	async importWorkflows(workflows: Array<{ id: string; name: string }>): Promise<void> {
		const dir = join(this.userFolder, 'import-workflows');
		mkdirSync(dir, { recursive: true });
		for (const workflow of workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/** `n8n publish:workflow` (takes effect at the next `start`). */
	async publishWorkflow(id: string): Promise<void> {
		await this.cli(['publish:workflow', `--id=${id}`]);
	}

	async unpublishWorkflow(id: string): Promise<void> {
		await this.cli(['unpublish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n start`, then waits for /healthz/readiness and, because n8n is ready before it has registered the published
	 * workflows' webhooks, for every webhook in `webhooks`.
	 */
	async start(options: { webhooks?: WebhookProbe[]; timeoutMs?: number } = {}): Promise<void> {
		if (this.running) throw new Error('n8n is already running');
		await this.ensurePorts();
		const { toolchain } = this.options;
		this.log.write(`\n=== n8n start on port ${this.port} (${new Date().toISOString()})\n`);
		const child = spawnTracked(toolchain.node, [toolchain.n8nBin, 'start'], {
			env: this.env(),
			cwd: this.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout?.pipe(this.log, { end: false });
		child.stderr?.pipe(this.log, { end: false });
		this.child = child;
		this.cookie = '';
		const exited = new Promise<never>((_resolve, reject) =>
			child.once('exit', (code, signal) =>
				reject(new Error(`n8n exited during start-up (${code ?? signal}); see ${this.logFile}`)),
			),
		);
		exited.catch(() => undefined);
		const timeoutMs = options.timeoutMs ?? 180_000;
		await Promise.race([
			(async () => {
				// Until /healthz/readiness says ok, n8n answers every other request, webhooks included, with 200 "n8n is
				// starting up. Please wait" and runs nothing.
				await waitFor('n8n /healthz/readiness', async () => ((await this.fetch('/healthz/readiness')).ok ? true : undefined), timeoutMs, 300);
				for (const webhook of options.webhooks ?? []) await this.waitForWebhook(webhook, timeoutMs);
			})(),
			exited,
		]);
	}

	/** Stops n8n: SIGTERM (graceful, lets running executions finish) or SIGKILL (a crash). */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		if (!this.child) return;
		this.log.write(`\n=== n8n stop with ${signal} (${new Date().toISOString()})\n`);
		await stopProcess(this.child, signal, 30_000);
		this.child = undefined;
	}

	async kill(): Promise<void> {
		await this.stop('SIGKILL');
	}

	async restart(options: { signal?: NodeJS.Signals; webhooks?: WebhookProbe[] } = {}): Promise<void> {
		await this.stop(options.signal ?? 'SIGTERM');
		this.restarts++;
		await this.start({ webhooks: options.webhooks });
	}

	/** Closes the log file; call after the last stop. */
	async close(): Promise<void> {
		await this.stop();
		await new Promise<void>((resolve) => this.log.end(resolve));
	}

	/**
	 * True once `path` is registered. n8n answers /healthz, and even CORS preflights, before it has registered the
	 * webhooks, and an early POST gets Express's bare 404. A GET is answered by the webhook layer: "Did you mean to make
	 * a POST request?" once a POST webhook is there, or the trigger's own answer (e.g. 401) for paths that take GET.
	 * Early in start-up a GET gets 200 "n8n is starting up", which is no answer from a trigger.
	 */
	async isWebhookRegistered(probe: WebhookProbe): Promise<boolean> {
		const response = await this.fetch(`/webhook/${probe.path.replace(/^\/+/, '')}`, { method: 'GET' });
		const text = await response.text();
		const registered =
			/Did you mean to make a POST request/i.test(text) ||
			response.status === 401 ||
			(response.status >= 200 && response.status < 300 && !/n8n is starting up/i.test(text));
		if (registered) this.log.write(`\n=== webhook ${probe.path} is registered: GET answered ${response.status} ${text.slice(0, 80)}\n`);
		return registered;
	}

	async waitForWebhook(probe: WebhookProbe, timeoutMs = 60_000): Promise<void> {
		// Every miss makes n8n log a stack trace, so poll gently.
		await waitFor(`webhook ${probe.method ?? 'POST'} /webhook/${probe.path}`, async () => ((await this.isWebhookRegistered(probe)) ? true : undefined), timeoutMs, 1000);
	}

	async fetch(path: string, init: RequestInit = {}): Promise<Response> {
		return await fetch(`${this.baseUrl}${path}`, { ...init, signal: init.signal ?? AbortSignal.timeout(30_000) });
	}

	async login(): Promise<void> {
		const response = await this.fetch('/rest/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': this.browserId },
			body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, password: this.owner.password }),
		});
		if (!response.ok) throw new Error(`n8n login as ${this.owner.email} failed: HTTP ${response.status} ${await response.text()}`);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('n8n login returned no n8n-auth cookie');
		this.cookie = cookie.split(';')[0];
	}

	/** The internal REST API (`/rest/...`) as the owner; returns the `data` member of n8n's envelope. */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		if (!this.cookie) await this.login();
		const response = await this.fetch(`/rest${path}`, {
			method,
			headers: { cookie: this.cookie, 'browser-id': this.browserId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
		const parsed = JSON.parse(text) as { data?: T };
		return (parsed.data ?? parsed) as T;
	}

	/** A GET as the logged-in owner outside /rest (e.g. /types/nodes.json). */
	async authedGet<T = unknown>(path: string): Promise<T> {
		if (!this.cookie) await this.login();
		const response = await this.fetch(path, { headers: { cookie: this.cookie, 'browser-id': this.browserId } });
		if (!response.ok) throw new Error(`n8n GET ${path}: HTTP ${response.status}`);
		return (await response.json()) as T;
	}

	/** Node type descriptions n8n loaded (what the editor gets), e.g. to check this package's nodes are there. */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; icon?: unknown; iconUrl?: unknown; version: number | number[] }>> {
		return await this.authedGet('/types/nodes.json');
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return await this.authedGet('/types/credentials.json');
	}

	async workflows(): Promise<WorkflowSummary[]> {
		const data = await this.rest<WorkflowSummary[] | { results?: WorkflowSummary[] }>('GET', '/workflows');
		return Array.isArray(data) ? data : (data.results ?? []);
	}

	/** Executions, newest first (`workflowId` narrows them), all of them or the newest `limit`. */
	async executions(filter: { workflowId?: string; status?: string[] } = {}, limit = Infinity): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		// n8n serves at most 100 per page. Both bounds go on every page, the first one included: without them n8n
		// lists the newest by start time, and paging on from that page's lowest id skips executions created late but
		// started early, or never started (the ones a crash leaves behind), which a retry after a crash must find.
		// PostgreSQL's execution ids are 32-bit integers: a larger bound is a query error there (queue mode).
		let lastId = String(2 ** 31 - 1);
		while (all.length < limit) {
			const size = Math.min(100, limit - all.length);
			const query = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(size), firstId: '0', lastId });
			const page = (await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions?${query}`)).results;
			all.push(...page);
			if (page.length < size) break;
			lastId = String(Math.min(...page.map((e) => Number(e.id))));
		}
		return all;
	}

	/** One execution with its run data decoded (n8n stores it in the `flatted` format). */
	async execution(id: string): Promise<ExecutionSummary & { data?: unknown }> {
		const execution = await this.rest<ExecutionSummary & { data?: unknown }>('GET', `/executions/${id}`);
		if (typeof execution.data === 'string') {
			const n8nRequire = createRequire(join(this.options.toolchain.n8nDir, 'node_modules', 'n8n', 'package.json'));
			const flatted = n8nRequire('flatted') as { parse(text: string): unknown };
			execution.data = flatted.parse(execution.data);
		}
		return execution;
	}

	/** Resident memory of n8n and its children (task runner), in kB, from /proc. */
	rssKb(): number {
		const root = this.pid;
		if (root === undefined) return 0;
		let total = 0;
		const pending = [root];
		while (pending.length) {
			const pid = pending.pop()!;
			try {
				const status = readFileSync(`/proc/${pid}/status`, 'utf8');
				total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
				const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
				if (children) pending.push(...children.split(/\s+/).map(Number));
			} catch {
				// process ended meanwhile
			}
		}
		return total;
	}
}

export { sleep };
