/**
 * Send Message around the delivery protocol: the pending_post_id of each post, what the server's refusals mean to the
 * protocol, and the node's output for one delivery.
 */
import { createHash } from 'node:crypto';

import type { Delivered, Refusal } from './deliver';

/** The server refuses a reply whose root is gone (deleted by someone or by a retention policy). */
export const DEAD_ROOT_ERROR = 'api.post.create_post.root_id.app_error';
export const PRIORITY_OFF_ERROR = 'api.post.post_priority.priority_post_not_allowed_for_user.request_error';
export const ARCHIVED_CHANNEL_ERROR = 'api.post.create_post.can_not_post_to_deleted.error';

/** What a refused createPost (by its Mattermost error id) means for the delivery protocol. */
export function refusalOf(errorId: string | undefined): Refusal | undefined {
	return errorId === PRIORITY_OFF_ERROR ? 'priorityOff' : errorId === DEAD_ROOT_ERROR ? 'deadRoot' : undefined;
}

/**
 * A stable pending_post_id for one post: the same `seed` (execution nonce, execution, node, item, channel, part)
 * always gives the same id, so when a retry repeats a POST /posts the server already handled (answer lost, connection
 * dropped), it returns the existing post instead of creating a second one. Mattermost remembers these ids for 30 s per
 * user; the retry policy never repeats a post after 25 s. The execution's random nonce keeps two executions (or two
 * runs of the node in one execution) from ever sharing an id, which would silently drop the second message.
 */
export function pendingPostId(userId: string, seed: Array<string | number>): string {
	const digest = createHash('sha256').update(seed.join('|')).digest('hex').slice(0, 26);
	return `${userId}:${digest}`;
}

/** What one delivery to one channel outputs. */
export function sendOutput(
	delivered: Delivered,
	target: { channelId: string; sentTo: Record<string, unknown> },
	keys: { threadKey: string; idempotencyKey: string },
): Record<string, unknown> {
	const { threadKey, idempotencyKey } = keys;
	if (delivered.reused) {
		const json: Record<string, unknown> = {
			id: delivered.postId,
			channel_id: target.channelId,
			root_id: delivered.rootId,
			sentTo: target.sentTo,
			idempotencyKey,
			reused: true,
		};
		if (threadKey) json.threadKey = threadKey;
		return json;
	}
	const { posts, fileIds, warnings, threadRestarted } = delivered;
	const first = posts[0];
	const json: Record<string, unknown> = {
		id: first.id,
		channel_id: first.channel_id,
		root_id: first.root_id,
		create_at: first.create_at,
		message: first.message,
		sentTo: target.sentTo,
	};
	if (threadKey) json.threadKey = threadKey;
	if (idempotencyKey) json.idempotencyKey = idempotencyKey;
	if (fileIds.length) json.file_ids = fileIds;
	if (posts.length > 1) json.posts = posts.map((p) => ({ id: p.id, channel_id: p.channel_id, root_id: p.root_id, create_at: p.create_at }));
	if (threadRestarted) json.threadRestarted = true;
	if (warnings.length) json.warnings = warnings;
	return json;
}
