/**
 * Contract test: drives every stand-in endpoint (successes and errors), then checks every recorded exchange against
 * the official Mattermost OpenAPI v4 spec: the status is documented for the operation, the JSON request and response
 * bodies validate against the documented schemas, JSON answers carry `Content-Type: application/json` exactly.
 * The spec's schemas require almost nothing, so KEY_FIELDS also asserts the fields the package relies on.
 * Spec-vs-server differences the stand-in copies on purpose are listed, with reasons, in KNOWN_MISMATCHES.
 */
import { Client4 } from '@mattermost/client';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin, type RecordedRequest } from '../../playground/standin/mattermost';

// MM_OPENAPI_DIR points elsewhere (e.g. a newer spec); the default is the repo's sibling reference folder.
const SPEC_DIR = process.env.MM_OPENAPI_DIR ?? path.resolve(__dirname, '../../../shared/reference/mattermost-openapi');
const SPEC_FILE = path.join(SPEC_DIR, 'mattermost-openapi-v4.json');
const specAvailable = existsSync(SPEC_FILE);
if (!specAvailable) console.warn(`OpenAPI spec not found at ${SPEC_FILE}; contract validation skipped`);
const specIt = specAvailable ? it : it.skip;

interface Mismatch {
	operationId: string;
	status: number;
	/** Validate the body with the schema documented for this status instead. */
	schemaOf?: string;
	why: string;
}

const KNOWN_MISMATCHES: Mismatch[] = [
	// api4/reaction.go saveReaction answers with ReturnStatusOK; the spec documents 201.
	{ operationId: 'SaveReaction', status: 200, schemaOf: '201', why: 'server answers 200, spec says 201' },
	// Every session route answers 401 for a bad token (web/handlers.go), whether or not the operation lists it.
	{ operationId: '*', status: 401, why: 'session check precedes every operation' },
	// GetPostIfAuthorized looks the post up first, so an unknown post is a 404 the spec does not list.
	{ operationId: 'GetPost', status: 404, why: 'unknown post' },
	// The spec lists no success response at all for the file download.
	{ operationId: 'GetFile', status: 200, why: 'file download' },
	// config/client without format=old: api.config.client.old_format.app_error, 501.
	{ operationId: 'GetClientConfig', status: 501, why: 'only format=old is implemented by the server' },
];
/** Request-body rules of the spec the server does not apply (matched against the validation message). */
const REQUEST_MISMATCHES: { operationId: string; error: RegExp; why: string }[] = [
	// api4/channel.go createGroupChannel appends the caller when absent, so two other user ids make a valid group.
	{ operationId: 'CreateGroupChannel', error: /fewer than 3 items/, why: 'the server adds the caller' },
];
// Not in the spec at all: POST /hooks/{id} (web/webhook.go) — checked against the server's own behaviour below.
const OUTSIDE_SPEC = /^\/hooks\/[^/]+$/;
// The spec's text "posts are limited to 5 files" is stale (PostFileidsMaxRunes = 300 → 10 ids); it is prose, not a
// schema constraint, so the 10-file post below validates, and the 11-file post must be the 400 the server gives.

const ID = { type: 'string', pattern: '^[a-z0-9]{26}$' };
const APP_ERROR = {
	type: 'object',
	required: ['id', 'message', 'detailed_error', 'request_id', 'status_code'],
	properties: { id: { type: 'string', minLength: 1 }, message: { type: 'string' }, detailed_error: { type: 'string' }, request_id: ID, status_code: { type: 'integer' } },
};
const POST = {
	type: 'object',
	// no metadata: a pending_post_id repeat returns the post as stored, without it
	required: ['id', 'create_at', 'update_at', 'edit_at', 'delete_at', 'user_id', 'channel_id', 'root_id', 'message', 'type', 'props', 'hashtags', 'file_ids', 'pending_post_id', 'reply_count'],
	properties: { id: ID, user_id: ID, channel_id: ID },
};
const USER = { type: 'object', required: ['id', 'username', 'email', 'first_name', 'last_name', 'delete_at', 'roles'], properties: { id: ID } };
const CHANNEL = { type: 'object', required: ['id', 'team_id', 'type', 'name', 'display_name', 'create_at', 'delete_at'], properties: { id: ID } };
const TEAM = { type: 'object', required: ['id', 'name', 'display_name'], properties: { id: ID } };
const POST_LIST = { type: 'object', required: ['order', 'posts'], properties: { posts: { type: 'object', additionalProperties: POST } } };
const list = (items: object) => ({ type: 'array', items });

