import { createHash } from 'node:crypto';
import { isValidId } from './ids';

export interface SeedUser {
	id: string;
	username: string;
	email: string;
	first_name?: string;
	last_name?: string;
	nickname?: string;
	/** Bots: posts get props.from_bot, and they must be added to channels like anyone else. */
	is_bot?: boolean;
	/** Non-zero = deactivated: its token stops working and posting into a DM with it fails. */
	delete_at?: number;
	/** Default 'system_user'; 'system_admin system_user' may open DMs between other users. */
	roles?: string;
	/** Has set up MFA; matters only with the EnforceMultifactorAuthentication setting (bots never need it). */
	mfa_active?: boolean;
}

export interface SeedTeam {
	id: string;
	name: string;
	display_name: string;
}

export interface SeedChannel {
	id: string;
	team_id: string;
	name: string;
	display_name: string;
	type: 'O' | 'P';
	header?: string;
	purpose?: string;
}

export interface SeedIncomingHook {
	channel_id: string;
	user_id: string;
	/** When true, a `channel` override naming another channel is refused with 403, as on the real server. */
	channel_locked?: boolean;
	display_name?: string;
	/** The hook's own default username / icon, used when a request does not override them. */
	username?: string;
	icon_url?: string;
}

export interface StandinSeed {
	users: SeedUser[];
	/** token → user id */
	tokens: Record<string, string>;
	teams: SeedTeam[];
	channels: SeedChannel[];
	/** channel id → member user ids. Members of a team channel also become members of its team. */
	members: Record<string, string[]>;
	/** team id → member user ids */
	teamMembers: Record<string, string[]>;
	/** hook id → hook; POST /hooks/{hookId} posts through it */
	incomingHooks: Record<string, SeedIncomingHook>;
}

export interface Channel {
	id: string;
	create_at: number;
	update_at: number;
	delete_at: number;
	team_id: string;
	type: 'O' | 'P' | 'D' | 'G';
	display_name: string;
	name: string;
	header: string;
	purpose: string;
	last_post_at: number;
	last_root_post_at: number;
	total_msg_count: number;
	total_msg_count_root: number;
	extra_update_at: number;
	creator_id: string;
	shared: boolean;
	group_constrained: boolean | null;
	policy_id: string | null;
}

export interface Post {
	id: string;
	create_at: number;
	update_at: number;
	edit_at: number;
	delete_at: number;
	is_pinned: boolean;
	user_id: string;
	channel_id: string;
	root_id: string;
	original_id: string;
	message: string;
	type: string;
	props: Record<string, unknown>;
	hashtags: string;
	file_ids: string[];
	pending_post_id: string;
	remote_id: string;
	reply_count: number;
	last_reply_at: number;
	participants: null;
	has_reactions?: boolean;
	metadata: Record<string, unknown>;
}

export interface FileInfo {
	id: string;
	user_id: string;
	channel_id: string;
	post_id: string;
	create_at: number;
	update_at: number;
	delete_at: number;
	name: string;
	extension: string;
	size: number;
	mime_type: string;
	has_preview_image: boolean;
	mini_preview: null;
	remote_id: string;
	archived: boolean;
}

export interface StoredFile {
	info: FileInfo;
	data: Buffer;
}

export interface Reaction {
	user_id: string;
	post_id: string;
	emoji_name: string;
	create_at: number;
	update_at: number;
	delete_at: number;
	remote_id: string;
	channel_id: string;
}

const SEED_TIME = 1_700_000_000_000;

export function emptySeed(): StandinSeed {
	return { users: [], tokens: {}, teams: [], channels: [], members: {}, teamMembers: {}, incomingHooks: {} };
}

function requireId(value: unknown, what: string): void {
	if (!isValidId(value)) {
		throw new Error(
			`stand-in seed: ${what} '${String(value)}' is not a Mattermost id (26 lowercase letters/digits); use idFor('<label>') or newId()`,
		);
	}
}

/**
 * Everything the server knows. Seeded data survives reset(); runtime data (posts, files, reactions…) does not. DM and
 * group channels survive too: a real server never deletes them, so clients may remember their ids indefinitely.
 */
export class Store {
	readonly users = new Map<string, SeedUser>();
	readonly tokens = new Map<string, string>();
	readonly teams = new Map<string, SeedTeam>();
	readonly channels = new Map<string, Channel>();
	/** channel id → user id → joined at */
	readonly channelMembers = new Map<string, Map<string, number>>();
	readonly teamMembers = new Map<string, Set<string>>();
	readonly hooks = new Map<string, SeedIncomingHook>();
	readonly posts = new Map<string, Post>();
	readonly files = new Map<string, StoredFile>();
	readonly reactions: Reaction[] = [];
	/** pending_post_id → {postId, at}: the real server's 30 s seen_pending_post_ids cache (global, not per user) */
	readonly pendingPostIds = new Map<string, { postId: string; at: number }>();
	private readonly seededChannels = new Set<string>();
	private readonly seededMembers = new Map<string, Set<string>>();
	private lastTime = 0;

