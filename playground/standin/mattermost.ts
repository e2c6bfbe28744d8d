/**
 * Mattermost stand-in: a real HTTP server on 127.0.0.1 that behaves like Mattermost API v4 for the endpoints this
 * package uses (status codes, AppError bodies, `Content-Type: application/json` exactly, DM idempotency, root_id rules,
 * pending_post_id dedupe, incoming webhooks), with switchable faults and a record of every request.
 *
 * Contract (team NOTES.md): startMattermostStandin, StandinSeed, MattermostStandin {url, requests, posts, postsIn,
 * directChannelOf, setFaults, faultsInjected, seed, reset, stop}.
 *
 * Additions beyond that contract:
 * - `sampleSeed()` / `sample`: a small ready-made world (team, channels, bot, people, tokens, hooks) for tests and demos.
 * - `idFor(label)` / `newId()`: real-looking 26-char ids for fixtures. Seeds are checked: ids must look like
 *   Mattermost ids (the package tells user ids from usernames by that shape), or seed() throws.
 * - `files()`, `reactions()`, `channels()`, `groupChannelOf(userIds)` and `port` on the handle.
 * - setFaults also takes `seed` (PRNG seed), `dropAfterEffect` (share of drops on state-changing requests that
 *   happen after the request took effect; default 0.5) and `setFaults(null)` / `clearFaults()` to switch off.
 * - Each recorded request also has `responseHeaders`, `fault` (kind injected, if any), `tookEffect` (for drops) and
 *   `at` / `durationMs`. Status 0 = connection dropped without an answer.
 * - Extra endpoints: GET teams/{id}, GET files/{id}, GET files/{id}/info, GET system/ping (no auth).
 * - `system_admin` callers (seed `roles`) may open DMs between other users, as on the real server.
 * - A root_id from another channel answers 400 `api.post.create_post.channel_root_id.app_error` (the real id).
 * Real-server details worth knowing: pending_post_id is cached 30 s by the raw string (any user who can read the
 * earlier post gets it back, with pending_post_id '' and no metadata); POST /posts to an unknown channel is 400
 * `api.context.invalid_param.app_error`, to a channel the caller is not in 403; users/{u}/teams/{t}/channels also lists
 * the user's DM and group channels; GET users/username/{u} with capitals is 400 (usernames are lowercase).
 * - Control API for out-of-process use (never faulted, never recorded): GET /__standin/posts[?channel_id=],
 *   GET /__standin/requests, GET|POST /__standin/faults ({rate, kinds, sequence, retryAfterSeconds, slowMs, seed,
 *   dropAfterEffect, forgetPendingPostIds, paths?: string[] prefixes}; POST {} clears), POST /__standin/reset, POST /__standin/seed,
 *   GET|POST /__standin/settings (server settings), POST /__standin/delete-post {post_id}, POST /__standin/archive-channel {channel_id},
 *   GET /__standin/direct-channel?users=<id>,<id>, GET /__standin/files.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MattermostApi, type ApiRequest, type ApiResult } from './mattermost/api';
import { FaultPlan, FAULT_KINDS, type FaultKind, type FaultOptions } from './mattermost/faults';
import { AppError, errors, mediaType, parseJson, parseMultipart, parseUrlEncoded, readBody, type FormPart } from './mattermost/http';
import { newId } from './mattermost/ids';
import { Store, emptySeed, type Channel, type FileInfo, type Post, type Reaction, type SeedUser, type StandinSeed } from './mattermost/state';
import { checkedSettings, DEFAULT_SETTINGS, type ServerSettings } from './mattermost/settings';
import { handleIncomingWebhook } from './mattermost/webhook';
import {
	handleInteractive,
	Interactions,
	interactiveRoute,
	redactSignatures,
	stripActionIntegrations,
	type EphemeralPost,
	type OpenedDialog,
} from './mattermost/actions';

export { idFor, newId, isValidId } from './mattermost/ids';
export { sample, sampleSeed } from './mattermost/fixture';
export type { FaultKind, FaultOptions } from './mattermost/faults';
export type { AppErrorBody } from './mattermost/http';
export { DEFAULT_SETTINGS, type ServerSettings } from './mattermost/settings';
export type {
	Channel,
	FileInfo,
	Post,
	Reaction,
	SeedChannel,
	SeedIncomingHook,
	SeedTeam,
	SeedUser,
	StandinSeed,
} from './mattermost/state';

export interface StandinOptions {
	/** 0 (default) = any free port. */
	port?: number;
	seed?: Partial<StandinSeed>;
	/** Append one JSON line per request/response here. Default: env MM_STANDIN_LOG. */
	logFile?: string;
	/** Runes; default 16383 like a stock server. Reported as MaxPostSize in config/client. */
	maxPostSize?: number;
	/** Bytes per upload request (all its files together, as FileSettings.MaxFileSize limits); default 100 MB. */
	maxFileSize?: number;
	/** Server settings; the rest keep a stock server's defaults (DEFAULT_SETTINGS). reset() comes back to these. */
	settings?: Partial<ServerSettings>;
	/** Interactive messages and dialogs (see mattermost/actions.ts); default 30 s and nothing allowed, as a stock server. */
	integrationTimeoutSeconds?: number;
	allowedUntrustedInternalConnections?: string;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	/** Request headers; authorization, cookies and token headers are "[redacted]". */
	headers: Record<string, string | string[]>;
	/** JSON → value, urlencoded → object, multipart → {fields, files:[{field, filename, contentType, size}]}, other → text. */
	body: unknown;
	/** 0 when the connection was dropped without an answer. */
	status: number;
	/** JSON → value, text → string, binary → {bytes}. undefined when dropped. */
	responseBody: unknown;
	responseHeaders: Record<string, string>;
	fault?: FaultKind;
	/** Set for dropped requests: whether the request had taken effect before the connection died. */
	tookEffect?: boolean;
	at: number;
	durationMs: number;
}

