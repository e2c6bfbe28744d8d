import { newId, isValidId } from './ids';
import { AppError, errors, type FormPart } from './http';
import {
	channelMemberView,
	teamView,
	userView,
	type Channel,
	type FileInfo,
	type Post,
	type Reaction,
	type SeedUser,
	type Store,
} from './state';
import type { ServerSettings } from './settings';

export interface ApiRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	params: Record<string, string>;
	/** Parsed JSON body (undefined when absent). */
	json: unknown;
	/** Parsed form parts for multipart requests. */
	form?: FormPart[];
	raw: Buffer;
	mediaType: string;
	caller: SeedUser;
}

export interface ApiResult {
	status: number;
	json?: unknown;
	text?: string;
	binary?: { data: Buffer; contentType: string; filename: string };
}

export interface ApiConfig {
	maxPostSize: number;
	maxFileSize: number;
	/** Live: tests and the control API change them between requests. */
	settings: ServerSettings;
}

const PENDING_POST_TTL_MS = 30_000;
const POST_PROPS_MAX_RUNES = 800_000;
const FILE_IDS_MAX_RUNES = 300;

const RESERVED_USERNAMES = ['all', 'channel', 'matterbot', 'system', 'here'];

const runes = (text: string): number => [...text].length;

function requireArrayOfStrings(value: unknown, name: string): string[] {
	if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) throw errors.invalidBodyParam(name);
	return value as string[];
}

function pageParams(query: URLSearchParams, defaultPerPage = 60): { page: number; perPage: number } {
	const page = Number(query.get('page') ?? 0);
	const perPage = Number(query.get('per_page') ?? defaultPerPage);
	if (!Number.isInteger(page) || page < 0) throw errors.invalidUrlParam('page');
	if (!Number.isInteger(perPage) || perPage < 0) throw errors.invalidUrlParam('per_page');
	return { page, perPage: Math.min(perPage, 200) };
}

function paginate<T>(items: T[], query: URLSearchParams): T[] {
	const { page, perPage } = pageParams(query);
	return items.slice(page * perPage, page * perPage + perPage);
}

