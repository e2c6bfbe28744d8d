/**
 * What the node learns from the server, asked once: the token's own user, MaxPostSize, users by username, id or
 * e-mail (usernames and ids in one batch request each), DM/group channels and channels by name. Within an execution
 * N messages to the same person cost one user lookup, one DM-channel call and N posts; with `caches` the answers
 * also outlive the execution (lookups for minutes, DM/group channel ids, which never change, for weeks), so a warm
 * node spends one request per message: the post.
 */
import type { Channel } from '@mattermost/types/channels';
import type { UserProfile } from '@mattermost/types/users';
import { NodeApiError, NodeOperationError, type JsonObject } from 'n8n-workflow';

import { serverLimits, type ServerLimits, type UserReference } from '../../core/mattermost';
import type { Book } from '../../core/state';
import { MattermostApi } from './api';
import { serverSettings, type MattermostContext } from './credential';
import type { Call, ItemCall } from './request';

const BATCH = 100;

const refKey = (ref: Pick<UserReference, 'kind' | 'value'>) => `${ref.kind}:${ref.value}`;

/** Where answers are kept between executions: `lookups` (users, me, settings, channels by name) and `channels` (DM/group). */
export interface SessionCaches {
	lookups: Book;
	channels: Book;
}

// Only what the node reads is kept, so the cached answers stay small in static data.
const slimUser = (user: UserProfile) =>
	({ id: user.id, username: user.username, email: user.email, delete_at: user.delete_at, is_bot: user.is_bot }) as UserProfile;
const slimChannel = (channel: Channel) =>
	({ id: channel.id, name: channel.name, type: channel.type, team_id: channel.team_id, display_name: channel.display_name }) as Channel;

export class MattermostSession {
	private mePromise?: Promise<UserProfile>;
	private settingsPromise?: Promise<ServerLimits>;
	/** null = asked and not found. */
	private readonly users = new Map<string, UserProfile | null>();
	private readonly channels = new Map<string, Promise<Channel>>();

	constructor(
		private readonly ctx: MattermostContext,
		readonly api: MattermostApi,
		private readonly caches?: SessionCaches,
		/** Prefix of every cached key: the server and token the answers came from. */
		private readonly account = '',
	) {}

	/** The cached answer under `key`, or `load()` once, kept when it succeeds. */
	private async kept<T>(store: Book | undefined, key: string, load: () => Promise<T>, slim: (value: T) => T): Promise<T> {
		const found = await store?.get(`${this.account}|${key}`);
		if (found !== undefined) return JSON.parse(found) as T;
		const value = await load();
		await store?.set(`${this.account}|${key}`, JSON.stringify(slim(value)));
		return value;
	}

	me(call: Call): Promise<UserProfile> {
		this.mePromise ??= this.kept(this.caches?.lookups, 'me', () => this.api.getMe(call), slimUser);
		return this.mePromise;
	}

	/** The settings the node obeys, from the client config (GET config/client?format=old), asked once. */
	settings(call: Call): Promise<ServerLimits> {
		this.settingsPromise ??= this.kept(
			this.caches?.lookups,
			'serverLimits',
			async () => serverLimits((await this.api.getClientConfig(call)) as unknown as Record<string, unknown>),
			(limits) => limits,
		);
		return this.settingsPromise;
	}

	/** MaxPostSize from the client config; the default when it is absent. */
	async maxPostSize(call: Call): Promise<number> {
		return (await this.settings(call)).maxPostSize;
	}

	private async note(key: string, user: UserProfile | null) {
		this.users.set(key, user);
		await this.caches?.lookups.set(`${this.account}|user|${key}`, JSON.stringify(user ? slimUser(user) : null));
	}

	private async remember(user: UserProfile) {
		await this.note(refKey({ kind: 'id', value: user.id }), user);
		await this.note(refKey({ kind: 'username', value: user.username.toLowerCase() }), user);
		if (user.email) await this.note(refKey({ kind: 'email', value: user.email.toLowerCase() }), user);
	}

	/** Fills this execution's users from the cache kept by earlier executions. */
	private async recall(refs: UserReference[]) {
		if (!this.caches) return;
		for (const ref of refs) {
			const key = refKey(ref);
			if (this.users.has(key)) continue;
			const found = await this.caches.lookups.get(`${this.account}|user|${key}`);
			if (found !== undefined) this.users.set(key, JSON.parse(found) as UserProfile | null);
		}
	}