	/** Milliseconds, strictly increasing, so ordering by create_at is stable. */
	now(): number {
		this.lastTime = Math.max(Date.now(), this.lastTime + 1);
		return this.lastTime;
	}

	addSeed(more: Partial<StandinSeed>): void {
		for (const user of more.users ?? []) {
			requireId(user.id, 'user id');
			if (!user.username || !user.email) throw new Error(`stand-in seed: user ${user.id} needs username and email`);
			this.users.set(user.id, { ...user, username: user.username.toLowerCase() });
		}
		for (const [token, userId] of Object.entries(more.tokens ?? {})) this.tokens.set(token, userId);
		for (const team of more.teams ?? []) {
			requireId(team.id, 'team id');
			this.teams.set(team.id, { ...team });
			if (!this.teamMembers.has(team.id)) this.teamMembers.set(team.id, new Set());
		}
		for (const seed of more.channels ?? []) {
			requireId(seed.id, 'channel id');
			if (seed.type !== 'O' && seed.type !== 'P') throw new Error(`stand-in seed: channel ${seed.id} type must be 'O' or 'P'`);
			if (!this.teams.has(seed.team_id)) throw new Error(`stand-in seed: channel ${seed.id} names unknown team ${seed.team_id}`);
			this.channels.set(seed.id, {
				id: seed.id,
				create_at: SEED_TIME,
				update_at: SEED_TIME,
				delete_at: 0,
				team_id: seed.team_id,
				type: seed.type,
				display_name: seed.display_name,
				name: seed.name,
				header: seed.header ?? '',
				purpose: seed.purpose ?? '',
				last_post_at: SEED_TIME,
				last_root_post_at: SEED_TIME,
				total_msg_count: 0,
				total_msg_count_root: 0,
				extra_update_at: 0,
				creator_id: '',
				shared: false,
				group_constrained: null,
				policy_id: null,
			});
			this.seededChannels.add(seed.id);
		}
		for (const [teamId, userIds] of Object.entries(more.teamMembers ?? {})) {
			if (!this.teams.has(teamId)) throw new Error(`stand-in seed: teamMembers names unknown team ${teamId}`);
			for (const userId of userIds) this.teamMembers.get(teamId)!.add(userId);
		}
		for (const [channelId, userIds] of Object.entries(more.members ?? {})) {
			const channel = this.channels.get(channelId);
			if (!channel) throw new Error(`stand-in seed: members names unknown channel ${channelId}`);
			const seeded = this.seededMembers.get(channelId) ?? new Set<string>();
			this.seededMembers.set(channelId, seeded);
			for (const userId of userIds) {
				if (!this.users.has(userId)) throw new Error(`stand-in seed: members of ${channelId} names unknown user ${userId}`);
				seeded.add(userId);
				this.addMember(channel, userId, SEED_TIME);
			}
		}
		for (const [hookId, hook] of Object.entries(more.incomingHooks ?? {})) {
			if (!this.channels.has(hook.channel_id)) throw new Error(`stand-in seed: hook ${hookId} names unknown channel ${hook.channel_id}`);
			if (!this.users.has(hook.user_id)) throw new Error(`stand-in seed: hook ${hookId} names unknown user ${hook.user_id}`);
			this.hooks.set(hookId, { ...hook });
		}
	}

	/** Drop runtime data, keep everything seeded and the DM/group channels. */
	resetRuntime(): void {
		this.posts.clear();
		this.files.clear();
		this.reactions.length = 0;
		this.pendingPostIds.clear();
		const permanent = (channel: Channel) => channel.type === 'D' || channel.type === 'G';
		for (const id of this.seededChannels) this.channels.get(id)!.delete_at = 0;
		for (const [id, channel] of [...this.channels]) {
			if (!this.seededChannels.has(id) && !permanent(channel)) {
				this.channels.delete(id);
				this.channelMembers.delete(id);
			}
		}
		for (const [channelId, members] of this.channelMembers) {
			const channel = this.channels.get(channelId)!;
			const seeded = this.seededMembers.get(channelId) ?? new Set<string>();
			if (!permanent(channel)) for (const userId of [...members.keys()]) if (!seeded.has(userId)) members.delete(userId);
			channel.last_post_at = SEED_TIME;
			channel.last_root_post_at = SEED_TIME;
			channel.total_msg_count = 0;
			channel.total_msg_count_root = 0;
		}
	}

