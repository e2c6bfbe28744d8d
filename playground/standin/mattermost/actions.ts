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
import { AppError, errors } from './http';
import { newId } from './ids';
import { actionFailed, integrationRequest, type InteractiveConfig } from './integration-request';
import type { Post, SeedUser, Store } from './state';
import { TriggerIds } from './trigger-ids';

export { redactSignatures, stripActionIntegrations } from './client-view';
export { handleInteractive, interactiveRoute } from './interactive-routes';
export type { InteractiveConfig } from './integration-request';

/** model.PostActionRetainPropKeys */
const RETAIN_PROPS = ['from_webhook', 'override_username', 'override_icon_url'];

/** model.ParseSlackLinksToMarkdown: <url|text> → [text](url). */
function slackLinksToMarkdown(text: string): string {
	return text.replace(/<([^<>|]+)\|([^<>]+)>/g, '[$2]($1)');
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

function actionsOf(post: Post): Action[] {
	const attachments = post.props?.attachments;
	if (!Array.isArray(attachments)) return [];
	return attachments.flatMap((a) => (Array.isArray((a as { actions?: unknown }).actions) ? ((a as { actions: Action[] }).actions) : []));
}

export class Interactions {
	readonly ephemerals: EphemeralPost[] = [];
	readonly dialogs: OpenedDialog[] = [];
	private readonly triggerIds = new TriggerIds();

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
			trigger_id: this.triggerIds.make(caller.id),
			type: action.type ?? '',
			data_source: '',
		};
		if (action.type === 'select' && selected) {
			request.data_source = action.data_source ?? '';
			request.context = { ...(context ?? {}), selected_option: selected };
		} else if (context) {
			request.context = context;
		}
		const text = await integrationRequest(this.config, String(action.integration.url ?? ''), request);
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
		const { userId, clientTriggerId } = this.triggerIds.verify(request.trigger_id, this.config.integrationTimeoutSeconds);
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
		const text = await integrationRequest(this.config, String(submit.url), request);
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
