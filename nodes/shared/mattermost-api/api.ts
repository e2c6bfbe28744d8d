/**
 * The Mattermost REST routes this package calls, typed with @mattermost/types (types only), each one request through
 * mattermostRequest. Stateless: what differs per item (the item, its Retries and Timeout) comes with every call.
 */
import type { Channel } from '@mattermost/types/channels';
import type { ClientConfig } from '@mattermost/types/config';
import type { FileUploadResponse } from '@mattermost/types/files';
import type { Post, PostList } from '@mattermost/types/posts';
import type { Reaction } from '@mattermost/types/reactions';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { encodePathSegment } from '../../core/text';
import type { MattermostContext } from './credential';
import { mattermostRequest, type Call, type MattermostCallOptions } from './request';

/**
 * The prop that carries a post's pending_post_id. Mattermost forgets that id after 30 s, after a 5xx that came once
 * the post was saved, and on another node of a cluster without a shared cache; the marker lets a repeat find the post
 * by reading the channel instead.
 */
export const POST_KEY_PROP = 'n8n_post_key';
/** How far back the channel is read for a post an unanswered attempt may have made (clocks may differ a little). */
const READ_BACK_MS = 5 * 60_000;

/** A new post: what createPost sends (the delivery protocol's posts, and any partial Post). */
export type NewPost = Omit<Partial<Post>, 'metadata' | 'props'> & {
	channel_id: string;
	message: string;
	pending_post_id?: string;
	props?: Record<string, unknown>;
	metadata?: { priority?: { priority?: string } };
};
/** A post patch: PUT posts/{id}/patch replaces what it names (props as a whole). */
export interface PostPatch {
	id: string;
	message?: string;
	props?: Record<string, unknown>;
}

const id = (value: string) => encodePathSegment(value);

export class MattermostApi {
	constructor(readonly ctx: MattermostContext) {}

	private async send<T>(method: IHttpRequestMethods, path: string, call: MattermostCallOptions, body?: IDataObject | IDataObject[] | string[] | Buffer, qs?: IDataObject) {
		return await mattermostRequest<T>(this.ctx, { method, path, body, qs }, call);
	}

	getMe(call: Call): Promise<UserProfile> {
		return this.send('GET', '/users/me', call);
	}

	/** format=old keeps pre-v11 servers answering. */
	getClientConfig(call: Call): Promise<ClientConfig> {
		return this.send('GET', '/config/client?format=old', call);
	}

	/** Unknown usernames are simply absent from the answer. */
	getProfilesByUsernames(usernames: string[], call: Call): Promise<UserProfile[]> {
		return this.send('POST', '/users/usernames', call, usernames);
	}

	getProfilesByIds(userIds: string[], call: Call): Promise<UserProfile[]> {
		return this.send('POST', '/users/ids', call, userIds);
	}

	getUser(userId: string, call: Call): Promise<UserProfile> {
		return this.send('GET', `/users/${id(userId)}`, call);
	}

	getUserByEmail(email: string, call: Call): Promise<UserProfile> {
		return this.send('GET', `/users/email/${id(email)}`, call);
	}

	/** GET users?in_channel: a channel's members, a page at a time. */
	getProfilesInChannel(channelId: string, page: number, perPage: number, options: { active?: boolean }, call: Call): Promise<UserProfile[]> {
		return this.send('GET', '/users', call, undefined, { in_channel: channelId, page, per_page: perPage, ...options });
	}

	/** Get-or-create: the existing DM channel when there is one. */
	createDirectChannel(userIds: [string, string], call: Call): Promise<Channel> {
		return this.send('POST', '/channels/direct', call, userIds);
	}

	createGroupChannel(userIds: string[], call: Call): Promise<Channel> {
		return this.send('POST', '/channels/group', call, userIds);
	}

	getChannelByNameAndTeamName(team: string, channel: string, call: Call): Promise<Channel> {
		return this.send('GET', `/teams/name/${id(team)}/channels/name/${id(channel)}`, call, undefined, { include_deleted: false });
	}

