/**
 * What Send Message and Send and Wait for Response share to post through the delivery protocol (core/mattermost
 * deliver): the Mattermost port and the stable pending_post_id of each post.
 */
import { createHash } from 'node:crypto';
import type { Post } from '@mattermost/types/posts';
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import type { DeliveryPort } from '../../../core/mattermost';
import { mattermostErrorId, POST_KEY_PROP, type MattermostClient } from '../../transport';
import type { ExecutionState } from '../common';

/** The server refuses a reply whose root is gone (deleted by someone or by a retention policy). */
const DEAD_ROOT_ERROR = 'api.post.create_post.root_id.app_error';
const PRIORITY_OFF_ERROR = 'api.post.post_priority.priority_post_not_allowed_for_user.request_error';

export function deliveryPort(client: MattermostClient): DeliveryPort {
	return {
		// The pending_post_id again in props, where a repeat can find it by reading the channel (see POST_KEY_PROP).
		createPost: (post) => client.createPost({ ...post, props: { [POST_KEY_PROP]: post.pending_post_id, ...post.props } } as unknown as Post),
		getPosts: (channelId, page, perPage) => client.getPosts(channelId, page, perPage),
		getPost: (postId) => client.getPost(postId),
		patchPost: (patch) => client.patchPost(patch),
		sleep,
		refusal: (error) => {
			const id = mattermostErrorId(error);
			return id === PRIORITY_OFF_ERROR ? 'priorityOff' : id === DEAD_ROOT_ERROR ? 'deadRoot' : undefined;
		},
	};
}

/**
 * A stable pending_post_id for one post of one execution: the same item, recipient channel and part always get the
 * same id, so when a retry repeats a POST /posts the server already handled (answer lost, connection dropped), it
 * returns the existing post instead of creating a second one. Mattermost remembers these ids for 30 s per user;
 * the retry policy never repeats a post after 25 s. The execution's random nonce keeps two executions (or two
 * runs of the node in one execution) from ever sharing an id, which would silently drop the second message.
 */
export function pendingPostId(
	ctx: IExecuteFunctions,
	state: ExecutionState,
	userId: string,
	itemIndex: number,
	channelId: string,
	part: number,
) {
	const digest = createHash('sha256')
		.update([state.nonce, ctx.getExecutionId(), ctx.getNode().id, itemIndex, channelId, part].join('|'))
		.digest('hex')
		.slice(0, 26);
	return `${userId}:${digest}`;
}