/** The server's hashtag parser, reduced to what matters for stored posts: words starting with # (not ##, not #123). */
function hashtagsOf(message: string): string {
	const tags = new Set<string>();
	for (const m of message.matchAll(/(?:^|[\s(])(#[A-Za-z][A-Za-z0-9._-]*[A-Za-z0-9])/g)) tags.add(m[1]);
	return [...tags].join(' ');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Mattermost API v4 behaviour, independent of HTTP plumbing. */
export class MattermostApi {
	constructor(
		private readonly store: Store,
		readonly config: ApiConfig,
	) {}

	// ---- users -------------------------------------------------------------------------------------------------

	private user(id: string): SeedUser {
		const user = this.store.users.get(id);
		if (!user) throw errors.userMissing();
		return user;
	}

	private resolveUserParam(req: ApiRequest): SeedUser {
		const id = req.params.user_id === 'me' ? req.caller.id : req.params.user_id;
		if (!isValidId(id)) throw errors.invalidUrlParam('user_id');
		return this.user(id);
	}

	/** sanitizeProfile: e-mails are blank for non-admins unless PrivacySettings.ShowEmailAddress (the own profile keeps it). */
	private userOut(user: SeedUser, caller: SeedUser): Record<string, unknown> {
		const view = userView(user, caller.id);
		if (!this.config.settings.ShowEmailAddress && user.id !== caller.id && !this.isAdmin(caller)) view.email = '';
		return view;
	}

	getUser(req: ApiRequest): ApiResult {
		return { status: 200, json: this.userOut(this.resolveUserParam(req), req.caller) };
	}

	getUserByUsername(req: ApiRequest): ApiResult {
		// RequireUsername → model.IsValidUsername: 1-64 of [a-z0-9.-_], not a reserved word. "Alice" is a 400, not a lookup.
		const username = req.params.username;
		if (!/^[a-z0-9.\-_]{1,64}$/.test(username) || RESERVED_USERNAMES.includes(username)) {
			throw new AppError(400, 'api.context.invalid_param.app_error', 'Invalid username parameter.');
		}
		const user = this.store.userByUsername(username);
		if (!user) throw errors.userMissing();
		return { status: 200, json: this.userOut(user, req.caller) };
	}

	getUserByEmail(req: ApiRequest): ApiResult {
		const email = req.params.email;
		if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw errors.invalidUrlParam('email');
		// Checked before the lookup: an existing user is a 403 too, so the answer says nothing about who exists.
		if (!this.config.settings.ShowEmailAddress && !this.isAdmin(req.caller)) {
			throw new AppError(403, 'api.user.get_user_by_email.permissions.app_error', 'Unable to get user by email.');
		}
		const user = this.store.userByEmail(email);
		if (!user) throw errors.userMissing();
		return { status: 200, json: this.userOut(user, req.caller) };
	}

	getUsersByUsernames(req: ApiRequest): ApiResult {
		// Exact match on the stored (lowercase) usernames; unknown names are silently left out.
		const names = new Set(requireArrayOfStrings(req.json, 'usernames'));
		const users = [...this.store.users.values()].filter((u) => names.has(u.username));
		return { status: 200, json: users.map((u) => this.userOut(u, req.caller)) };
	}

	getUsersByIds(req: ApiRequest): ApiResult {
		const ids = requireArrayOfStrings(req.json, 'user_ids');
		if (ids.some((id) => !isValidId(id))) throw errors.invalidBodyParam('user_ids');
		const users = [...new Set(ids)].map((id) => this.store.users.get(id)).filter((u): u is SeedUser => !!u);
		return { status: 200, json: users.map((u) => this.userOut(u, req.caller)) };
	}

	getUsers(req: ApiRequest): ApiResult {
		let users = [...this.store.users.values()];
		const inChannel = req.query.get('in_channel');
		const inTeam = req.query.get('in_team');
		const notInChannel = req.query.get('not_in_channel');
		if (inChannel !== null) {
			if (!isValidId(inChannel)) throw errors.invalidUrlParam('in_channel');
			// SessionHasPermissionToChannel(read_channel): membership. team_user has no read_channel, so a public
			// channel the caller has not joined is a 403 here, unlike GET channels/{id}.
			if (!this.store.channels.has(inChannel)) throw this.channelMissing();
			if (!this.store.isMember(inChannel, req.caller.id) && !this.isAdmin(req.caller)) throw errors.permissions();
			const members = new Set(this.store.membersOf(inChannel));
			users = users.filter((u) => members.has(u.id));
		}
		if (notInChannel !== null) {
			if (!isValidId(notInChannel)) throw errors.invalidUrlParam('not_in_channel');
			const members = new Set(this.store.membersOf(notInChannel));
			users = users.filter((u) => !members.has(u.id));
		}
		if (inTeam !== null) {
			if (!isValidId(inTeam)) throw errors.invalidUrlParam('in_team');
			if (!this.store.teams.has(inTeam)) throw this.teamMissing();
			if (!this.store.isTeamMember(inTeam, req.caller.id)) throw errors.permissions();
			users = users.filter((u) => this.store.isTeamMember(inTeam, u.id));
		}
		if (req.query.get('active') === 'true') users = users.filter((u) => !u.delete_at);
		if (req.query.get('inactive') === 'true') users = users.filter((u) => !!u.delete_at);
		users.sort((a, b) => a.username.localeCompare(b.username));
		return { status: 200, json: paginate(users, req.query).map((u) => this.userOut(u, req.caller)) };
	}

	// ---- teams -------------------------------------------------------------------------------------------------

	private teamMissing(): AppError {
		return new AppError(404, 'app.team.get.find.app_error', 'Unable to find the existing team.');
	}

	getTeamsForUser(req: ApiRequest): ApiResult {
		const user = this.resolveUserParam(req);
		if (user.id !== req.caller.id && !this.isAdmin(req.caller)) throw errors.permissions();
		const teams = [...this.store.teams.values()].filter((t) => this.store.isTeamMember(t.id, user.id));
		return { status: 200, json: teams.map(teamView) };
	}

	getTeam(req: ApiRequest): ApiResult {
		if (!isValidId(req.params.team_id)) throw errors.invalidUrlParam('team_id');
		const team = this.store.teams.get(req.params.team_id);
		if (!team) throw this.teamMissing();
		if (!this.store.isTeamMember(team.id, req.caller.id) && !this.isAdmin(req.caller)) throw errors.permissions();
		return { status: 200, json: teamView(team) };
	}

	getTeamByName(req: ApiRequest): ApiResult {
		const team = this.store.teamByName(req.params.team_name);
		if (!team) throw new AppError(404, 'app.team.get_by_name.missing.app_error', 'Unable to find the existing team.');
		if (!this.store.isTeamMember(team.id, req.caller.id) && !this.isAdmin(req.caller)) throw errors.permissions();
		return { status: 200, json: teamView(team) };
	}

	// ---- channels ----------------------------------------------------------------------------------------------

	private isAdmin(user: SeedUser): boolean {
		return (user.roles ?? '').split(' ').includes('system_admin');
	}

	private channelMissing(): AppError {
		return new AppError(404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
	}

	/** read_channel: members, or team members for public channels. */
	private canRead(channelId: string, userId: string): boolean {
		const channel = this.store.channels.get(channelId);
		const user = this.store.users.get(userId);
		if (!channel || !user) return false;
		if (this.store.isMember(channel.id, userId) || this.isAdmin(user)) return true;
		return channel.type === 'O' && this.store.isTeamMember(channel.team_id, userId);
	}

	private readableChannel(channelId: string, userId: string): Channel {
		const channel = this.store.channels.get(channelId);
		if (!channel) throw this.channelMissing();
		if (!this.canRead(channelId, userId)) throw errors.permissions();
		return channel;
	}

	getChannel(req: ApiRequest): ApiResult {
		if (!isValidId(req.params.channel_id)) throw errors.invalidUrlParam('channel_id');
		return { status: 200, json: this.readableChannel(req.params.channel_id, req.caller.id) };
	}

	private channelByNameResult(teamId: string, name: string, req: ApiRequest): ApiResult {
		const channel = this.store.channelByName(teamId, name);
		const hidden = channel?.type === 'P' && !this.store.isMember(channel.id, req.caller.id) && !this.isAdmin(req.caller);
		// A private channel the caller is not in answers like a missing one, so its existence does not leak.
		if (!channel || hidden || (channel.delete_at && req.query.get('include_deleted') !== 'true')) {
			throw new AppError(404, 'app.channel.get_by_name.missing.app_error', 'Unable to find the existing channel.');
		}
		return { status: 200, json: this.readableChannel(channel.id, req.caller.id) };
	}

	getChannelByName(req: ApiRequest): ApiResult {
		if (!isValidId(req.params.team_id)) throw errors.invalidUrlParam('team_id');
		if (!this.store.teams.has(req.params.team_id)) throw this.teamMissing();
		return this.channelByNameResult(req.params.team_id, req.params.channel_name, req);
	}

	getChannelByNameForTeamName(req: ApiRequest): ApiResult {
		const team = this.store.teamByName(req.params.team_name);
		if (!team) throw new AppError(404, 'app.team.get_by_name.missing.app_error', 'Unable to find the existing team.');
		return this.channelByNameResult(team.id, req.params.channel_name, req);
	}

	getChannelMembers(req: ApiRequest): ApiResult {
		if (!isValidId(req.params.channel_id)) throw errors.invalidUrlParam('channel_id');
		const channel = this.readableChannel(req.params.channel_id, req.caller.id);
		const rows = [...(this.store.channelMembers.get(channel.id) ?? new Map<string, number>()).entries()];
		return { status: 200, json: paginate(rows, req.query).map(([userId, at]) => channelMemberView(channel.id, userId, at)) };
	}

	/**
	 * Like the real GetChannelsForTeamForUser, the list also holds the user's direct and group channels (team_id '').
	 * Only channels the user is a member of are listed: a bot sees exactly the channels it was added to.
	 */
	getChannelsForTeamForUser(req: ApiRequest): ApiResult {
		const user = this.resolveUserParam(req);
		if (user.id !== req.caller.id && !this.isAdmin(req.caller)) throw errors.permissions();
		if (!isValidId(req.params.team_id)) throw errors.invalidUrlParam('team_id');
		if (!this.store.teams.has(req.params.team_id)) throw this.teamMissing();
		if (!this.store.isTeamMember(req.params.team_id, user.id)) throw errors.permissions();
		const includeDeleted = req.query.get('include_deleted') === 'true';
		const channels = [...this.store.channels.values()].filter(
			(c) =>
				(c.team_id === req.params.team_id || c.team_id === '') &&
				this.store.isMember(c.id, user.id) &&
				(includeDeleted || !c.delete_at),
		);
		return { status: 200, json: channels };
	}

	private newChannel(type: 'D' | 'G', name: string, displayName: string, creatorId: string, members: string[]): Channel {
		const at = this.store.now();
		const channel: Channel = {
			id: newId(),
			create_at: at,
			update_at: at,
			delete_at: 0,
			team_id: '',
			type,
			display_name: displayName,
			name,
			header: '',
			purpose: '',
			last_post_at: at,
			last_root_post_at: at,
			total_msg_count: 0,
			total_msg_count_root: 0,
			extra_update_at: 0,
			creator_id: creatorId,
			shared: false,
			group_constrained: null,
			policy_id: null,
		};
		this.store.channels.set(channel.id, channel);
		for (const userId of members) this.store.addMember(channel, userId, at);
		return channel;
	}

	/** GetOrCreateDirectChannel: the existing channel comes back, still with 201. */
	createDirectChannel(req: ApiRequest): ApiResult {
		// Exactly two ids; the self-DM is [me, me].
		const ids = requireArrayOfStrings(req.json, 'user_ids');
		if (ids.length !== 2 || ids.some((id) => !isValidId(id))) throw errors.invalidBodyParam('user_ids');
		if (!ids.includes(req.caller.id) && !this.isAdmin(req.caller)) throw errors.permissions();
		for (const id of ids) {
			if (!this.store.users.has(id)) {
				throw new AppError(400, 'api.channel.create_direct_channel.invalid_user.app_error', 'Invalid user ID for direct channel creation.');
			}
		}
		const name = this.store.directChannelName(ids[0], ids[1]);
		const existing = [...this.store.channels.values()].some((c) => c.type === 'D' && c.name === name);
		if (!existing && ids[0] !== ids[1] && this.restrictedBetween(ids)) {
			throw new AppError(
				403,
				'api.channel.create_channel.direct_channel.team_restricted_error',
				'A direct channel can not be created between these users because they do not share a team.',
			);
		}
		return { status: 201, json: this.directChannel(ids[0], ids[1], req.caller.id) };
	}

	directChannel(a: string, b: string, creatorId: string): Channel {
		const name = this.store.directChannelName(a, b);
		const existing = [...this.store.channels.values()].find((c) => c.type === 'D' && c.name === name);
		return existing ?? this.newChannel('D', name, '', creatorId, [a, b]);
	}

	/**
	 * TeamSettings.RestrictDirectMessage=team and the people share no team. In v11 a bot is exempt only when it is the
	 * system bot, plugin-owned or acting for its owner; a bot using its own token (this package) is not, nor is anyone
	 * else, system admins included.
	 */
	private restrictedBetween(userIds: string[]): boolean {
		if (this.config.settings.RestrictDirectMessage !== 'team') return false;
		const teams = [...this.store.teams.keys()];
		return !teams.some((teamId) => userIds.every((id) => this.store.isTeamMember(teamId, id)));
	}

	createGroupChannel(req: ApiRequest): ApiResult {
		const ids = [...new Set(requireArrayOfStrings(req.json, 'user_ids'))];
		if (ids.some((id) => !isValidId(id))) throw errors.invalidBodyParam('user_ids');
		if (!ids.includes(req.caller.id)) ids.push(req.caller.id);
		if (ids.length < 3 || ids.length > 8) {
			throw new AppError(400, 'api.channel.create_group.bad_size.app_error', 'Group message channels must contain at least 3 and no more than 8 users.');
		}
		const users = ids.map((id) => this.store.users.get(id));
		if (users.some((u) => !u || u.delete_at)) {
			throw new AppError(400, 'api.channel.create_group.bad_user.app_error', 'One of the provided users does not exist.');
		}
		const name = this.store.groupChannelName(ids);
		const existing = [...this.store.channels.values()].find((c) => c.type === 'G' && c.name === name);
		const displayName = users
			.map((u) => u!.username)
			.sort()
			.join(', ');
		return { status: 201, json: existing ?? this.newChannel('G', name, displayName, req.caller.id, ids) };
	}

	// ---- posts -------------------------------------------------------------------------------------------------

	private postView(post: Post): Post {
		return structuredClone(post);
	}

	/** Creates a post as `userId`; shared by POST /posts and incoming webhooks. */
	insertPost(fields: Partial<Post> & { channel_id: string; user_id: string; message: string }): Post {
		const at = this.store.now();
		const post: Post = {
			id: newId(),
			create_at: at,
			update_at: at,
			edit_at: 0,
			delete_at: 0,
			is_pinned: false,
			root_id: '',
			original_id: '',
			type: '',
			props: {},
			hashtags: hashtagsOf(fields.message),
			file_ids: [],
			pending_post_id: '',
			remote_id: '',
			reply_count: 0,
			last_reply_at: 0,
			participants: null,
			metadata: {},
			...fields,
		};
		this.store.posts.set(post.id, post);
		const channel = this.store.channels.get(post.channel_id)!;
		channel.last_post_at = at;
		channel.total_msg_count += 1;
		if (!post.root_id) {
			channel.last_root_post_at = at;
			channel.total_msg_count_root += 1;
		} else {
			const root = this.store.posts.get(post.root_id)!;
			root.last_reply_at = at;
			for (const p of this.store.posts.values()) {
				if (p.id === root.id || p.root_id === root.id) p.reply_count = this.repliesTo(root.id);
			}
		}
		return post;
	}

	private repliesTo(rootId: string): number {
		let count = 0;
		for (const p of this.store.posts.values()) if (p.root_id === rootId && !p.delete_at) count += 1;
		return count;
	}

	private validateMessage(message: string): void {
		if (runes(message) > this.config.maxPostSize) {
			throw new AppError(400, 'model.post.is_valid.message_length.app_error', 'Message property is longer than the maximum permitted length.');
		}
	}

	private validateProps(props: Record<string, unknown>): void {
		if (runes(JSON.stringify(props)) > POST_PROPS_MAX_RUNES) {
			throw new AppError(400, 'model.post.is_valid.props.app_error', 'Invalid props.');
		}
	}

	createPost(req: ApiRequest): ApiResult {
		const body = req.json;
		if (!isPlainObject(body)) throw errors.invalidBodyParam('post');
		const channelId = body.channel_id;
		if (!isValidId(channelId)) throw errors.invalidBodyParam('channel_id');
		const message = typeof body.message === 'string' ? body.message : '';
		const channel = this.store.channels.get(channelId);
		// createPostChecks asks for create_post on the channel first, so an unknown channel is a 403 like a channel
		// the caller is not in (non-members, bots included).
		if (!channel || !this.store.isMember(channelId, req.caller.id)) throw errors.permissions();
		const type = typeof body.type === 'string' ? body.type : '';
		if (type.startsWith('system_')) throw errors.invalidBodyParam('post.type');
		if (type && type !== 'slack_attachment' && !type.startsWith('custom_')) {
			throw new AppError(400, 'model.post.is_valid.type.app_error', 'Invalid type.');
		}

		const priority = isPlainObject(body.metadata) ? body.metadata.priority : undefined;
		// postPriorityCheck (createPostChecks): with ServiceSettings.PostPriority off the whole post is refused.
		if (isPlainObject(priority) && !this.config.settings.PostPriority) {
			throw new AppError(403, 'api.post.post_priority.priority_post_not_allowed_for_user.request_error', 'Post priority is not allowed for this user.');
		}
		// CreatePostAsUser, before CreatePost and its dedupe.
		if (channel.delete_at) {
			throw new AppError(400, 'api.post.create_post.can_not_post_to_deleted.error', 'Can not post to deleted channel.');
		}
		if ((channel.type === 'D' || channel.type === 'G') && this.restrictedBetween(this.store.membersOf(channel.id))) {
			throw new AppError(400, 'api.post.create_post.can_not_post_in_restricted_dm.error', 'Can not post in a restricted DM.');
		}

		// deduplicateCreatePost: pending_post_id is remembered for 30 s, keyed by the raw string (not per user). A repeat
		// that may read the earlier post gets it back, as loaded from the database: pending_post_id '' and no metadata.
		const pendingPostId = typeof body.pending_post_id === 'string' ? body.pending_post_id : '';
		if (pendingPostId) {
			const seen = this.store.pendingPostIds.get(pendingPostId);
			// The first request with this id is still being saved (the cache holds "" until it is).
			if (seen && seen.postId === '' && Date.now() - seen.at < PENDING_POST_TTL_MS) {
				throw new AppError(500, 'api.post.deduplicate_create_post.pending', 'Rejected post since another client is making the same request.');
			}
			const existing = seen && Date.now() - seen.at < PENDING_POST_TTL_MS ? this.store.posts.get(seen.postId) : undefined;
			if (existing && this.canRead(existing.channel_id, req.caller.id)) {
				const { metadata: _metadata, ...stored } = this.postView(existing);
				return { status: 201, json: { ...stored, pending_post_id: '' } };
			}
		}

		const rootId = typeof body.root_id === 'string' ? body.root_id : '';
		if (rootId) {
			const root = this.store.posts.get(rootId);
			if (!root || root.root_id || root.delete_at) {
				throw new AppError(400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
			}
			if (root.channel_id !== channelId) {
				// app.CreatePost raises this with 500; CreatePostAsUser rewrites the status to 400 for REST callers.
				throw new AppError(400, 'api.post.create_post.channel_root_id.app_error', 'Invalid ChannelId for RootId parameter.');
			}
		}
		this.validateMessage(message);
		const props = isPlainObject(body.props) ? structuredClone(body.props) : {};
		delete props.add_channel_member;
		delete props.force_notification;
		if (req.caller.is_bot) props.from_bot = 'true';
		this.validateProps(props);

		const requestedFileIds = Array.isArray(body.file_ids) ? body.file_ids.filter((id): id is string => typeof id === 'string') : [];
		if (runes(JSON.stringify(requestedFileIds)) > FILE_IDS_MAX_RUNES) {
			throw new AppError(400, 'model.post.is_valid.file_ids.app_error', 'Invalid file ids. Note that uploads are limited to 10 files maximum.');
		}

		const metadata: Record<string, unknown> = {};
		if (isPlainObject(priority)) {
			if (rootId) {
				throw new AppError(400, 'api.post.post_priority.priority_post_only_allowed_for_root_post.request_error', 'Post priority can only be set on root posts.');
			}
			if (!['', 'important', 'urgent'].includes(String(priority.priority ?? ''))) {
				throw new AppError(400, 'api.post.post_priority.invalid_priority.request_error', 'Invalid post priority.');
			}
			if (priority.requested_ack || priority.persistent_notifications) {
				throw new AppError(501, 'license_error.feature_unavailable', 'Feature is disabled for the current license.');
			}
			metadata.priority = { priority: priority.priority ?? '', requested_ack: false, persistent_notifications: false };
		}

		if (channel.type === 'D') {
			const other = channel.name.split('__').find((id) => id !== req.caller.id);
			if (other && this.store.users.get(other)?.delete_at) {
				throw new AppError(400, 'api.post.create_post.can_not_post_to_deactivated.error', 'Can not post to deactivated channel.');
			}
		}

		// Ids that are not attachable (unknown, other user or channel, already used) are dropped silently.
		const fileIds = requestedFileIds.filter((id) => {
			const file = this.store.files.get(id);
			return file && file.info.user_id === req.caller.id && file.info.channel_id === channelId && !file.info.post_id;
		});
		const post = this.insertPost({
			channel_id: channelId,
			user_id: req.caller.id,
			root_id: rootId,
			message,
			type,
			props,
			file_ids: fileIds,
			pending_post_id: pendingPostId,
			metadata,
		});
		if (fileIds.length) {
			for (const id of fileIds) this.store.files.get(id)!.info.post_id = post.id;
			post.metadata.files = fileIds.map((id) => this.store.files.get(id)!.info);
		}
		if (pendingPostId) this.store.pendingPostIds.set(pendingPostId, { postId: post.id, at: Date.now() });
		return { status: 201, json: this.postView(post) };
	}

	private readablePost(postId: string, userId: string): Post {
		if (!isValidId(postId)) throw errors.invalidUrlParam('post_id');
		const post = this.store.posts.get(postId);
		if (!post || post.delete_at) throw new AppError(404, 'app.post.get.app_error', 'Unable to get the post.');
		this.readableChannel(post.channel_id, userId);
		return post;
	}

	getPost(req: ApiRequest): ApiResult {
		return { status: 200, json: this.postView(this.readablePost(req.params.post_id, req.caller.id)) };
	}

	patchPost(req: ApiRequest): ApiResult {
		if (!isValidId(req.params.post_id)) throw errors.invalidUrlParam('post_id');
		const patch = req.json;
		if (!isPlainObject(patch)) throw errors.invalidBodyParam('post');
		const post = this.store.posts.get(req.params.post_id);
		// The server checks edit permission before it looks the post up, so an unknown post is a 403.
		if (!post || post.delete_at || post.user_id !== req.caller.id) throw errors.permissions();
		const limit = this.config.settings.PostEditTimeLimit;
		if (typeof patch.message === 'string' && limit !== -1 && Date.now() > post.create_at + limit * 1000) {
			throw new AppError(400, 'api.post.update_post.permissions_time_limit.app_error', `Post edit is only allowed for ${limit} seconds. Please ask your System Administrator for details.`);
		}
		if (typeof patch.message === 'string') {
			this.validateMessage(patch.message);
			post.message = patch.message;
			post.hashtags = hashtagsOf(patch.message);
		}
		if (isPlainObject(patch.props)) {
			const props = structuredClone(patch.props);
			if (req.caller.is_bot) props.from_bot = 'true';
			if (post.props.from_webhook) props.from_webhook = post.props.from_webhook;
			this.validateProps(props);
			post.props = props;
		}
		if (typeof patch.is_pinned === 'boolean') post.is_pinned = patch.is_pinned;
		// file_ids in a patch are ignored by the server ("not a supported operation").
		const at = this.store.now();
		post.update_at = at;
		post.edit_at = at;
		return { status: 200, json: this.postView(post) };
	}

	/**
	 * DELETE posts/{id}: a soft delete (delete_at set, hidden from reads); deleting a root deletes its replies too.
	 * The caller needs delete_post on its own posts or delete_others_posts (admins); an unknown post is a 403.
	 */
	deletePost(req: ApiRequest): ApiResult {
		if (!isValidId(req.params.post_id)) throw errors.invalidUrlParam('post_id');
		const post = this.store.posts.get(req.params.post_id);
		if (!post || post.delete_at || (post.user_id !== req.caller.id && !this.isAdmin(req.caller))) throw errors.permissions();
		this.store.deletePost(post.id, this.store.now());
		return { status: 200, json: { status: 'OK' } };
	}

	/** PostList with `order` newest first, as the server sorts it. */
	private postList(posts: Post[], extra: Record<string, unknown> = {}): Record<string, unknown> {
		const sorted = [...posts].sort((a, b) => b.create_at - a.create_at);
		return {
			order: sorted.map((p) => p.id),
			posts: Object.fromEntries(sorted.map((p) => [p.id, this.postView(p)])),
			next_post_id: '',
			prev_post_id: '',
			has_next: false,
			...extra,
		};
	}

	getPostThread(req: ApiRequest): ApiResult {
		const post = this.readablePost(req.params.post_id, req.caller.id);
		const rootId = post.root_id || post.id;
		const thread = [...this.store.posts.values()]
			.filter((p) => (p.id === rootId || p.root_id === rootId) && !p.delete_at)
			.sort((a, b) => a.create_at - b.create_at);
		const perPage = Number(req.query.get('perPage') ?? 0);
		if (perPage > 0 && thread.length > perPage) {
			return { status: 200, json: this.postList(thread.slice(0, perPage), { has_next: true }) };
		}
		return { status: 200, json: this.postList(thread) };
	}

	getPostsForChannel(req: ApiRequest): ApiResult {
		if (!isValidId(req.params.channel_id)) throw errors.invalidUrlParam('channel_id');
		const channel = this.readableChannel(req.params.channel_id, req.caller.id);
		const since = Number(req.query.get('since') ?? 0);
		if (since > 0) {
			// GetPostsSince: everything changed since then, deleted posts included (emptied) so clients can drop them.
			const changed = [...this.store.posts.values()]
				.filter((p) => p.channel_id === channel.id && p.update_at > since)
				.map((p) => (p.delete_at ? { ...this.postView(p), message: '', props: {}, file_ids: [] } : p));
			return { status: 200, json: this.postList(changed) };
		}
		const posts = [...this.store.posts.values()].filter((p) => p.channel_id === channel.id && !p.delete_at);
		posts.sort((a, b) => b.create_at - a.create_at);
		return { status: 200, json: this.postList(paginate(posts, req.query)) };
	}

	// ---- reactions ---------------------------------------------------------------------------------------------

	saveReaction(req: ApiRequest): ApiResult {
		const body = req.json;
		if (!isPlainObject(body)) throw errors.invalidBodyParam('reaction');
		const emojiName = typeof body.emoji_name === 'string' ? body.emoji_name.toLowerCase() : '';
		if (!isValidId(body.user_id) || !isValidId(body.post_id) || !emojiName || Buffer.byteLength(emojiName) > 64) {
			throw new AppError(400, 'api.reaction.save_reaction.invalid.app_error', 'Reaction is not valid.');
		}
		if (body.user_id !== req.caller.id) {
			throw new AppError(403, 'api.reaction.save_reaction.user_id.app_error', 'You cannot save reaction for the other user.');
		}
		const post = this.store.posts.get(body.post_id);
		if (!post || !this.store.isMember(post.channel_id, req.caller.id)) throw errors.permissions();
		if (post.delete_at) throw new AppError(404, 'app.post.get.app_error', 'Unable to get the post.');
		if (!/^[a-z0-9\-+_]+$/.test(emojiName)) {
			throw new AppError(400, 'model.reaction.is_valid.emoji_name.app_error', 'Invalid emoji name.');
		}
		let reaction = this.store.reactions.find(
			(r) => r.post_id === post.id && r.user_id === req.caller.id && r.emoji_name === emojiName,
		);
		if (!reaction) {
			const at = this.store.now();
			reaction = {
				user_id: req.caller.id,
				post_id: post.id,
				emoji_name: emojiName,
				create_at: at,
				update_at: at,
				delete_at: 0,
				remote_id: '',
				channel_id: post.channel_id,
			} satisfies Reaction;
			this.store.reactions.push(reaction);
			post.has_reactions = true;
			post.update_at = at;
			post.metadata.reactions = this.store.reactions.filter((r) => r.post_id === post.id);
		}
		// The spec documents 201; the server answers 200. Emoji names are not checked against the system emoji list.
		return { status: 200, json: { ...reaction } };
	}

	// ---- files -------------------------------------------------------------------------------------------------

	uploadFiles(req: ApiRequest): ApiResult {
		if (!this.config.settings.EnableFileAttachments) {
			throw new AppError(403, 'api.file.attachments.disabled.app_error', 'File attachments have been disabled on this server.');
		}
		// uploadFileStream limits the whole request, not each file: several files must fit in MaxFileSize together.
		if (req.raw.length > this.config.maxFileSize) {
			throw new AppError(
				413,
				'api.file.upload_file.too_large_detailed.app_error',
				`Unable to upload file(s). ${req.raw.length} bytes exceeds the maximum allowed ${this.config.maxFileSize} bytes.`,
			);
		}
		let channelId = req.query.get('channel_id') ?? '';
		const uploads: { filename: string; contentType: string; data: Buffer }[] = [];
		const clientIds: string[] = [];
		if (req.form) {
			for (const part of req.form) {
				if (part.kind === 'field' && part.name === 'channel_id') channelId = part.value;
				else if (part.kind === 'field' && part.name === 'client_ids') clientIds.push(part.value);
				else if (part.kind === 'file' && part.field === 'files') uploads.push(part);
				else {
					throw new AppError(400, 'api.file.upload_file.multipart.app_error', 'Unable to upload file(s).', `unexpected form field ${part.kind === 'field' ? part.name : part.field}`);
				}
			}
		} else {
			const filename = req.query.get('filename');
			if (!filename) throw errors.invalidUrlParam('filename');
			uploads.push({ filename, contentType: req.mediaType || 'application/octet-stream', data: req.raw });
		}
		if (!isValidId(channelId)) throw errors.invalidUrlParam('channel_id');
		if (!uploads.length) throw new AppError(400, 'api.file.upload_file.multipart.app_error', 'Unable to upload file(s).', 'no files');
		if (clientIds.length && clientIds.length !== uploads.length) throw errors.invalidBodyParam('client_ids');
		const channel = this.store.channels.get(channelId);
		if (!channel || !this.store.isMember(channelId, req.caller.id)) throw errors.permissions();
		if (uploads.some((u) => u.data.length > this.config.maxFileSize)) {
			throw new AppError(413, 'api.file.upload_file.too_large_detailed.app_error', 'Unable to upload file. File is too large.');
		}
		const infos = uploads.map((upload) => {
			const at = this.store.now();
			const dot = upload.filename.lastIndexOf('.');
			const info: FileInfo = {
				id: newId(),
				user_id: req.caller.id,
				channel_id: channelId,
				post_id: '',
				create_at: at,
				update_at: at,
				delete_at: 0,
				name: upload.filename,
				extension: dot > 0 ? upload.filename.slice(dot + 1).toLowerCase() : '',
				size: upload.data.length,
				mime_type: upload.contentType,
				has_preview_image: false,
				mini_preview: null,
				remote_id: '',
				archived: false,
			};
			this.store.files.set(info.id, { info, data: Buffer.from(upload.data) });
			return info;
		});
		return { status: 201, json: { file_infos: infos, client_ids: clientIds } };
	}

	private readableFile(req: ApiRequest) {
		if (!isValidId(req.params.file_id)) throw errors.invalidUrlParam('file_id');
		const file = this.store.files.get(req.params.file_id);
		if (!file) throw new AppError(404, 'app.file_info.get.app_error', 'Unable to get the file info.');
		if (file.info.user_id !== req.caller.id) this.readableChannel(file.info.channel_id, req.caller.id);
		return file;
	}

	getFileInfo(req: ApiRequest): ApiResult {
		return { status: 200, json: this.readableFile(req).info };
	}

	getFile(req: ApiRequest): ApiResult {
		const file = this.readableFile(req);
		return { status: 200, binary: { data: file.data, contentType: file.info.mime_type, filename: file.info.name } };
	}
}