/** Fields the package relies on, per operation, for 2xx answers. */
const KEY_FIELDS: Record<string, object> = {
	GetUser: USER,
	GetUserByUsername: USER,
	GetUserByEmail: USER,
	GetUsersByUsernames: list(USER),
	GetUsersByIds: list(USER),
	GetUsers: list(USER),
	GetTeam: TEAM,
	GetTeamByName: TEAM,
	GetTeamsForUser: list(TEAM),
	GetChannel: CHANNEL,
	GetChannelByName: CHANNEL,
	GetChannelByNameForTeamName: CHANNEL,
	GetChannelsForTeamForUser: list(CHANNEL),
	GetChannelMembers: list({ type: 'object', required: ['channel_id', 'user_id', 'roles'] }),
	CreateDirectChannel: CHANNEL,
	CreateGroupChannel: CHANNEL,
	CreatePost: POST,
	GetPost: POST,
	PatchPost: POST,
	GetPostThread: POST_LIST,
	GetPostsForChannel: POST_LIST,
	SaveReaction: { type: 'object', required: ['user_id', 'post_id', 'emoji_name', 'create_at'] },
	UploadFile: {
		type: 'object',
		required: ['file_infos', 'client_ids'],
		properties: { file_infos: list({ type: 'object', required: ['id', 'user_id', 'channel_id', 'name', 'size', 'mime_type'], properties: { id: ID } }) },
	},
	GetFileInfo: { type: 'object', required: ['id', 'name', 'size'] },
	// MaxPostSize only for a session (the anonymous, limited config has none).
	GetClientConfig: { type: 'object', required: ['Version'], properties: { MaxPostSize: { type: 'string', pattern: '^[0-9]+$' } } },
	DeletePost: { type: 'object', required: ['status'] },
	GetPing: { type: 'object', required: ['status'] },
};

