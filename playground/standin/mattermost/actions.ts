/**
 * Interactive messages and dialogs, as server/channels/app/integration_action.go and api4/integration_action.go do
 * them:
 * - POST /posts/{post_id}/actions/{action_id} (session): reads the action from the stored post, POSTs
 *   PostActionIntegrationRequest to its integration URL (User-Agent Mattermost-Bot/1.1, no signature), with the
 *   clicking user, a fresh trigger_id and the action's context (+ selected_option for menus); a non-200 answer, a
 *   non-JSON body, a refused address or no answer within the integration timeout is 400
 *   api.post.do_action.action_integration.app_error, which clients show as "Action failed to execute". Otherwise
 *   `update` replaces the post (props kept when null, from_webhook/override_* retained) and `ephemeral_text` goes to
 *   the clicker only. Answers {"status":"OK","trigger_id":…}.
 * - POST /actions/dialogs/open (no session: the trigger_id is the credential, ECDSA-signed, bound to the user, valid
 *   for the integration timeout in total): the dialog is published to that user (kept here in `dialogs`).
 * - POST /actions/dialogs/submit (session): POSTs SubmitDialogRequest (type dialog_submission, user_id from the
 *   session, team from the channel) to the dialog's URL and passes its {errors}/{error} answer back.
 * Integration URLs on loopback or private addresses are refused unless AllowedUntrustedInternalConnections lists the
 * host or a CIDR range holding its address (httpservice), as on a stock server.
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

import { AppError, errors } from './http';
import { newId } from './ids';
import type { Post, SeedUser, Store } from './state';

export interface InteractiveConfig {
	/** ServiceSettings.OutgoingIntegrationRequestsTimeout in seconds (default 30): integration answers and trigger ids. */
	integrationTimeoutSeconds: number;
	/** ServiceSettings.AllowedUntrustedInternalConnections: hosts and CIDR ranges, space- or comma-separated. */
	allowedUntrustedInternalConnections: string;
}

export interface EphemeralPost {
	id: string;
	user_id: string;
	channel_id: string;
	root_id: string;
	message: string;
	create_at: number;
}

export interface OpenedDialog {
	user_id: string;
	trigger_id: string;
	url: string;
	dialog: Record<string, unknown>;
	opened_at: number;
}

interface Action {
	id?: string;
	name?: string;
	type?: string;
	data_source?: string;
	integration?: { url?: string; context?: Record<string, unknown> };
}