export type StandinFaults = Omit<FaultOptions, 'match'> & { paths?: string[] };

export interface MattermostStandin {
	url: string;
	port: number;
	/** Every request (API, /hooks, anything but /__standin), oldest first. Cleared in place by reset(). */
	requests: RecordedRequest[];
	/** Every post, incl. webhook posts, oldest first (copies). */
	posts(): Post[];
	postsIn(channelId: string): Post[];
	/** The DM channel between two users, if one was opened. */
	directChannelOf(userA: string, userB: string): Channel | undefined;
	groupChannelOf(userIds: string[]): Channel | undefined;
	channels(): Channel[];
	files(): { info: FileInfo; data: Buffer }[];
	reactions(): Reaction[];
	/** Replaces the fault plan; null switches faults off. Counters in faultsInjected keep counting until reset(). */
	setFaults(options: FaultOptions | null): void;
	clearFaults(): void;
	faultsInjected: Record<FaultKind, number>;
	seed(more: Partial<StandinSeed>): void;
	/** The live server settings. */
	settings(): ServerSettings;
	/** Changes some settings (checked: an unknown name throws) until reset(). */
	setSettings(more: Partial<ServerSettings>): void;
	/** Deletes a post as a user or a retention policy would (a root takes its replies with it). */
	deletePost(postId: string): void;
	/** Archives a team channel until reset(). */
	archiveChannel(channelId: string): void;
	/** Moves a post's create_at back by `ms` (to test PostEditTimeLimit without waiting). */
	backdatePost(postId: string, ms: number): void;
	/** Ephemeral posts sent to users by interactive actions, and the dialogs opened for them (their websocket events). */
	ephemerals(): EphemeralPost[];
	dialogs(): OpenedDialog[];
	/** What a Mattermost client does for a signed-in user (the demo page): click a button or menu, submit a dialog. */
	clickAs(userId: string, postId: string, actionId: string, selectedOption?: string): Promise<{ status: number; json: unknown }>;
	submitDialogAs(userId: string, submit: Record<string, unknown>): Promise<{ status: number; json: unknown }>;
	/** Clears posts, files, reactions, DMs/GMs, requests, faults and counters; keeps everything seeded. */
	reset(): void;
	stop(): Promise<void>;
}

const JSON_BODY_LIMIT = 300_000;
const SERVER_VERSION = '11.6.0';