	getMyTeams(call: Call): Promise<Team[]> {
		return this.send('GET', '/users/me/teams', call);
	}

	getMyChannels(teamId: string, call: Call): Promise<Channel[]> {
		return this.send('GET', `/users/me/teams/${id(teamId)}/channels`, call, undefined, { include_deleted: false });
	}

	/**
	 * POST /posts. A post with a pending_post_id carries it again in its props (POST_KEY_PROP), so that before a repeat
	 * the channel is read for the post an unanswered attempt may have made.
	 */
	createPost(post: NewPost, call: Call): Promise<Post> {
		const key = post.pending_post_id;
		if (!key) return this.send('POST', '/posts', call, post as unknown as IDataObject);
		const marked = { ...post, props: { [POST_KEY_PROP]: key, ...post.props } };
		return this.send('POST', '/posts', { ...call, findEarlier: this.earlierPost(post.channel_id, key, call) }, marked as unknown as IDataObject);
	}

	/** Reads the channel's recent posts for one carrying `key` in POST_KEY_PROP. */
	private earlierPost(channelId: string, key: string, call: Call): () => Promise<Post | undefined> {
		const since = Date.now() - READ_BACK_MS;
		return async () => {
			// Unreadable channel: nothing found, and the repeat relies on the server's dedupe as before.
			const list = await this.getPostsSince(channelId, since, { ...call, retries: 0 }).catch(() => undefined);
			return Object.values(list?.posts ?? {}).find((p) => !p.delete_at && (p.props as IDataObject | undefined)?.[POST_KEY_PROP] === key);
		};
	}

	getPost(postId: string, call: Call): Promise<Post> {
		return this.send('GET', `/posts/${id(postId)}`, call);
	}

	/** The channel's newest posts, a page at a time. */
	getPosts(channelId: string, page: number, perPage: number, call: Call): Promise<PostList> {
		return this.send('GET', `/channels/${id(channelId)}/posts`, call, undefined, { page, per_page: perPage });
	}

	/** The channel's posts made or changed since `since` (ms). */
	getPostsSince(channelId: string, since: number, call: Call): Promise<PostList> {
		return this.send('GET', `/channels/${id(channelId)}/posts`, call, undefined, { since });
	}

	getPostThread(rootId: string, call: Call): Promise<PostList> {
		return this.send('GET', `/posts/${id(rootId)}/thread`, call);
	}

	patchPost(patch: PostPatch, call: Call): Promise<Post> {
		return this.send('PUT', `/posts/${id(patch.id)}/patch`, call, patch as unknown as IDataObject);
	}

	/** Reactions are accepted only as the token's own user. */
	addReaction(userId: string, postId: string, emojiName: string, call: Call): Promise<Reaction> {
		return this.send('POST', '/reactions', call, { user_id: userId, post_id: postId, emoji_name: emojiName });
	}

	/** POST /files with one file; Mattermost reads channel_id before the files, so it goes first. */
	async uploadFile(channelId: string, file: { buffer: Buffer; fileName: string; mimeType: string }, call: Call): Promise<FileUploadResponse> {
		const form = new FormData();
		form.append('channel_id', channelId);
		form.append('files', new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }), file.fileName);
		// Encoded once up front so a retry sends the same bytes again.
		const encoded = new Response(form);
		const body = Buffer.from(await encoded.arrayBuffer());
		const headers = { 'Content-Type': encoded.headers.get('content-type') ?? 'multipart/form-data' };
		return await mattermostRequest(this.ctx, { method: 'POST', path: '/files', body, headers }, call);
	}

	/** Opens an interactive dialog for a trigger_id Mattermost gave with a click or a command. */
	openDialog(body: IDataObject, call: Call): Promise<unknown> {
		return this.send('POST', '/actions/dialogs/open', call, body);
	}
}
