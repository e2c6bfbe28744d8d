/**
 * The delivery protocol's way to Mattermost (core/mattermost deliver), shared by Send Message and Send and Wait for
 * Response, for one item.
 */
import { sleep } from 'n8n-workflow';

import { refusalOf, type DeliveryPort } from '../../../core/mattermost';
import { mattermostErrorId, type ItemCall, type MattermostSession } from '../../../shared/mattermost-api';

export function deliveryPort(session: MattermostSession, call: ItemCall): DeliveryPort {
	const { api } = session;
	return {
		createPost: (post) => api.createPost(post, call),
		getPosts: (channelId, page, perPage) => api.getPosts(channelId, page, perPage, call),
		getPost: (postId) => api.getPost(postId, call),
		patchPost: (patch) => api.patchPost(patch, call),
		sleep,
		refusal: (error) => refusalOf(mattermostErrorId(error)),
	};
}