	/** Soft delete as the server does it: the post and, for a root, its replies keep their rows with delete_at set. */
	deletePost(postId: string, at: number): void {
		for (const post of this.posts.values()) {
			if (post.id !== postId && post.root_id !== postId) continue;
			post.delete_at = at;
			post.update_at = at;
		}
		for (const file of this.files.values()) if (file.info.post_id === postId) file.info.delete_at = at;
	}

	/** Archives a team channel (delete_at set); reset() brings seeded channels back. */
	archiveChannel(channelId: string, at: number): void {
		const channel = this.channels.get(channelId);
		if (!channel || !channel.team_id) throw new Error(`stand-in: no team channel ${channelId} to archive`);
		channel.delete_at = at;
		channel.update_at = at;
	}

	addMember(channel: Channel, userId: string, at: number): void {
		const members = this.channelMembers.get(channel.id) ?? new Map<string, number>();
		this.channelMembers.set(channel.id, members);
		if (!members.has(userId)) members.set(userId, at);
		if (channel.team_id) this.teamMembers.get(channel.team_id)?.add(userId);
	}

	isMember(channelId: string, userId: string): boolean {
		return this.channelMembers.get(channelId)?.has(userId) ?? false;
	}

	membersOf(channelId: string): string[] {
		return [...(this.channelMembers.get(channelId)?.keys() ?? [])];
	}

	isTeamMember(teamId: string, userId: string): boolean {
		return this.teamMembers.get(teamId)?.has(userId) ?? false;
	}

	userByUsername(username: string): SeedUser | undefined {
		const wanted = username.toLowerCase();
		return [...this.users.values()].find((u) => u.username === wanted);
	}

	userByEmail(email: string): SeedUser | undefined {
		const wanted = email.toLowerCase();
		return [...this.users.values()].find((u) => u.email.toLowerCase() === wanted);
	}

	directChannelName(a: string, b: string): string {
		return a < b ? `${a}__${b}` : `${b}__${a}`;
	}

	/** model.GetGroupNameFromUserIds: SHA-1 over the sorted ids, concatenated. */
	groupChannelName(userIds: string[]): string {
		const hash = createHash('sha1');
		for (const id of [...userIds].sort()) hash.update(id);
		return hash.digest('hex');
	}

	channelByName(teamId: string, name: string): Channel | undefined {
		return [...this.channels.values()].find((c) => c.team_id === teamId && c.name === name);
	}

	teamByName(name: string): SeedTeam | undefined {
		return [...this.teams.values()].find((t) => t.name === name);
	}
}

export function userView(user: SeedUser, viewerId: string): Record<string, unknown> {
	const view: Record<string, unknown> = {
		id: user.id,
		create_at: SEED_TIME,
		update_at: SEED_TIME,
		delete_at: user.delete_at ?? 0,
		username: user.username,
		auth_data: '',
		auth_service: '',
		email: user.email,
		nickname: user.nickname ?? '',
		first_name: user.first_name ?? '',
		last_name: user.last_name ?? '',
		position: '',
		roles: user.roles ?? 'system_user',
		locale: 'en',
		timezone: { automaticTimezone: '', manualTimezone: '', useAutomaticTimezone: 'true' },
		disable_welcome_email: false,
	};
	if (user.is_bot) {
		view.is_bot = true;
		view.bot_description = '';
	}
	if (user.id === viewerId) {
		view.email_verified = true;
		view.notify_props = { channel: 'true', desktop: 'mention', email: 'true', mention_keys: '', push: 'mention' };
		view.last_password_update = SEED_TIME;
	}
	return view;
}

export function teamView(team: SeedTeam): Record<string, unknown> {
	return {
		id: team.id,
		create_at: SEED_TIME,
		update_at: SEED_TIME,
		delete_at: 0,
		display_name: team.display_name,
		name: team.name,
		description: '',
		email: '',
		type: 'O',
		company_name: '',
		allowed_domains: '',
		invite_id: '',
		allow_open_invite: false,
	};
}

export function channelMemberView(channelId: string, userId: string, joinedAt: number): Record<string, unknown> {
	return {
		channel_id: channelId,
		user_id: userId,
		roles: 'channel_user',
		last_viewed_at: joinedAt,
		msg_count: 0,
		mention_count: 0,
		mention_count_root: 0,
		msg_count_root: 0,
		urgent_mention_count: 0,
		notify_props: { desktop: 'default', email: 'default', ignore_channel_mentions: 'default', mark_unread: 'all', push: 'default' },
		last_update_at: joinedAt,
		scheme_guest: false,
		scheme_user: true,
		scheme_admin: false,
		explicit_roles: '',
	};
}