const ACTION_FAILED = 'api.post.do_action.action_integration.app_error';
const actionFailed = (detail: string) => new AppError(400, ACTION_FAILED, 'Action integration error.', detail);
const USER_AGENT = 'Mattermost-Bot/1.1';
/** model.PostActionRetainPropKeys */
const RETAIN_PROPS = ['from_webhook', 'override_username', 'override_icon_url'];
/** httpservice reservedIPRanges: never reachable for untrusted integration requests. */
const RESERVED = ['0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];
const RESERVED_V6 = ['::/128', '::1/128', 'fc00::/7', 'fe80::/10'];

const reserved = new BlockList();
for (const range of RESERVED) reserved.addSubnet(range.split('/')[0], Number(range.split('/')[1]), 'ipv4');
for (const range of RESERVED_V6) reserved.addSubnet(range.split('/')[0], Number(range.split('/')[1]), 'ipv6');

const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** model.ParseSlackLinksToMarkdown: <url|text> → [text](url). */
function slackLinksToMarkdown(text: string): string {
	return text.replace(/<([^<>|]+)\|([^<>]+)>/g, '[$2]($1)');
}

function actionsOf(post: Post): Action[] {
	const attachments = post.props?.attachments;
	if (!Array.isArray(attachments)) return [];
	return attachments.flatMap((a) => (Array.isArray((a as { actions?: unknown }).actions) ? ((a as { actions: Action[] }).actions) : []));
}

export class Interactions {
	readonly ephemerals: EphemeralPost[] = [];
	readonly dialogs: OpenedDialog[] = [];
	private readonly keys: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

	constructor(
		private readonly store: Store,
		readonly config: InteractiveConfig,
	) {}

	reset(): void {
		this.ephemerals.length = 0;
		this.dialogs.length = 0;
	}

	/** read_channel: members, or team members for public channels. */
	private canRead(channelId: string, userId: string): boolean {
		const channel = this.store.channels.get(channelId);
		if (!channel) return false;
		if (this.store.isMember(channelId, userId)) return true;
		return channel.type === 'O' && this.store.isTeamMember(channel.team_id, userId);
	}

	/** GenerateTriggerId: base64(clientTriggerId:userId:millis:base64(ECDSA signature of the first three)). */
	private triggerId(userId: string): string {
		const payload = `${newId()}:${userId}:${Date.now()}`;
		const signature = sign('sha256', Buffer.from(payload), this.keys.privateKey).toString('base64');
		return Buffer.from(`${payload}:${signature}`).toString('base64');
	}

	/** DecodeAndVerifyTriggerId: the user the trigger id was made for, or the server's 400. */
	private verifyTriggerId(triggerId: unknown): { userId: string; clientTriggerId: string } {
		const decoded = typeof triggerId === 'string' ? Buffer.from(triggerId, 'base64').toString('utf8') : '';
		if (!decoded) {
			throw new AppError(400, 'interactive_message.decode_trigger_id.base64_decode_failed', 'Failed to decode base64 for trigger ID for interactive dialog.');
		}
		const parts = decoded.split(':');
		if (parts.length !== 4) {
			throw new AppError(400, 'interactive_message.decode_trigger_id.missing_data', 'Trigger ID missing required data for interactive dialog.');
		}
		const [clientTriggerId, userId, millis, signature] = parts;
		const timeoutMs = this.config.integrationTimeoutSeconds * 1000;
		if (Date.now() - Number(millis) > timeoutMs) {
			throw new AppError(
				400,
				'interactive_message.decode_trigger_id.expired',
				`Trigger ID for interactive dialog is expired. Trigger IDs live for a maximum of ${this.config.integrationTimeoutSeconds}s.`,
			);
		}
		const valid = verify('sha256', Buffer.from(`${clientTriggerId}:${userId}:${millis}`), this.keys.publicKey, Buffer.from(signature, 'base64'));
		if (!valid) {
			throw new AppError(400, 'interactive_message.decode_trigger_id.verify_signature_failed', 'Signature verification failed of trigger ID for interactive dialog.');
		}
		return { userId, clientTriggerId };
	}

	/** dialContextFilter: loopback/private/own addresses only when AllowedUntrustedInternalConnections allows them. */
	private async checkAddress(rawUrl: string): Promise<void> {
		let url: URL;
		try {
			url = new URL(rawUrl);
		} catch {
			throw actionFailed('parse "' + rawUrl + '": invalid URL');
		}
		const host = url.hostname.replace(/^\[|\]$/g, '');
		const allowed = this.config.allowedUntrustedInternalConnections.split(/[\s,]+/).filter(Boolean);
		if (allowed.includes(host)) return;
		const address = isIP(host) ? host : (await lookup(host).catch(() => ({ address: '' }))).address;
		if (!address) throw actionFailed(`err=dial tcp: lookup ${host}: no such host`);
		if (!reserved.check(address, family(address))) return;
		const ranges = new BlockList();
		for (const entry of allowed) {
			const [ip, bits] = entry.split('/');
			if (bits !== undefined && isIP(ip)) ranges.addSubnet(ip, Number(bits), family(ip));
		}
		if (ranges.check(address, family(address))) return;
		throw actionFailed(
			`err=Post "${rawUrl}": address forbidden, you may need to set AllowedUntrustedInternalConnections to allow an integration access to your internal network`,
		);
	}

	/** DoActionRequest: POST JSON, 200 only, within the integration timeout. Answers the body text. */
	private async integrationRequest(url: string, body: unknown): Promise<string> {
		await this.checkAddress(url);
		let response: Response;
		try {
			response = await fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': USER_AGENT },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(this.config.integrationTimeoutSeconds * 1000),
			});
		} catch (error) {
			const reason = (error as Error).name === 'TimeoutError' ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' : (error as Error).message;
			throw actionFailed(`err=Post "${url}": ${reason}`);
		}
		const text = await response.text();
		if (response.status !== 200) throw actionFailed(`status=${response.status}`);
		return text;
	}

	async doPostAction(postId: string, actionId: string, body: unknown, caller: SeedUser): Promise<{ status: number; json: unknown }> {
		const post = this.store.posts.get(postId);
		if (!post || post.delete_at) {
			// SessionHasPermissionToChannelByPost fails first for a post that does not exist.
			throw errors.permissions('userId=' + caller.id + ', permission=read_channel');
		}
		if (!this.canRead(post.channel_id, caller.id)) throw errors.permissions('userId=' + caller.id + ', permission=read_channel');
		const action = actionsOf(post).find((a) => a.id === actionId);
		if (!action?.integration) throw new AppError(404, 'api.post.do_action.action_id.app_error', 'Unable to find the action.', `action=${JSON.stringify(action ?? null)}`);
		const channel = this.store.channels.get(post.channel_id)!;
		const team = channel.team_id ? this.store.teams.get(channel.team_id) : undefined;
		const selected = body && typeof body === 'object' ? String((body as { selected_option?: unknown }).selected_option ?? '') : '';
		const context: Record<string, unknown> | undefined = action.integration.context ? { ...action.integration.context } : undefined;
		const request: Record<string, unknown> = {
			user_id: caller.id,
			user_name: caller.username,
			channel_id: post.channel_id,
			channel_name: channel.name,
			team_id: channel.team_id,
			team_domain: team?.name ?? '',
			post_id: post.id,
			trigger_id: this.triggerId(caller.id),
			type: action.type ?? '',
			data_source: '',
		};
		if (action.type === 'select' && selected) {
			request.data_source = action.data_source ?? '';
			request.context = { ...(context ?? {}), selected_option: selected };
		} else if (context) {
			request.context = context;
		}
		const text = await this.integrationRequest(String(action.integration.url ?? ''), request);
		let response: { update?: Partial<Post> | null; ephemeral_text?: string; skip_slack_parsing?: boolean } = {};
		if (text.length > 0) {
			try {
				response = JSON.parse(text);
			} catch (error) {
				throw actionFailed((error as Error).message);
			}
			if (!response || typeof response !== 'object' || Array.isArray(response)) throw actionFailed('json: cannot unmarshal into PostActionIntegrationResponse');
		}
		const rootId = post.root_id || post.id;
		if (response.update) this.applyUpdate(post, response.update);
		if (response.ephemeral_text) {
			this.ephemerals.push({
				id: newId(),
				user_id: caller.id,
				channel_id: post.channel_id,
				root_id: rootId,
				message: response.skip_slack_parsing ? response.ephemeral_text : slackLinksToMarkdown(response.ephemeral_text),
				create_at: this.store.now(),
			});
		}
		return { status: 200, json: { status: 'OK', trigger_id: request.trigger_id } };
	}

	private applyUpdate(post: Post, update: Partial<Post>): void {
		const props = update.props;
		let next: Record<string, unknown>;
		if (props === undefined || props === null) {
			next = post.props;
		} else {
			next = { ...props };
			for (const key of RETAIN_PROPS) {
				if (key in post.props) next[key] = post.props[key];
				else delete next[key];
			}
		}
		const now = this.store.now();
		const message = typeof update.message === 'string' ? update.message : '';
		if (message !== post.message) post.edit_at = now;
		post.message = message;
		post.props = next;
		post.update_at = now;
	}

	openDialog(body: unknown): { status: number; json: unknown } {
		if (!body || typeof body !== 'object') throw errors.invalidBodyParam('dialog');
		const request = body as { trigger_id?: unknown; url?: unknown; dialog?: Record<string, unknown> };
		if (!request.url) throw errors.invalidBodyParam('url');
		const { userId, clientTriggerId } = this.verifyTriggerId(request.trigger_id);
		this.dialogs.push({ user_id: userId, trigger_id: clientTriggerId, url: String(request.url), dialog: request.dialog ?? {}, opened_at: this.store.now() });
		return { status: 200, json: { status: 'OK' } };
	}

	async submitDialog(body: unknown, caller: SeedUser): Promise<{ status: number; json: unknown }> {
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.invalidBodyParam('dialog');
		const submit = body as Record<string, unknown>;
		if (!submit.url) throw errors.invalidBodyParam('url');
		const channelId = String(submit.channel_id ?? '');
		if (!this.canRead(channelId, caller.id)) throw errors.permissions('userId=' + caller.id + ', permission=read_channel');
		const channel = this.store.channels.get(channelId)!;
		const request = {
			type: 'dialog_submission',
			callback_id: String(submit.callback_id ?? ''),
			state: String(submit.state ?? ''),
			user_id: caller.id,
			channel_id: channelId,
			team_id: channel.team_id,
			submission: submit.submission && typeof submit.submission === 'object' ? submit.submission : {},
			cancelled: submit.cancelled === true,
		};
		const text = await this.integrationRequest(String(submit.url), request);
		let answer: { error?: unknown; errors?: unknown } = {};
		try {
			answer = text ? JSON.parse(text) : {};
		} catch {
			// Don't fail, an empty response is acceptable (SubmitInteractiveDialog ignores what it cannot decode).
		}
		const json: Record<string, unknown> = {};
		if (typeof answer?.error === 'string' && answer.error) json.error = answer.error;
		if (answer?.errors && typeof answer.errors === 'object') json.errors = answer.errors;
		return { status: 200, json };
	}
}

