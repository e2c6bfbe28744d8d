/**
 * A small GitLab users API stand-in for the Recipient Resolver: `GET /api/v4/users/:id` (with `public_email`, and
 * `email` only for admins, as GitLab does) and `GET /api/v4/user` (the credential test). Authentication as in GitLab:
 * a personal access token in the `Private-Token` header (or `Authorization: Bearer`); anything else is 401.
 * Every request is recorded (tokens redacted); `/__standin/*` is the control API for out-of-process runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface GitlabSeedUser {
	id: number;
	username: string;
	name: string;
	/** The profile e-mail; only admins see it. */
	email?: string;
	/** Shown to everyone; empty when the user keeps their e-mail private. */
	public_email?: string;
	state?: 'active' | 'blocked' | 'deactivated';
	bot?: boolean;
	is_admin?: boolean;
}

export interface GitlabSeed {
	users: GitlabSeedUser[];
	/** Personal access token → user id. */
	tokens: Record<string, number>;
}

export interface GitlabRecordedRequest {
	at: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	status: number;
	responseBody: unknown;
}

export interface GitlabStandin {
	url: string;
	requests: GitlabRecordedRequest[];
	/** Answer every API request with this status (500, 503…) until called again with null. */
	failWith(status: number | null): void;
	seed(more: Partial<GitlabSeed>): void;
	reset(): void;
	stop(): Promise<void>;
}

const SECRET_HEADERS = new Set(['private-token', 'authorization', 'cookie']);

function tokenOf(req: IncomingMessage): string | undefined {
	const header = req.headers['private-token'];
	if (typeof header === 'string' && header) return header;
	const auth = req.headers.authorization;
	if (auth?.startsWith('Bearer ')) return auth.slice(7);
	return undefined;
}

function userView(user: GitlabSeedUser, viewer: GitlabSeedUser, self: boolean): Record<string, unknown> {
	const view: Record<string, unknown> = {
		id: user.id,
		username: user.username,
		name: user.name,
		state: user.state ?? 'active',
		locked: false,
		avatar_url: `https://secure.gravatar.com/avatar/${user.id}?s=80&d=identicon`,
		web_url: `https://gitlab.example.com/${user.username}`,
		bot: user.bot ?? false,
		public_email: user.public_email ?? '',
	};
	if (self || viewer.is_admin) view.email = user.email ?? '';
	if (self) view.is_admin = user.is_admin ?? false;
	return view;
}

export async function startGitlabStandin(options: { port?: number; seed?: Partial<GitlabSeed>; logFile?: string } = {}): Promise<GitlabStandin> {
	const initial: GitlabSeed = { users: [], tokens: {}, ...structuredClone(options.seed ?? {}) };
	let state: GitlabSeed = structuredClone(initial);
	let failure: number | null = null;
	const requests: GitlabRecordedRequest[] = [];
	const logFile = options.logFile ?? process.env.GITLAB_STANDIN_LOG;

	function handleApi(method: string, path: string, token: string | undefined): [number, unknown] {
		if (failure !== null) return [failure, { message: `${failure} Internal Server Error` }];
		const callerId = token !== undefined ? state.tokens[token] : undefined;
		const caller = state.users.find((u) => u.id === callerId);
		if (!caller) return [401, { message: '401 Unauthorized' }];
		if (method !== 'GET') return [405, { message: '405 Method Not Allowed' }];
		if (path === '/api/v4/user') return [200, userView(caller, caller, true)];
		const match = /^\/api\/v4\/users\/([^/]+)$/.exec(path);
		if (match) {
			if (!/^\d+$/.test(match[1])) return [404, { error: '404 Not Found' }];
			const user = state.users.find((u) => u.id === Number(match[1]));
			return user ? [200, userView(user, caller, user.id === caller.id)] : [404, { message: '404 User Not Found' }];
		}
		return [404, { error: '404 Not Found' }];
	}

	function send(res: ServerResponse, status: number, body: unknown): void {
		const text = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	}

	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://standin');
		const method = req.method ?? 'GET';
		if (url.pathname.startsWith('/__standin/')) {
			const control = url.pathname.slice('/__standin/'.length);
			if (control === 'requests' && method === 'GET') return send(res, 200, requests);
			if (control === 'reset' && method === 'POST') {
				standin.reset();
				return send(res, 200, { ok: true });
			}
			return send(res, 404, { error: `unknown control endpoint ${method} ${url.pathname}` });
		}
		const [status, responseBody] = handleApi(method, url.pathname, tokenOf(req));
		const headers = Object.fromEntries(
			Object.entries(req.headers).map(([name, value]) => [name, SECRET_HEADERS.has(name) ? '[redacted]' : String(value)]),
		);
		const record: GitlabRecordedRequest = {
			at: new Date().toISOString(),
			method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers,
			status,
			responseBody,
		};
		requests.push(record);
		if (logFile) appendFileSync(logFile, `${JSON.stringify(record)}\n`);
		// Drain any body so keep-alive connections stay usable.
		req.resume();
		send(res, status, responseBody);
	});

	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const standin: GitlabStandin = {
		url: `http://127.0.0.1:${port}`,
		requests,
		failWith(status) {
			failure = status;
		},
		seed(more) {
			state = { users: [...state.users, ...(more.users ?? [])], tokens: { ...state.tokens, ...(more.tokens ?? {}) } };
		},
		reset() {
			state = structuredClone(initial);
			failure = null;
			requests.length = 0;
		},
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
	return standin;
}
