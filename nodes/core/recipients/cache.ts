import type { Book } from '../state';
import type { ChannelRef, Directory, GitlabUser, MattermostUser } from './types';

/** Only what resolving needs is kept, so cached profiles carry no e-mails or names. */
function slim(user: MattermostUser): MattermostUser {
	const kept: MattermostUser = { id: user.id, username: user.username };
	if (user.is_bot) kept.is_bot = true;
	if (user.delete_at) kept.delete_at = user.delete_at;
	return kept;
}

function slimGitlab(user: GitlabUser): GitlabUser {
	const kept: GitlabUser = { id: user.id, username: user.username };
	if (user.name) kept.name = user.name;
	if (user.public_email) kept.public_email = user.public_email;
	return kept;
}

/**
 * Puts a cache in front of a directory. Misses are remembered too (as null), so a burst of events naming someone
 * who has no account does not repeat the lookup. Entries live for `ttlMs`; the book bounds how many. `identity`
 * (the servers asked, from identityScope) keeps answers from another server apart.
 */
export function cachedDirectory(directory: Directory, cache: Book, options: { ttlMs: number; identity: string }): Directory {
	const get = async <T>(key: string): Promise<T | undefined> => {
		const found = await cache.get(`${options.identity}|${key}`);
		return found === undefined ? undefined : (JSON.parse(found) as T);
	};
	const set = (key: string, value: unknown) => cache.set(`${options.identity}|${key}`, JSON.stringify(value), options.ttlMs);
	const cached: Directory = {
		async usersByUsernames(usernames) {
			const users: MattermostUser[] = [];
			const missing: string[] = [];
			for (const name of new Set(usernames.map((u) => u.toLowerCase()))) {
				const hit = await get<MattermostUser | null>(`u:${name}`);
				if (hit === undefined) missing.push(name);
				else if (hit) users.push(hit);
			}
			if (missing.length > 0) {
				const fetched = await directory.usersByUsernames(missing);
				const seen = new Set<string>();
				for (const user of fetched) {
					const name = user.username.toLowerCase();
					seen.add(name);
					await set(`u:${name}`, slim(user));
					users.push(slim(user));
				}
				for (const name of missing) if (!seen.has(name)) await set(`u:${name}`, null);
			}
			return users;
		},
		async userByEmail(email) {
			const key = `e:${email.toLowerCase()}`;
			const hit = await get<MattermostUser | null>(key);
			if (hit !== undefined) return hit;
			const user = await directory.userByEmail(email);
			await set(key, user ? slim(user) : null);
			if (user) await set(`u:${user.username.toLowerCase()}`, slim(user));
			return user ? slim(user) : null;
		},
		async channelMemberIds(channel: ChannelRef) {
			const key = `c:${channel.team.toLowerCase()}/${channel.channel.toLowerCase()}`;
			const hit = await get<string[]>(key);
			if (hit !== undefined) return hit;
			const ids = await directory.channelMemberIds(channel);
			await set(key, ids);
			return ids;
		},
	};
	if (directory.gitlabUserById) {
		const lookup = directory.gitlabUserById.bind(directory);
		cached.gitlabUserById = async (id) => {
			const key = `g:${id}`;
			const hit = await get<GitlabUser | null>(key);
			if (hit !== undefined) return hit;
			const user = await lookup(id);
			await set(key, user ? slimGitlab(user) : null);
			return user ? slimGitlab(user) : null;
		};
	}
	return cached;
}
