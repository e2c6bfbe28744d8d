import { AppError, mediaType as mediaTypeOf, parseJson, parseMultipart, parseUrlEncoded } from './http';
import type { MattermostApi } from './api';
import type { Channel, Post, Store } from './state';

/** What the real server returns for a webhook request: 200 text/plain "ok", or an AppError (status from the inner error). */
export type WebhookOutcome = { ok: true; posts: Post[]; parsedBody: unknown } | { ok: false; error: AppError; parsedBody: unknown };

const RESERVED_PROPS = ['from_webhook', 'override_username', 'override_icon_url', 'override_icon_emoji', 'webhook_display_name', 'from_bot'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** decodePayload: JSON, retried once with raw newlines/tabs escaped (a common mistake in hand-written payloads). */
function decodePayload(text: string): { ok: true; value: unknown } | { ok: false } {
	const first = parseJson(Buffer.from(text));
	if (first.ok) return first;
	const second = parseJson(Buffer.from(text.replace(/\n/g, '\\n').replace(/\t/g, '\\t')));
	return second.ok ? second : { ok: false };
}

/** Slack compatibility the server applies to webhook text and attachments. */
function processSlackText(text: string, store: Store): string {
	return text
		.replace(/<!(channel|here|all)>/gi, (_m, word: string) => `@${word.toLowerCase()}`)
		.replace(/<@([a-z0-9]{26})>/g, (m, id: string) => {
			const user = store.users.get(id);
			return user ? `@${user.username}` : m;
		})
		.replace(/<([^|<>]+)\|([^|<>]+)>/g, '[$2]($1)');
}

function processAttachments(attachments: unknown[], store: Store): unknown[] {
	return attachments.map((attachment) => {
		if (!isPlainObject(attachment)) return attachment;
		const copy = structuredClone(attachment);
		for (const key of ['pretext', 'text', 'title']) if (typeof copy[key] === 'string') copy[key] = processSlackText(copy[key] as string, store);
		if (Array.isArray(copy.fields)) {
			copy.fields = copy.fields.map((field) =>
				isPlainObject(field) && typeof field.value === 'string' ? { ...field, value: processSlackText(field.value, store) } : field,
			);
		}
		return copy;
	});
}

/** splitWebhookPost: webhook text longer than MaxPostSize becomes consecutive posts; attachments go on the last one. */
function splitText(text: string, maxRunes: number): string[] {
	const chars = [...text];
	const chunks: string[] = [];
	for (let i = 0; i < chars.length; i += maxRunes) chunks.push(chars.slice(i, i + maxRunes).join(''));
	return chunks.length ? chunks : [''];
}

const WEBHOOK_BODY_LIMIT = 300_000;

/**
 * web/webhook.go wraps every failure: the id is always the general one, the message names the media type and the hook
 * id (the secret in the URL), the inner error's id and text are only in detailed_error (blanked unless developer
 * mode), and the status is the inner error's.
 */
function wrapped(status: number, inner: string, message: string, hookId: string, type: string): AppError {
	return new AppError(
		status,
		'web.incoming_webhook.general.app_error',
		`Failed to handle the payload of media type ${type || 'application/json'} for incoming webhook ${hookId}.`,
		`${inner}: ${message}`,
	);
}

export function handleIncomingWebhook(
	hookId: string,
	raw: Buffer,
	contentType: string | undefined,
	store: Store,
	api: MattermostApi,
): WebhookOutcome {
	const type = mediaTypeOf(contentType);
	const fail = (status: number, inner: string, message: string, parsedBody: unknown): WebhookOutcome => ({
		ok: false,
		error: wrapped(status, inner, message, hookId, type),
		parsedBody,
	});
	if (raw.length > WEBHOOK_BODY_LIMIT) {
		return { ok: false, error: new AppError(413, 'api.context.request_body_too_large.app_error', 'The request body is too large.'), parsedBody: undefined };
	}
	let payload: unknown;
	let parsedBody: unknown;
	if (type === 'application/x-www-form-urlencoded') {
		const form = parseUrlEncoded(raw);
		parsedBody = form;
		const decoded = decodePayload(form.payload ?? '');
		if (!decoded.ok) return fail(400, 'web.incoming_webhook.decode.app_error', 'Unable to decode the multipart data for incoming webhook.', parsedBody);
		payload = decoded.value;
	} else if (type === 'multipart/form-data') {
		try {
			const fields = Object.fromEntries(
				parseMultipart(raw, contentType ?? '')
					.filter((p) => p.kind === 'field')
					.map((p) => [p.name, p.value]),
			);
			parsedBody = fields;
			payload = fields;
		} catch {
			return fail(400, 'web.incoming_webhook.parse_form.app_error', 'Unable to parse the multipart form.', raw.toString('utf8'));
		}
	} else {
		const decoded = decodePayload(raw.toString('utf8'));
		parsedBody = decoded.ok ? decoded.value : raw.toString('utf8');
		if (!decoded.ok) return fail(400, 'web.incoming_webhook.decode.app_error', 'Unable to decode the incoming webhook payload.', parsedBody);
		payload = decoded.value;
	}

	// HandleIncomingWebhook checks the text before it looks the hook up: an empty payload says nothing about the hook.
	if (!isPlainObject(payload)) return fail(400, 'web.incoming_webhook.parse.app_error', 'Unable to parse incoming data.', parsedBody);
	const text = typeof payload.text === 'string' ? payload.text : '';
	const attachments = Array.isArray(payload.attachments) ? payload.attachments : undefined;
	if (!text && !attachments) return fail(400, 'web.incoming_webhook.text.app_error', 'No text specified.', parsedBody);
	const hook = store.hooks.get(hookId);
	if (!hook) return fail(400, 'web.incoming_webhook.invalid.app_error', 'Invalid webhook.', parsedBody);
	const postType = typeof payload.type === 'string' ? payload.type : '';
	if (postType && !postType.startsWith('custom_')) return fail(400, 'web.incoming_webhook.type.app_error', 'Invalid post type.', parsedBody);

	const hookChannel = store.channels.get(hook.channel_id)!;
	const channelName = typeof payload.channel === 'string' ? payload.channel : '';
	let channel: Channel | undefined;
	if (!channelName) {
		channel = hookChannel;
	} else if (channelName.startsWith('@')) {
		const user = store.userByUsername(channelName.slice(1));
		if (!user) return fail(400, 'web.incoming_webhook.user.app_error', "Couldn't find the user.", parsedBody);
		channel = api.directChannel(hook.user_id, user.id, hook.user_id);
	} else {
		channel = store.channelByName(hookChannel.team_id, channelName.replace(/^#/, ''));
		if (!channel) return fail(404, 'web.incoming_webhook.channel.app_error', "Couldn't find the channel.", parsedBody);
	}
	if (hook.channel_locked && channel.id !== hook.channel_id) {
		return fail(403, 'web.incoming_webhook.channel_locked.app_error', 'This webhook is not permitted to post to the requested channel.', parsedBody);
	}
	if (channel.type !== 'O' && !store.isMember(channel.id, hook.user_id)) {
		return fail(403, 'web.incoming_webhook.permissions.app_error', 'Inappropriate channel permissions.', parsedBody);
	}
	if (channel.delete_at) {
		return fail(500, 'api.post.create_webhook_post.creating.app_error', 'Error creating post.', parsedBody);
	}
	const priority = payload.priority;
	if (priority !== undefined && (!isPlainObject(priority) || typeof priority.priority !== 'string')) {
		return fail(400, 'api.post.post_priority.invalid_priority.request_error', 'Invalid post priority.', parsedBody);
	}

	const props: Record<string, unknown> = {};
	if (isPlainObject(payload.props)) {
		// Only the top-level attachments are used; props.attachments from the payload is dropped.
		for (const [key, value] of Object.entries(payload.props)) if (!RESERVED_PROPS.includes(key) && key !== 'attachments') props[key] = value;
	}
	props.from_webhook = 'true';
	props.webhook_display_name = hook.display_name ?? '';
	// Name and icon overrides are silently ignored unless EnablePostUsernameOverride / EnablePostIconOverride (both
	// off by default); with the username override on and no name given, the name is "webhook".
	const { EnablePostUsernameOverride, EnablePostIconOverride } = api.config.settings;
	if (EnablePostUsernameOverride) {
		props.override_username = (typeof payload.username === 'string' && payload.username) || hook.username || 'webhook';
	}
	if (EnablePostIconOverride) {
		const iconUrl = (typeof payload.icon_url === 'string' && payload.icon_url) || hook.icon_url || '';
		if (iconUrl) props.override_icon_url = iconUrl;
		if (typeof payload.icon_emoji === 'string' && payload.icon_emoji) props.override_icon_emoji = payload.icon_emoji;
	}

	const chunks = splitText(processSlackText(text, store), api.config.maxPostSize);
	const posts = chunks.map((message, index) => {
		const last = index === chunks.length - 1;
		const postProps = structuredClone(props);
		if (last && attachments) postProps.attachments = processAttachments(attachments, store);
		return api.insertPost({
			channel_id: channel.id,
			user_id: hook.user_id,
			message,
			type: attachments ? 'slack_attachment' : postType,
			props: postProps,
			metadata: isPlainObject(priority) && index === 0 ? { priority: { priority: priority.priority, requested_ack: false, persistent_notifications: false } } : {},
		});
	});
	return { ok: true, posts, parsedBody };
}