	/**
	 * Looks up every reference not yet known: usernames with POST users/usernames and ids with POST users/ids
	 * (unknown ones are simply absent from the answer), e-mails one by one (there is no batch endpoint).
	 */
	async prefetch(refs: UserReference[], call: Call): Promise<void> {
		await this.recall(refs);
		const missing = refs.filter((ref) => !this.users.has(refKey(ref)));
		for (const kind of ['username', 'id'] as const) {
			const values = [...new Set(missing.filter((r) => r.kind === kind).map((r) => r.value))];
			for (let i = 0; i < values.length; i += BATCH) {
				const slice = values.slice(i, i + BATCH);
				const found =
					kind === 'username' ? await this.api.getProfilesByUsernames(slice, call) : await this.api.getProfilesByIds(slice, call);
				for (const user of found ?? []) await this.remember(user);
				for (const value of slice) if (!this.users.has(refKey({ kind, value }))) await this.note(refKey({ kind, value }), null);
			}
		}
		for (const ref of missing.filter((r) => r.kind === 'email')) {
			if (this.users.has(refKey(ref))) continue;
			const found = await this.api.getUserByEmail(ref.value, call).catch((error: unknown) => {
				if (error instanceof NodeApiError && error.httpCode === '404') return null;
				// mattermostApiError already says what to do (a 403 here means the server hides e-mail addresses).
				if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
				throw new NodeApiError(this.ctx.getNode(), error as JsonObject);
			});
			if (found) await this.remember(found);
			else await this.note(refKey(ref), null);
		}
	}

	/** The user a reference names; "user 'x' not found" (naming the item) when there is none. */
	async user(ref: UserReference, call: ItemCall): Promise<UserProfile> {
		const { itemIndex } = call;
		await this.recall([ref]);
		if (!this.users.has(refKey(ref))) await this.prefetch([ref], call);
		const user = this.users.get(refKey(ref));
		if (!user) {
			throw new NodeOperationError(this.ctx.getNode(), `user '${ref.raw}' not found (item ${itemIndex})`, {
				itemIndex,
				description: `No active Mattermost user has this ${ref.kind === 'id' ? 'id' : ref.kind}.`,
			});
		}
		if (user.delete_at > 0) {
			throw new NodeOperationError(this.ctx.getNode(), `user '${ref.raw}' is deactivated (item ${itemIndex})`, { itemIndex });
		}
		return user;
	}

	private cached(key: string, load: () => Promise<Channel>, store = this.caches?.lookups): Promise<Channel> {
		let found = this.channels.get(key);
		if (!found) {
			found = this.kept(store, `channel|${key}`, load, slimChannel);
			// A failed lookup is not remembered, so a later item may try again.
			found.catch(() => this.channels.delete(key));
			this.channels.set(key, found);
		}
		return found;
	}

	/** The DM channel between the token's user and `userId` (POST channels/direct is get-or-create). */
	async directChannel(userId: string, call: ItemCall): Promise<Channel> {
		const me = await this.me(call);
		return await this.cached(
			`direct:${userId}`,
			() => this.api.createDirectChannel([me.id, userId], call),
			this.caches?.channels,
		);
	}

	/** The group channel of the token's user and `userIds` (3 to 8 people in all). */
	async groupChannel(userIds: string[], call: ItemCall): Promise<Channel> {
		const { itemIndex } = call;
		const me = await this.me(call);
		const members = [...new Set([me.id, ...userIds])].sort();
		if (members.length < 3 || members.length > 8) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`A group message needs 3 to 8 people including the sender; got ${members.length} (item ${itemIndex})`,
				{ itemIndex, description: 'Use Direct Message for one person, or a channel for more than 8.' },
			);
		}
		return await this.cached(
			`group:${members.join(',')}`,
			() => this.api.createGroupChannel(members, call),
			this.caches?.channels,
		);
	}

	private channelNameKey(teamAndChannel: string, itemIndex: number): { key: string; team: string; channel: string } {
		const match = /^\s*([^/\s]+)\s*\/\s*~?([^/\s]+)\s*$/.exec(teamAndChannel);
		if (!match) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`Channel '${teamAndChannel}' should be written as team-name/channel-name (item ${itemIndex})`,
				{ itemIndex },
			);
		}
		const [, team, channel] = match;
		return { key: `name:${team.toLowerCase()}/${channel.toLowerCase()}`, team, channel };
	}

	/** A channel by `team-name/channel-name`. */
	async channelByName(teamAndChannel: string, call: ItemCall): Promise<Channel> {
		const { key, team, channel } = this.channelNameKey(teamAndChannel, call.itemIndex);
		return await this.cached(key, () => this.api.getChannelByNameAndTeamName(team, channel, call));
	}

	/** Forgets what a channel name was found to be (it was archived: the name may come back as another channel). */
	async forgetChannelByName(teamAndChannel: string, itemIndex: number): Promise<void> {
		const { key } = this.channelNameKey(teamAndChannel, itemIndex);
		this.channels.delete(key);
		await this.caches?.lookups.delete(`${this.account}|channel|${key}`);
	}
}

/** A session for one execution; reuse it for every item so lookups are shared. */
export async function createMattermostSession(ctx: MattermostContext, options: { caches?: SessionCaches } = {}): Promise<MattermostSession> {
	const { account } = await serverSettings(ctx);
	return new MattermostSession(ctx, new MattermostApi(ctx), options.caches, account);
}