/** The routes this module serves, with whether they need a session. */
export function interactiveRoute(method: string, path: string): { kind: 'action' | 'open' | 'submit'; params: Record<string, string>; auth: boolean } | undefined {
	if (method !== 'POST') return undefined;
	const action = /^\/api\/v4\/posts\/([^/]+)\/actions\/([A-Za-z0-9]+)$/.exec(path);
	if (action) return { kind: 'action', params: { post_id: action[1], action_id: action[2] }, auth: true };
	if (path === '/api/v4/actions/dialogs/open') return { kind: 'open', params: {}, auth: false };
	if (path === '/api/v4/actions/dialogs/submit') return { kind: 'submit', params: {}, auth: true };
	return undefined;
}

export async function handleInteractive(
	interactions: Interactions,
	route: NonNullable<ReturnType<typeof interactiveRoute>>,
	json: unknown,
	caller: SeedUser,
): Promise<{ status: number; json: unknown }> {
	if (route.kind === 'action') {
		if (!/^[a-z0-9]{26}$/.test(route.params.post_id)) throw errors.invalidUrlParam('post_id');
		return await interactions.doPostAction(route.params.post_id, route.params.action_id, json, caller);
	}
	if (route.kind === 'open') return interactions.openDialog(json);
	return await interactions.submitDialog(json, caller);
}

/**
 * Post.StripActionIntegrations, which the server applies to every post it hands out (EncodeJSON/ToJSON): buttons and
 * menus lose their `integration` (URL and context), which only the server keeps. Any JSON value; posts are found by
 * their `props.attachments[].actions`.
 */
export function stripActionIntegrations<T>(value: T): T {
	if (Array.isArray(value)) return value.map(stripActionIntegrations) as T;
	if (!value || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		if (key === 'actions' && Array.isArray(inner)) {
			out[key] = inner.map((action) => {
				if (!action || typeof action !== 'object') return action;
				const { integration: _integration, ...rest } = action as Record<string, unknown>;
				return rest;
			});
		} else {
			out[key] = stripActionIntegrations(inner);
		}
	}
	return out as T;
}

/**
 * n8n's signed resume URLs authorise resuming an execution: like tokens and hook ids, their `signature` stays out of
 * what the stand-in records and logs.
 */
export function redactSignatures<T>(value: T): T {
	if (value === undefined) return value;
	const text = JSON.stringify(value);
	if (!text || !text.includes('signature=')) return value;
	return JSON.parse(text.replace(/([?&]signature=)[^&"\\\s]+/g, '$1[redacted]')) as T;
}
