import type { Identity } from '../people';

export type { Identity };

/** A person as an event names them, with the roles they are named in (author, reviewer…). */
export interface NamedPerson extends Identity {
	role?: string;
	roles?: string[];
}

/** The part of a Mattermost user profile the resolver needs. */
export interface MattermostUser {
	id: string;
	username: string;
	is_bot?: boolean;
	/** Non-zero when the account is deactivated. */
	delete_at?: number;
}

/** The part of GitLab's `GET /api/v4/users/:id` answer the resolver needs. */
export interface GitlabUser {
	id: number;
	username: string;
	name?: string;
	/** Empty when the user keeps their e-mail private. */
	public_email?: string | null;
}

export interface ChannelRef {
	team: string;
	channel: string;
}

/**
 * Where people are looked up. The node backs it with the Mattermost and GitLab APIs; tests use an in-memory one.
 * Lookups that find nobody answer null (or leave the name out); only real failures throw.
 */
export interface Directory {
	/** Absent when GitLab lookups are not configured. */
	gitlabUserById?(id: number): Promise<GitlabUser | null>;
	/** One batch for all names; unknown names are left out of the answer, as `POST /users/usernames` does. */
	usersByUsernames(usernames: string[]): Promise<MattermostUser[]>;
	userByEmail(email: string): Promise<MattermostUser | null>;
	/** Ids of every member of the channel. Throws when the channel does not exist. */
	channelMemberIds(channel: ChannelRef): Promise<string[]>;
}

/** GitLab username, numeric id or e-mail (as typed by a person) → Mattermost username. */
export type MappingInput = Record<string, string> | Array<{ gitlab: string; mattermost: string }>;

export interface EventRef {
	kind?: string;
	action?: string;
}

/** One list of identities to resolve, with what is known about the event that named them. */
export interface RecipientRequest {
	identities: NamedPerson[];
	/** Who caused the event; never a recipient of their own action when `excludeActor` is on. */
	actor?: Identity;
	event?: EventRef;
	/** Mapping that applies to this request only (for example read from the item); merged over `options.mapping`. */
	mapping?: MappingInput;
}

export interface ResolveOptions {
	/** Step 1: mapping table. */
	useMapping?: boolean;
	mapping?: MappingInput;
	/** Step 2: GitLab API for numeric ids (needs `directory.gitlabUserById`). */
	useGitlab?: boolean;
	/** Step 3: same username on Mattermost. */
	matchUsername?: boolean;
	/** Step 4: e-mail on Mattermost. */
	matchEmail?: boolean;
	/** Step 5: only members of this channel receive anything. */
	channel?: ChannelRef;
	excludeActor?: boolean;
	/** Mattermost usernames that never receive anything. */
	mutedUsers?: string[];
	/** Mattermost username → event kinds (`pipeline`) or kind:action (`merge_request:update`) they do not want. */
	mutedKinds?: Record<string, string[]>;
	/** How many single lookups (e-mail, GitLab id) run at once. */
	concurrency?: number;
	/**
	 * Most people one event may reach (after merging people named twice); the rest are neither looked up nor told,
	 * and reported once as one `over_limit` entry. Undefined or 0: no limit.
	 */
	recipientLimit?: number;
}

export type UnresolvedReason = 'not_found' | 'deactivated' | 'bot' | 'not_in_channel' | 'muted' | 'ambiguous' | 'actor' | 'over_limit';

export interface ResolvedRecipient {
	mattermost: { id: string; username: string };
	gitlab: { username?: string; id?: number; email?: string; name?: string };
	roles: string[];
}

export interface UnresolvedRecipient {
	/** For `over_limit`, the first person left out; `people` lists them all. */
	identity: { username?: string; id?: number; email?: string; name?: string; roles: string[] };
	people?: Array<{ username?: string; id?: number; email?: string; name?: string; roles: string[] }>;
	reason: UnresolvedReason;
	detail: string;
}

export interface ResolveResult {
	recipients: ResolvedRecipient[];
	unresolved: UnresolvedRecipient[];
	/** Set when a lookup this request needed failed; recipients and unresolved are then empty. */
	error?: unknown;
}