type Handler = (api: MattermostApi, req: ApiRequest) => ApiResult;
interface Route {
	method: string;
	pattern: RegExp;
	handler: Handler;
	auth: boolean;
}

const route = (method: string, path: string, handler: Handler, auth = true): Route => ({
	method,
	pattern: new RegExp(`^/api/v4${path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
	handler,
	auth,
});

const ROUTES: Route[] = [
	route('POST', '/users/usernames', (a, r) => a.getUsersByUsernames(r)),
	route('POST', '/users/ids', (a, r) => a.getUsersByIds(r)),
	route('GET', '/users/username/{username}', (a, r) => a.getUserByUsername(r)),
	route('GET', '/users/email/{email}', (a, r) => a.getUserByEmail(r)),
	route('GET', '/users/{user_id}/teams/{team_id}/channels', (a, r) => a.getChannelsForTeamForUser(r)),
	route('GET', '/users/{user_id}/teams', (a, r) => a.getTeamsForUser(r)),
	route('GET', '/users/{user_id}', (a, r) => a.getUser(r)),
	route('GET', '/users', (a, r) => a.getUsers(r)),
	route('GET', '/teams/name/{team_name}/channels/name/{channel_name}', (a, r) => a.getChannelByNameForTeamName(r)),
	route('GET', '/teams/name/{team_name}', (a, r) => a.getTeamByName(r)),
	route('GET', '/teams/{team_id}/channels/name/{channel_name}', (a, r) => a.getChannelByName(r)),
	route('GET', '/teams/{team_id}', (a, r) => a.getTeam(r)),
	route('POST', '/channels/direct', (a, r) => a.createDirectChannel(r)),
	route('POST', '/channels/group', (a, r) => a.createGroupChannel(r)),
	route('GET', '/channels/{channel_id}/members', (a, r) => a.getChannelMembers(r)),
	route('GET', '/channels/{channel_id}/posts', (a, r) => a.getPostsForChannel(r)),
	route('GET', '/channels/{channel_id}', (a, r) => a.getChannel(r)),
	route('POST', '/posts', (a, r) => a.createPost(r)),
	route('PUT', '/posts/{post_id}/patch', (a, r) => a.patchPost(r)),
	route('DELETE', '/posts/{post_id}', (a, r) => a.deletePost(r)),
	route('GET', '/posts/{post_id}/thread', (a, r) => a.getPostThread(r)),
	route('GET', '/posts/{post_id}', (a, r) => a.getPost(r)),
	route('POST', '/reactions', (a, r) => a.saveReaction(r)),
	route('POST', '/files', (a, r) => a.uploadFiles(r)),
	route('GET', '/files/{file_id}/info', (a, r) => a.getFileInfo(r)),
	route('GET', '/files/{file_id}', (a, r) => a.getFile(r)),
	route(
		'GET',
		'/config/client',
		(a, r) => {
			if (r.query.get('format') !== 'old') {
				throw new AppError(501, 'api.config.client.old_format.app_error', 'New format for the client configuration is not supported yet.');
			}
			return { status: 200, json: clientConfig(a, r.caller.id !== '') };
		},
		false,
	),
	route('GET', '/system/ping', () => ({ status: 200, json: { status: 'OK', ActiveSearchBackend: 'database' } }), false),
];

/** The limited config for anonymous callers; MaxPostSize only for a session (ClientConfigWithComputed). */
function clientConfig(api: MattermostApi, loggedIn: boolean): Record<string, string> {
	const settings = api.config.settings;
	const config: Record<string, string> = {
		Version: SERVER_VERSION,
		BuildNumber: 'standin',
		BuildDate: '',
		BuildHash: 'standin',
		SiteName: 'Mattermost',
		SiteURL: '',
		MaxFileSize: String(api.config.maxFileSize),
		EnableFileAttachments: String(settings.EnableFileAttachments),
		EnablePostUsernameOverride: String(settings.EnablePostUsernameOverride),
		EnablePostIconOverride: String(settings.EnablePostIconOverride),
		EnableIncomingWebhooks: 'true',
		EnableOutgoingWebhooks: 'true',
		EnableCommands: 'true',
		EnableBotAccountCreation: 'true',
		EnableUserAccessTokens: 'true',
		PostPriority: String(settings.PostPriority),
		PostEditTimeLimit: String(settings.PostEditTimeLimit),
		ShowEmailAddress: String(settings.ShowEmailAddress),
		EnforceMultifactorAuthentication: String(settings.EnforceMultifactorAuthentication),
		ExperimentalEnableHardenedMode: String(settings.ExperimentalEnableHardenedMode),
		RestrictDirectMessage: settings.RestrictDirectMessage,
	};
	if (loggedIn) config.MaxPostSize = String(api.config.maxPostSize);
	return config;
}

const REDACTED = '[redacted]';
const SECRET_HEADER = /^(authorization|cookie|x-csrf-token|private-token|x-gitlab-token)$|token/i;
const SECRET_QUERY = /token|secret|password/i;

function redactHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		out[name] = SECRET_HEADER.test(name) ? REDACTED : value;
	}
	return out;
}

/** An incoming-webhook or command-response URL's id authorises posting, so it is a secret like a token. */
function redactPath(path: string): string {
	return path.replace(/^\/hooks\/(commands\/)?[^/]+/, (_m, commands: string | undefined) => `/hooks/${commands ?? ''}${REDACTED}`);
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(query.keys())) {
		const values = query.getAll(key).map((v) => (SECRET_QUERY.test(key) ? REDACTED : v));
		out[key] = values.length === 1 ? values[0] : values;
	}
	return out;
}

function describeForm(parts: FormPart[]): unknown {
	return {
		fields: Object.fromEntries(parts.filter((p) => p.kind === 'field').map((p) => [p.name, p.value])),
		files: parts
			.filter((p) => p.kind === 'file')
			.map((p) => ({ field: p.field, filename: p.filename, contentType: p.contentType, size: p.data.length })),
	};
}

function tokenOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
	const header = req.headers.authorization;
	if (header) {
		const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);
		return match?.[1];
	}
	const fromQuery = query.get('access_token');
	if (fromQuery) return fromQuery;
	return /(?:^|;\s*)MMAUTHTOKEN=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	payload: Buffer;
	recordedBody: unknown;
}

function jsonReply(status: number, value: unknown, requestId: string, extra: Record<string, string> = {}): Reply {
	return {
		status,
		headers: { 'Content-Type': 'application/json', 'X-Request-Id': requestId, 'X-Version-Id': `${SERVER_VERSION}.standin`, ...extra },
		payload: Buffer.from(JSON.stringify(value)),
		recordedBody: value,
	};
}

function textReply(status: number, text: string, requestId: string, extra: Record<string, string> = {}): Reply {
	return {
		status,
		headers: { 'Content-Type': 'text/plain', 'X-Request-Id': requestId, ...extra },
		payload: Buffer.from(text),
		recordedBody: text,
	};
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function emptyCounts(): Record<FaultKind, number> {
	return Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
}

export async function startMattermostStandin(options: StandinOptions = {}): Promise<MattermostStandin> {
	const store = new Store();
	store.addSeed({ ...emptySeed(), ...options.seed });
	const initialSettings = { ...DEFAULT_SETTINGS, ...checkedSettings(options.settings ?? {}) };
	const api = new MattermostApi(store, {
		maxPostSize: options.maxPostSize ?? 16383,
		maxFileSize: options.maxFileSize ?? 100 * 1024 * 1024,
		settings: { ...initialSettings },
	});
	/** web/handlers.go: detailed_error only reaches clients in developer mode; hardened mode also hides what a 5xx was. */
	const errorBody = (error: AppError, requestId: string) => {
		const body = error.body(requestId);
		if (api.config.settings.ExperimentalEnableHardenedMode && error.status >= 500) {
			return { ...body, id: '', message: 'Internal Server Error', detailed_error: '' };
		}
		return api.config.settings.EnableDeveloper ? body : { ...body, detailed_error: '' };
	};
	const interactions = new Interactions(store, {
		integrationTimeoutSeconds: options.integrationTimeoutSeconds ?? 30,
		allowedUntrustedInternalConnections: options.allowedUntrustedInternalConnections ?? '',
	});
	const logFile = options.logFile ?? process.env.MM_STANDIN_LOG ?? undefined;
	const requests: RecordedRequest[] = [];
	const faultsInjected = emptyCounts();
	let faults: FaultPlan | undefined;
	const sockets = new Set<Socket>();

	const setFaults = (next: FaultOptions | null) => {
		faults = next ? new FaultPlan(next) : undefined;
	};

	const record = (recorded: RecordedRequest) => {
		const entry = { ...recorded, body: redactSignatures(recorded.body), responseBody: redactSignatures(recorded.responseBody) };
		requests.push(entry);
		if (logFile) appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
	};

	/** The signed-in user of a session route: 401 for no, a wrong or a deactivated user's token. */
	const sessionUser = (req: IncomingMessage, query: URLSearchParams, path: string): SeedUser => {
		const token = tokenOf(req, query);
		const userId = token ? store.tokens.get(token) : undefined;
		const user = userId ? store.users.get(userId) : undefined;
		if (!user || user.delete_at) throw errors.sessionExpired();
		// app.MFARequired: everything but GET users/me (so a client can learn it must set up MFA); bots are exempt.
		if (api.config.settings.EnforceMultifactorAuthentication && !user.is_bot && !user.mfa_active && path !== '/api/v4/users/me') {
			throw new AppError(403, 'api.context.mfa_required.app_error', 'Multi-factor authentication is required on this server.');
		}
		return user;
	};

	/** Runs the request against the API; never throws. */
	const dispatch = (
		req: IncomingMessage,
		path: string,
		query: URLSearchParams,
		raw: Buffer,
		requestId: string,
	): { reply: Reply; recordedBody: unknown } => {
		const contentType = req.headers['content-type'];
		const type = mediaType(contentType);
		const method = req.method ?? 'GET';

		const hookMatch = /^\/hooks\/([^/]+)$/.exec(path);
		if (hookMatch && method === 'POST') {
			const outcome = handleIncomingWebhook(hookMatch[1], raw, contentType, store, api);
			const reply = outcome.ok ? textReply(200, 'ok', requestId) : jsonReply(outcome.error.status, errorBody(outcome.error, requestId), requestId);
			// The server's error message names the hook id, a secret: kept out of the record and the log.
			if (!outcome.ok) reply.recordedBody = JSON.parse(JSON.stringify(reply.recordedBody).split(hookMatch[1]).join(REDACTED));
			return { reply, recordedBody: outcome.parsedBody };
		}

		let json: unknown;
		let form: FormPart[] | undefined;
		let recordedBody: unknown = raw.length ? raw.toString('utf8') : undefined;
		try {
			if (type === 'multipart/form-data') {
				try {
					form = parseMultipart(raw, contentType ?? '');
				} catch (error) {
					throw new AppError(400, 'api.file.upload_file.multipart.app_error', 'Unable to upload file(s).', (error as Error).message);
				}
				recordedBody = describeForm(form);
			} else if (type === 'application/x-www-form-urlencoded') {
				recordedBody = parseUrlEncoded(raw);
			} else if (raw.length && (type === '' || type === 'application/json')) {
				if (raw.length > JSON_BODY_LIMIT) throw errors.tooLarge();
				const parsed = parseJson(raw);
				if (parsed.ok) json = recordedBody = parsed.value;
			} else if (raw.length) {
				recordedBody = { bytes: raw.length, contentType: type };
			}

			if (!path.startsWith('/api/v4/')) return { reply: textReply(404, '404 page not found\n', requestId), recordedBody };
			const candidates = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((c) => c.m);
			const found = candidates.find((c) => c.r.method === method);
			if (!found) {
				if (candidates.length) throw new AppError(405, 'api.context.405.app_error', 'Method not allowed.');
				throw errors.notFound();
			}
			const params = Object.fromEntries(
				Object.entries(found.m!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
			);
			let caller: SeedUser = { id: '', username: '', email: '' };
			if (!found.r.auth) {
				// Routes open to anyone still know a valid session (the client config then holds MaxPostSize).
				const token = tokenOf(req, query);
				const user = token ? store.users.get(store.tokens.get(token) ?? '') : undefined;
				if (user && !user.delete_at) caller = user;
			} else {
				caller = sessionUser(req, query, path);
			}
			const result = found.r.handler(api, {
				method,
				path,
				query,
				params,
				json,
				form,
				raw,
				mediaType: type,
				caller,
			});
			if (result.binary) {
				return {
					reply: {
						status: result.status,
						headers: {
							'Content-Type': result.binary.contentType,
							'Content-Disposition': `attachment;filename="${result.binary.filename}"`,
							'X-Request-Id': requestId,
						},
						payload: result.binary.data,
						recordedBody: { bytes: result.binary.data.length },
					},
					recordedBody,
				};
			}
			return { reply: jsonReply(result.status, stripActionIntegrations(result.json), requestId), recordedBody };
		} catch (error) {
			const appError = asAppError(error);
			return { reply: jsonReply(appError.status, errorBody(appError, requestId), requestId), recordedBody };
		}
	};

	/** The interactive routes call integrations, so they answer asynchronously (same auth and error rules). */
	const dispatchInteractive = async (
		req: IncomingMessage,
		route: NonNullable<ReturnType<typeof interactiveRoute>>,
		query: URLSearchParams,
		raw: Buffer,
		requestId: string,
	): Promise<{ reply: Reply; recordedBody: unknown }> => {
		const parsed = raw.length ? parseJson(raw) : undefined;
		const json = parsed?.ok ? parsed.value : undefined;
		const recordedBody = json ?? (raw.length ? raw.toString('utf8') : undefined);
		try {
			let caller: SeedUser = { id: '', username: '', email: '' };
			if (route.auth) {
				caller = sessionUser(req, query, req.url ?? '');
			}
			const result = await handleInteractive(interactions, route, json, caller);
			return { reply: jsonReply(result.status, result.json, requestId), recordedBody };
		} catch (error) {
			const appError = asAppError(error);
			return { reply: jsonReply(appError.status, errorBody(appError, requestId), requestId), recordedBody };
		}
	};

	const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => {
		const raw = await readBody(req, 50 * 1024 * 1024);
		const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
		const send = (status: number, value: unknown) => {
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(value));
		};
		const method = req.method ?? 'GET';
		const key = `${method} ${path}`;
		if (key === 'GET /__standin/posts') {
			const channelId = query.get('channel_id');
			return send(200, channelId ? handle.postsIn(channelId) : handle.posts());
		}
		if (key === 'GET /__standin/requests') return send(200, requests);
		if (key === 'GET /__standin/faults') return send(200, { faultsInjected, active: faults ? faults.options : null });
		if (key === 'POST /__standin/faults') {
			const { paths, ...rest } = body as StandinFaults;
			const empty = !Object.keys(rest).length && !paths;
			setFaults(
				empty
					? null
					: { ...rest, match: paths?.length ? (_m: string, p: string) => paths.some((prefix) => p.startsWith(prefix)) : undefined },
			);
			return send(200, { faultsInjected });
		}
		if (key === 'POST /__standin/reset') {
			handle.reset();
			return send(200, { ok: true });
		}
		if (key === 'POST /__standin/seed') {
			handle.seed(body as Partial<StandinSeed>);
			return send(200, { ok: true });
		}
		if (key === 'GET /__standin/direct-channel') {
			const [a, b] = (query.get('users') ?? '').split(',');
			return send(200, handle.directChannelOf(a, b) ?? null);
		}
		if (key === 'GET /__standin/settings') return send(200, handle.settings());
		if (key === 'POST /__standin/settings') {
			handle.setSettings(body as Partial<ServerSettings>);
			return send(200, handle.settings());
		}
		if (key === 'POST /__standin/delete-post') {
			handle.deletePost(String((body as { post_id?: unknown }).post_id ?? ''));
			return send(200, { ok: true });
		}
		if (key === 'POST /__standin/archive-channel') {
			handle.archiveChannel(String((body as { channel_id?: unknown }).channel_id ?? ''));
			return send(200, { ok: true });
		}
		if (key === 'GET /__standin/ephemerals') return send(200, interactions.ephemerals);
		if (key === 'GET /__standin/dialogs') return send(200, interactions.dialogs);
		if (key === 'GET /__standin/files') {
			return send(200, handle.files().map((f) => ({ ...f.info, content_base64: f.data.toString('base64') })));
		}
		return send(404, { error: `unknown control route ${key}` });
	};

	const server: Server = createServer((req, res) => {
		const started = Date.now();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;
		const query = url.searchParams;
		if (path.startsWith('/__standin/')) {
			handleControl(req, res, path, query).catch((error: unknown) => {
				res.writeHead(400, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: (error as Error).message }));
			});
			return;
		}
		const method = req.method ?? 'GET';
		const requestId = newId();
		const base = { method, path: redactPath(path), query: queryObject(query), headers: redactHeaders(req.headers), at: started };

		const run = async () => {
			let raw: Buffer;
			try {
				raw = await readBody(req, (api.config.maxFileSize + 1024 * 1024) * 10);
			} catch (error) {
				const appError = error instanceof AppError ? error : errors.tooLarge();
				const reply = jsonReply(appError.status, errorBody(appError, requestId), requestId);
				res.writeHead(reply.status, reply.headers).end(reply.payload);
				record({ ...base, body: undefined, status: reply.status, responseBody: reply.recordedBody, responseHeaders: reply.headers, durationMs: Date.now() - started });
				return;
			}
			const faultable = path.startsWith('/api/v4/') || path.startsWith('/hooks/');
			const decision = faults && faultable ? faults.decide(method, path) : { kind: undefined, afterEffect: false };
			if (decision.kind) faultsInjected[decision.kind] += 1;
			const finish = (reply: Reply | undefined, recordedBody: unknown, extra: Partial<RecordedRequest> = {}) => {
				if (reply) res.writeHead(reply.status, reply.headers).end(reply.payload);
				else req.socket.destroy();
				record({
					...base,
					body: recordedBody,
					status: reply?.status ?? 0,
					responseBody: reply?.recordedBody,
					responseHeaders: reply?.headers ?? {},
					...(decision.kind ? { fault: decision.kind } : {}),
					...extra,
					durationMs: Date.now() - started,
				});
			};
			const bodyForRecord = () => dispatchBodyPreview(raw, req.headers['content-type']);

			switch (decision.kind) {
				case '429': {
					const seconds = faults!.retryAfterSeconds;
					return finish(
						textReply(429, 'limit exceeded\n', requestId, {
							'Retry-After': String(seconds),
							'X-Ratelimit-Limit': '101',
							'X-Ratelimit-Remaining': '0',
							'X-Ratelimit-Reset': String(seconds),
						}),
						bodyForRecord(),
					);
				}
				case '500': {
					const error = new AppError(500, 'api.standin.injected_fault.app_error', 'We encountered an error processing the request (injected fault).');
					return finish(jsonReply(500, errorBody(error, requestId), requestId), bodyForRecord());
				}
				case 'hang': {
					// The first request stays in flight while the post is saved: the pending id is in the dedupe cache
					// with no post yet, so every repeat gets 500 api.post.deduplicate_create_post.pending until it lands.
					const pendingId = method === 'POST' && path === '/api/v4/posts' ? pendingPostIdOf(raw) : '';
					if (pendingId) store.pendingPostIds.set(pendingId, { postId: '', at: Date.now() });
					await delay(faults?.slowMs ?? 1500);
					if (pendingId) store.pendingPostIds.delete(pendingId);
					break;
				}
				case 'slow':
					await delay(faults?.slowMs ?? 1500);
					break;
				case 'drop':
					if (faults?.options.forgetPendingPostIds) store.pendingPostIds.clear();
					if (!decision.afterEffect) return finish(undefined, bodyForRecord(), { tookEffect: false });
					return finish(undefined, dispatch(req, path, query, raw, requestId).recordedBody, { tookEffect: true });
			}
			if (faults?.options.forgetPendingPostIds) store.pendingPostIds.clear();
			const interactive = interactiveRoute(method, path);
			const { reply, recordedBody } = interactive
				? await dispatchInteractive(req, interactive, query, raw, requestId)
				: dispatch(req, path, query, raw, requestId);
			finish(reply, recordedBody);
		};
		run().catch((error: unknown) => {
			if (!res.headersSent) {
				const appError = new AppError(500, 'api.context.unexpected.app_error', 'An unexpected error occurred.', (error as Error).message);
				res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify(appError.body(requestId)));
			}
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;

	const asUser = async (userId: string, run: (user: SeedUser) => Promise<{ status: number; json: unknown }>) => {
		const user = store.users.get(userId);
		try {
			if (!user || user.delete_at) throw errors.sessionExpired();
			return await run(user);
		} catch (error) {
			const appError = asAppError(error);
			return { status: appError.status, json: appError.body(newId()) };
		}
	};

	const copyPosts = (filter: (p: Post) => boolean) =>
		[...store.posts.values()].filter(filter).sort((a, b) => a.create_at - b.create_at).map((p) => structuredClone(p));

	const handle: MattermostStandin = {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		posts: () => copyPosts(() => true),
		postsIn: (channelId) => copyPosts((p) => p.channel_id === channelId),
		directChannelOf: (a, b) => {
			const name = store.directChannelName(a, b);
			return [...store.channels.values()].find((c) => c.type === 'D' && c.name === name);
		},
		groupChannelOf: (userIds) => {
			const name = store.groupChannelName([...new Set(userIds)]);
			return [...store.channels.values()].find((c) => c.type === 'G' && c.name === name);
		},
		channels: () => [...store.channels.values()].map((c) => ({ ...c })),
		files: () => [...store.files.values()].map((f) => ({ info: { ...f.info }, data: Buffer.from(f.data) })),
		reactions: () => store.reactions.map((r) => ({ ...r })),
		ephemerals: () => interactions.ephemerals.map((e) => ({ ...e })),
		dialogs: () => interactions.dialogs.map((d) => structuredClone(d)),
		clickAs: async (userId, postId, actionId, selectedOption) =>
			await asUser(userId, async (user) => await interactions.doPostAction(postId, actionId, { selected_option: selectedOption ?? '' }, user)),
		submitDialogAs: async (userId, submit) => await asUser(userId, async (user) => await interactions.submitDialog(submit, user)),
		setFaults,
		clearFaults: () => setFaults(null),
		faultsInjected,
		seed: (more) => store.addSeed(more),
		settings: () => ({ ...api.config.settings }),
		setSettings: (more) => Object.assign(api.config.settings, checkedSettings(more)),
		deletePost: (postId) => {
			if (!store.posts.has(postId)) throw new Error(`stand-in: no post ${postId} to delete`);
			store.deletePost(postId, store.now());
		},
		archiveChannel: (channelId) => store.archiveChannel(channelId, store.now()),
		backdatePost: (postId, ms) => {
			const post = store.posts.get(postId);
			if (!post) throw new Error(`stand-in: no post ${postId}`);
			post.create_at -= ms;
		},
		reset: () => {
			store.resetRuntime();
			Object.assign(api.config.settings, initialSettings);
			interactions.reset();
			requests.length = 0;
			faults = undefined;
			for (const kind of FAULT_KINDS) faultsInjected[kind] = 0;
		},
		stop: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
	return handle;
}

function pendingPostIdOf(raw: Buffer): string {
	const parsed = parseJson(raw);
	const value = parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as { pending_post_id?: unknown }).pending_post_id : '';
	return typeof value === 'string' ? value : '';
}

/** Body as recorded for requests that were answered by a fault before reaching the API. */
function asAppError(error: unknown): AppError {
	return error instanceof AppError
		? error
		: new AppError(500, 'api.context.unexpected.app_error', 'An unexpected error occurred.', (error as Error).message);
}

function dispatchBodyPreview(raw: Buffer, contentType: string | undefined): unknown {
	if (!raw.length) return undefined;
	const type = mediaType(contentType);
	try {
		if (type === 'multipart/form-data') return describeForm(parseMultipart(raw, contentType ?? ''));
		if (type === 'application/x-www-form-urlencoded') return parseUrlEncoded(raw);
	} catch {
		return raw.toString('utf8');
	}
	const parsed = parseJson(raw);
	return parsed.ok ? parsed.value : raw.toString('utf8');
}
