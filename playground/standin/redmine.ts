/**
 * A small Redmine REST API stand-in for the `!ticket` command workflow: show an issue, create one, list issues.
 * Authentication as in Redmine: the API key in the `X-Redmine-API-Key` header, the `key` query parameter, or as the
 * Basic-auth user name. Every request is recorded (the key redacted); `/__standin/*` is the control API for tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface RedmineRef {
	id: number;
	name: string;
}

export interface RedmineIssue {
	id: number;
	project: RedmineRef;
	tracker: RedmineRef;
	status: RedmineRef;
	priority: RedmineRef;
	author: RedmineRef;
	assigned_to?: RedmineRef;
	subject: string;
	description: string;
	done_ratio: number;
	created_on: string;
	updated_on: string;
}

export interface RedmineProject {
	id: number;
	identifier: string;
	name: string;
}

export interface RedmineSeed {
	/** Keys accepted for authentication. */
	apiKeys: string[];
	projects: RedmineProject[];
	issues: RedmineIssue[];
	/** The user new issues are authored by. */
	apiUser?: RedmineRef;
}

export interface RedmineRecordedRequest {
	at: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	status: number;
	responseBody: unknown;
}

export interface RedmineStandin {
	url: string;
	requests: RedmineRecordedRequest[];
	issues(): RedmineIssue[];
	seed(more: Partial<RedmineSeed>): void;
	reset(): void;
	stop(): Promise<void>;
}

const SECRET_HEADERS = new Set(['x-redmine-api-key', 'authorization', 'cookie']);
const TRACKERS: Record<number, string> = { 1: 'Bug', 2: 'Feature', 3: 'Support' };
const PRIORITIES: Record<number, string> = { 1: 'Low', 2: 'Normal', 3: 'High', 4: 'Urgent', 5: 'Immediate' };

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function apiKeyOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
	const header = req.headers['x-redmine-api-key'];
	if (typeof header === 'string' && header) return header;
	const key = query.get('key');
	if (key) return key;
	const auth = req.headers.authorization;
	if (auth?.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0];
	return undefined;
}

export async function startRedmineStandin(options: { port?: number; seed?: Partial<RedmineSeed>; logFile?: string } = {}): Promise<RedmineStandin> {
	const initial: RedmineSeed = { apiKeys: [], projects: [], issues: [], ...structuredClone(options.seed ?? {}) };
	let state: RedmineSeed = structuredClone(initial);
	const requests: RedmineRecordedRequest[] = [];
	const logFile = options.logFile ?? process.env.REDMINE_STANDIN_LOG;

	const nextIssueId = () => state.issues.reduce((max, issue) => Math.max(max, issue.id), 0) + 1;
	const findProject = (ref: unknown) =>
		state.projects.find((p) => String(p.id) === String(ref) || p.identifier === String(ref));

	function handleApi(method: string, path: string, query: URLSearchParams, body: unknown, key: string | undefined): [number, unknown] {
		if (!key || !state.apiKeys.includes(key)) return [401, ''];
		const issueMatch = /^\/issues\/(\d+)\.json$/.exec(path);
		if (issueMatch && method === 'GET') {
			const issue = state.issues.find((i) => i.id === Number(issueMatch[1]));
			return issue ? [200, { issue }] : [404, ''];
		}
		if (path === '/issues.json' && method === 'GET') {
			const limit = Math.min(Number(query.get('limit') ?? 25) || 25, 100);
			const offset = Number(query.get('offset') ?? 0) || 0;
			const all = [...state.issues].sort((a, b) => b.id - a.id);
			return [200, { issues: all.slice(offset, offset + limit), total_count: all.length, offset, limit }];
		}
		if (path === '/issues.json' && method === 'POST') {
			const input = (body as { issue?: Record<string, unknown> } | undefined)?.issue;
			if (!input || typeof input !== 'object') return [422, { errors: ['issue is missing'] }];
			const errors: string[] = [];
			const project = findProject(input.project_id);
			if (!project) errors.push('Project cannot be blank');
			const subject = typeof input.subject === 'string' ? input.subject.trim() : '';
			if (!subject) errors.push('Subject cannot be blank');
			if (errors.length || !project) return [422, { errors }];
			const trackerId = Number(input.tracker_id ?? 1);
			const priorityId = Number(input.priority_id ?? 2);
			const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
			const issue: RedmineIssue = {
				id: nextIssueId(),
				project: { id: project.id, name: project.name },
				tracker: { id: trackerId, name: TRACKERS[trackerId] ?? 'Bug' },
				status: { id: 1, name: 'New' },
				priority: { id: priorityId, name: PRIORITIES[priorityId] ?? 'Normal' },
				author: state.apiUser ?? { id: 1, name: 'API User' },
				subject,
				description: typeof input.description === 'string' ? input.description : '',
				done_ratio: 0,
				created_on: now,
				updated_on: now,
			};
			state.issues.push(issue);
			return [201, { issue }];
		}
		return [404, ''];
	}

	function send(res: ServerResponse, status: number, body: unknown): void {
		if (body === '' || body === undefined) {
			res.writeHead(status, { 'content-length': '0' });
			res.end();
			return;
		}
		const text = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	}

	const server: Server = createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://standin');
			const method = req.method ?? 'GET';
			const raw = await readBody(req);
			if (url.pathname.startsWith('/__standin/')) {
				const control = url.pathname.slice('/__standin/'.length);
				if (control === 'requests' && method === 'GET') return send(res, 200, requests);
				if (control === 'issues' && method === 'GET') return send(res, 200, state.issues);
				if (control === 'reset' && method === 'POST') {
					standin.reset();
					return send(res, 200, { ok: true });
				}
				if (control === 'seed' && method === 'POST') {
					standin.seed(JSON.parse(raw || '{}') as Partial<RedmineSeed>);
					return send(res, 200, { ok: true });
				}
				return send(res, 404, { error: `unknown control endpoint ${method} ${url.pathname}` });
			}
			let body: unknown = raw;
			let result: [number, unknown] | undefined;
			if (raw && (req.headers['content-type'] ?? '').includes('json')) {
				try {
					body = JSON.parse(raw);
				} catch {
					result = [400, { errors: ['invalid JSON body'] }];
				}
			}
			const [status, responseBody] = result ?? handleApi(method, url.pathname, url.searchParams, body, apiKeyOf(req, url.searchParams));
			const headers = Object.fromEntries(
				Object.entries(req.headers).map(([name, value]) => [name, SECRET_HEADERS.has(name) ? '[redacted]' : String(value)]),
			);
			const query = Object.fromEntries([...url.searchParams].map(([k, v]) => [k, k === 'key' ? '[redacted]' : v]));
			const record: RedmineRecordedRequest = { at: new Date().toISOString(), method, path: url.pathname, query, headers, body, status, responseBody };
			requests.push(record);
			if (logFile) appendFileSync(logFile, `${JSON.stringify(record)}\n`);
			send(res, status, responseBody);
		})().catch((error: unknown) => {
			if (!res.headersSent) send(res, 500, { errors: [(error as Error).message] });
		});
	});

	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const standin: RedmineStandin = {
		url: `http://127.0.0.1:${port}`,
		requests,
		issues: () => state.issues,
		seed(more) {
			state = {
				apiKeys: [...state.apiKeys, ...(more.apiKeys ?? [])],
				projects: [...state.projects, ...(more.projects ?? [])],
				issues: [...state.issues, ...(more.issues ?? [])],
				apiUser: more.apiUser ?? state.apiUser,
			};
		},
		reset() {
			state = structuredClone(initial);
			requests.length = 0;
		},
		stop: () => new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
	return standin;
}