interface Operation {
	operationId: string;
	pattern: RegExp;
	params: number;
	method: string;
	/** status → JSON schema of the documented body (null when the spec gives none) */
	responses: Record<string, object | null>;
	requestSchema?: object;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int64', true);
ajv.addFormat('int32', true);
const validators = new Map<object, ValidateFunction>();
function validate(schema: object, value: unknown): string[] {
	let fn = validators.get(schema);
	if (!fn) validators.set(schema, (fn = ajv.compile(schema)));
	return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/**
 * swagger-parser 13 pulls in an ES-module-only ref parser that Jest's CommonJS runtime cannot load, so the spec is
 * dereferenced once in a plain Node child process. It prints one row per operation; the few self-referencing schemas
 * in the spec (search filters) are cut at the cycle, which leaves them permissive.
 */
const DEREFERENCE = `
const SwaggerParser = require('@apidevtools/swagger-parser');
function acyclic(value, ancestors = []) {
	if (typeof value !== 'object' || value === null) return value;
	if (ancestors.includes(value)) return {};
	const next = [...ancestors, value];
	if (Array.isArray(value)) return value.map((v) => acyclic(v, next));
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, acyclic(v, next)]));
}
SwaggerParser.dereference(process.argv[1]).then((api) => {
	const rows = [];
	for (const [template, item] of Object.entries(api.paths)) {
		for (const [method, op] of Object.entries(item)) {
			if (!op || !op.operationId) continue;
			const responses = {};
			for (const [status, r] of Object.entries(op.responses || {})) {
				const schema = r && r.content && r.content['application/json'] && r.content['application/json'].schema;
				responses[status] = schema ? acyclic(schema) : null;
			}
			const body = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
			rows.push({ operationId: op.operationId, template, method: method.toUpperCase(), responses, requestSchema: body && body.schema ? acyclic(body.schema) : null });
		}
	}
	process.stdout.write(JSON.stringify(rows));
});
`;

interface OperationRow {
	operationId: string;
	template: string;
	method: string;
	responses: Record<string, object | null>;
	requestSchema: object | null;
}

async function loadOperations(): Promise<Operation[]> {
	const { stdout } = await promisify(execFile)(process.execPath, ['-e', DEREFERENCE, SPEC_FILE], {
		cwd: path.resolve(__dirname, '../..'),
		maxBuffer: 256 * 1024 * 1024,
	});
	const rows = JSON.parse(stdout) as OperationRow[];
	return rows
		.map((row) => ({
			operationId: row.operationId,
			pattern: new RegExp(`^${row.template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
			params: (row.template.match(/\{/g) ?? []).length,
			method: row.method,
			responses: row.responses,
			requestSchema: row.requestSchema ?? undefined,
		}))
		// literal segments win over parameters (users/username/{u} before users/{user_id}/…)
		.sort((a, b) => a.params - b.params);
}

let mm: MattermostStandin;
let operations: Operation[] = [];

function operationOf(request: RecordedRequest): Operation | undefined {
	return operations.find((op) => op.method === request.method && op.pattern.test(request.path));
}

async function drive(): Promise<void> {
	const u = sample.users;
	const bot = new Client4();
	bot.setUrl(mm.url);
	bot.setToken(sample.tokens.notifier);
	const raw = async (method: string, p: string, body?: unknown, token: string | null = sample.tokens.notifier) => {
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		if (token) headers.Authorization = `Bearer ${token}`;
		const res = await fetch(mm.url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.text();
		return res.headers.get('content-type') === 'application/json' ? JSON.parse(text) : text;
	};
	const ghost = 'g'.repeat(26);

	// users
	await bot.getMe();
	await raw('GET', '/api/v4/users/me', undefined, 'bad-token');
	await bot.getUser(u.alice);
	await raw('GET', `/api/v4/users/${ghost}`);
	await raw('GET', '/api/v4/users/not-an-id');
	await bot.getUserByUsername('bob');
	await raw('GET', '/api/v4/users/username/ghost');
	await bot.getUserByEmail('carol.cook@example.test');
	await raw('GET', '/api/v4/users/email/ghost@example.test');
	await bot.getProfilesByUsernames(['alice', 'ghost']);
	await raw('POST', '/api/v4/users/usernames', []);
	await bot.getProfilesByIds([u.alice, ghost]);
	await raw('POST', '/api/v4/users/ids', ['bad']);
	await bot.getProfilesInChannel(sample.townSquareId, 0, 2);
	await raw('GET', `/api/v4/users?in_team=${sample.teamId}&page=0&per_page=60`);
	await raw('GET', `/api/v4/users?in_channel=${sample.opsAlertsId}`, undefined, sample.tokens.carol);
	// teams and channels
	await bot.getMyTeams();
	await raw('GET', `/api/v4/users/${u.alice}/teams`);
	await raw('GET', `/api/v4/teams/${sample.teamId}`);
	await raw('GET', `/api/v4/teams/${sample.otherTeamId}`);
	await bot.getTeamByName('devops');
	await raw('GET', '/api/v4/teams/name/nope');
	await raw('GET', `/api/v4/users/me/teams/${sample.teamId}/channels`);
	await raw('GET', `/api/v4/users/${u.notifier}/teams/${sample.teamId}/channels`);
	await raw('GET', `/api/v4/users/me/teams/${sample.otherTeamId}/channels`);
	await bot.getChannel(sample.townSquareId);
	await raw('GET', `/api/v4/channels/${sample.salesChannelId}`);
	await raw('GET', `/api/v4/channels/${ghost}`);
	await bot.getChannelByName(sample.teamId, 'releases');
	await raw('GET', `/api/v4/teams/${sample.teamId}/channels/name/nope`);
	await bot.getChannelByNameAndTeamName('devops', 'town-square');
	await raw('GET', '/api/v4/teams/name/devops/channels/name/nope');
	await bot.getChannelMembers(sample.releasesId);
	await raw('GET', `/api/v4/channels/${sample.salesChannelId}/members`);
	const dm = await bot.createDirectChannel([u.notifier, u.alice]);
	await bot.createDirectChannel([u.alice, u.notifier]);
	await raw('POST', '/api/v4/channels/direct', [u.alice, u.bob]);
	await raw('POST', '/api/v4/channels/direct', [u.notifier, ghost]);
	await bot.createGroupChannel([u.alice, u.bob]);
	await raw('POST', '/api/v4/channels/group', [u.alice]);
	// files
	const form = new FormData();
	form.append('channel_id', sample.townSquareId);
	form.append('files', new Blob(['build ok\n'], { type: 'text/plain' }), 'build.log');
	const uploaded = await bot.uploadFile(form);
	const denied = new FormData();
	denied.append('channel_id', sample.opsAlertsId);
	denied.append('files', new Blob(['x']), 'x.txt');
	await bot.uploadFile(denied).catch(() => undefined);
	await raw('GET', `/api/v4/files/${uploaded.file_infos[0].id}/info`);
	await raw('GET', `/api/v4/files/${ghost}/info`);
	await raw('GET', `/api/v4/files/${uploaded.file_infos[0].id}`);
	// posts
	const root = await raw('POST', '/api/v4/posts', {
		channel_id: sample.townSquareId,
		message: 'Pipeline #12 passed',
		file_ids: uploaded.file_infos.map((f) => f.id),
		props: { attachments: [{ fallback: 'ok', color: 'good', text: 'passed' }] },
		metadata: { priority: { priority: 'important' } },
		pending_post_id: `${u.notifier}:1`,
	});
	await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'Pipeline #12 passed', pending_post_id: `${u.notifier}:1` });
	const reply = await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'details', root_id: root.id });
	await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'x', root_id: reply.id });
	await raw('POST', '/api/v4/posts', { channel_id: sample.releasesId, message: 'x', root_id: root.id });
	await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'x'.repeat(16384) });
	await raw('POST', '/api/v4/posts', { channel_id: sample.opsAlertsId, message: 'not a member' });
	await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'ten', file_ids: Array.from({ length: 10 }, () => ghost) });
	await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'eleven', file_ids: Array.from({ length: 11 }, () => ghost) });
	await raw('POST', '/api/v4/posts', { channel_id: dm.id, message: 'direct' });
	await bot.patchPost({ id: root.id, message: 'Pipeline #12 passed (edited)' });
	await raw('PUT', `/api/v4/posts/${root.id}/patch`, { message: 'not mine' }, sample.tokens.alice);
	await bot.getPost(root.id);
	await raw('GET', `/api/v4/posts/${ghost}`);
	await bot.getPostThread(root.id);
	await bot.getPosts(sample.townSquareId);
	await raw('GET', `/api/v4/channels/${sample.salesChannelId}/posts`);
	const doomed = await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'to delete' });
	await bot.deletePost(doomed.id);
	await raw('DELETE', `/api/v4/posts/${doomed.id}`);
	await bot.addReaction(u.notifier, root.id, 'white_check_mark');
	await raw('POST', '/api/v4/reactions', { user_id: u.alice, post_id: root.id, emoji_name: 'x' });
	await raw('POST', '/api/v4/reactions', { user_id: u.notifier, post_id: root.id, emoji_name: 'bad name!' });
	// no-session routes
	await bot.getClientConfig();
	await raw('GET', '/api/v4/config/client', undefined, null);
	await raw('GET', '/api/v4/system/ping', undefined, null);
	// incoming webhooks
	const hook = (id: string, body: string, type = 'application/json') =>
		fetch(`${mm.url}/hooks/${id}`, { method: 'POST', headers: { 'Content-Type': type }, body }).then((r) => r.text());
	await hook(sample.hookId, JSON.stringify({ text: 'deployed', username: 'ci', attachments: [{ text: 'a' }] }));
	await hook(sample.hookId, new URLSearchParams({ payload: JSON.stringify({ text: 'form' }) }).toString(), 'application/x-www-form-urlencoded');
	await hook('unknown', JSON.stringify({ text: 'x' }));
	await hook(sample.hookId, JSON.stringify({ channel: 'nowhere', text: 'x' }));
	// server settings and archived channels, last: they change the world for everything after them
	mm.archiveChannel(sample.opsAlertsId);
	await raw('POST', '/api/v4/posts', { channel_id: sample.opsAlertsId, message: 'archived' }, sample.tokens.alice);
	mm.setSettings({ PostPriority: false, ShowEmailAddress: false, RestrictDirectMessage: 'team', PostEditTimeLimit: 0, EnableFileAttachments: false });
	await raw('POST', '/api/v4/posts', { channel_id: sample.townSquareId, message: 'p', metadata: { priority: { priority: 'urgent' } } });
	await raw('GET', '/api/v4/users/email/alice@example.test');
	await raw('POST', '/api/v4/channels/direct', [u.notifier, u.dave]);
	await raw('PUT', `/api/v4/posts/${root.id}/patch`, { message: 'too late' });
	await bot.uploadFile(form).catch(() => undefined);
	await raw('GET', `/api/v4/users?in_channel=${sample.opsAlertsId}`);
}

const problems = new Map<string, string[]>();
const covered = new Set<string>();

function check(request: RecordedRequest): void {
	const note = (key: string, text: string): void => {
		problems.set(key, [...(problems.get(key) ?? []), `${request.method} ${request.path} → ${request.status}: ${text}`]);
	};
	const jsonAnswer = request.responseHeaders['Content-Type'] === 'application/json';

	if (OUTSIDE_SPEC.test(request.path)) {
		covered.add('IncomingWebhook');
		if (request.status === 200) {
			if (request.responseHeaders['Content-Type'] !== 'text/plain' || request.responseBody !== 'ok') note('IncomingWebhook', 'success must be text/plain "ok"');
		} else {
			for (const e of validate(APP_ERROR, request.responseBody)) note('IncomingWebhook', e);
		}
		return;
	}
	const op = operationOf(request);
	if (!op) {
		note('(unmatched)', 'no operation in the spec');
		return;
	}
	covered.add(op.operationId);
	const mismatch = KNOWN_MISMATCHES.find((m) => (m.operationId === op.operationId || m.operationId === '*') && m.status === request.status);
	const status = String(request.status);
	const documented = status in op.responses ? status : 'default' in op.responses ? 'default' : undefined;
	if (!documented && !mismatch) note(op.operationId, `status not documented (documented: ${Object.keys(op.responses).join(', ')})`);

	const schemaKey = mismatch?.schemaOf ?? documented;
	const schema = schemaKey ? op.responses[schemaKey] : null;
	if (schema) {
		if (!jsonAnswer) note(op.operationId, `Content-Type must be exactly application/json, got ${request.responseHeaders['Content-Type']}`);
		for (const e of validate(schema, request.responseBody)) note(op.operationId, `response ${e}`);
	}
	if (request.status >= 400) {
		for (const e of validate(APP_ERROR, request.responseBody)) note(op.operationId, `error body ${e}`);
		if ((request.responseBody as { status_code?: number })?.status_code !== request.status) note(op.operationId, 'status_code differs from HTTP status');
	} else if (KEY_FIELDS[op.operationId]) {
		for (const e of validate(KEY_FIELDS[op.operationId], request.responseBody)) note(op.operationId, `key fields ${e}`);
	}
	if (request.status < 300 && op.requestSchema && request.body !== undefined) {
		for (const e of validate(op.requestSchema, request.body)) {
			if (!REQUEST_MISMATCHES.some((m) => m.operationId === op.operationId && m.error.test(e))) note(op.operationId, `request ${e}`);
		}
	}
}

beforeAll(async () => {
	if (!specAvailable) return;
	[operations, mm] = await Promise.all([loadOperations(), startMattermostStandin({ seed: sampleSeed() })]);
	await drive();
	for (const request of mm.requests) check(request);
}, 60_000);

afterAll(async () => {
	await mm?.stop();
});

const EXPECTED = [...Object.keys(KEY_FIELDS), 'IncomingWebhook'];

specIt('drives every stand-in endpoint', () => {
	expect(EXPECTED.filter((id) => !covered.has(id))).toEqual([]);
});

specIt('matches every recorded request to a spec operation (or the documented /hooks exception)', () => {
	expect(problems.get('(unmatched)') ?? []).toEqual([]);
});

describe.each(EXPECTED)('%s', (operationId) => {
	specIt('conforms to the spec and has the key fields', () => {
		expect(problems.get(operationId) ?? []).toEqual([]);
	});
});

specIt('hits the spec-vs-server differences it allows, so the allow-list stays true', () => {
	const seen = (opId: string, status: number) =>
		mm.requests.some((r) => r.status === status && operationOf(r)?.operationId === opId);
	for (const m of KNOWN_MISMATCHES.filter((x) => x.operationId !== '*')) expect([m.operationId, m.status, seen(m.operationId, m.status)]).toEqual([m.operationId, m.status, true]);
	const fileLimit = mm.requests.filter((r) => r.path === '/api/v4/posts' && Array.isArray((r.body as { file_ids?: unknown[] })?.file_ids));
	expect(fileLimit.map((r) => [(r.body as { file_ids: unknown[] }).file_ids.length, r.status])).toEqual(expect.arrayContaining([[10, 201], [11, 400]]));
});
