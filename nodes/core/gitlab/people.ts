import { hearsOwnOutcome, personOf, samePerson, userIdOf, usernameOf, type Identity } from '../people';
import { extractMentions } from '../text';
import { field, isRecord, looseArray } from './read';
import type { GitLabActor, Recipient, Role } from './types';

export type { Identity };

/** GitLab's internal users: project/group access-token bots and the "ghost" user that owns deleted users' work. */
const BOT_USERNAME = /^(project|group)_\d+_bot(_[0-9a-f]+)?$|^ghost\d*$/i;

export function isBot(identity: Identity): boolean {
	return identity.username !== undefined && BOT_USERNAME.test(identity.username);
}

/** An identity from a user-like object (`user`, `assignees[]`, `reviewers[]`); undefined when it names no one. */
export function identityOf(value: unknown): Identity | undefined {
	return isRecord(value) ? personOf(value) : undefined;
}

/** An identity from a numeric user id such as `author_id`. */
export function identityOfId(value: unknown): Identity | undefined {
	const id = userIdOf(value);
	return id === undefined ? undefined : { id };
}

/** A commit author (`{name, email}`), identified by e-mail only. */
export function identityOfCommitAuthor(value: unknown): Identity | undefined {
	if (!isRecord(value)) return undefined;
	return personOf({ email: field(value, 'email'), name: field(value, 'name') });
}

export function identitiesOf(list: unknown): Identity[] {
	return looseArray(list)
		.slice(0, 100)
		.map(identityOf)
		.filter((i): i is Identity => i !== undefined);
}

export function identitiesOfIds(list: unknown): Identity[] {
	return looseArray(list)
		.slice(0, 100)
		.map(identityOfId)
		.filter((i): i is Identity => i !== undefined);
}

/** The actor as an identity, for the actor rule. */
export function actorIdentity(actor: GitLabActor, email?: string): Identity {
	const out: Identity = {};
	if (actor.id !== null) out.id = actor.id;
	if (actor.username !== null) out.username = actor.username;
	if (email !== undefined) out.email = email;
	return out;
}

export function actorOf(identity: Identity | undefined): GitLabActor {
	return { id: identity?.id ?? null, username: identity?.username ?? null, name: identity?.name ?? null };
}

export interface Candidate {
	identity: Identity;
	role: Role;
}

/** Users `@mentioned` in Markdown text (outside code and e-mail addresses), capped for very long texts. */
export function mentionedIn(text: string | undefined): Identity[] {
	if (!text) return [];
	return extractMentions(text.slice(0, 100_000))
		.slice(0, 50)
		.map((name) => usernameOf(name))
		.filter((name): name is string => name !== undefined)
		.map((name) => ({ username: name }));
}

export function candidates(role: Role, identities: Array<Identity | undefined>): Candidate[] {
	return identities.filter((i): i is Identity => i !== undefined).map((identity) => ({ identity, role }));
}

export interface RecipientFilter {
	actor?: Identity;
	excludeActor: boolean;
	excludeBots: boolean;
}

/**
 * Merges candidates into one recipient per person (identities that share an id, username or e-mail), then applies
 * the actor and bot rules. `removedActor` tells whether the actor was among the candidates.
 */
export function resolveRecipients(list: Candidate[], filter: RecipientFilter): { recipients: Recipient[]; removedActor: boolean } {
	const merged: Recipient[] = [];
	for (const { identity, role } of list) {
		const found = merged.find((r) => samePerson(r, identity));
		if (!found) {
			merged.push({ ...identity, role, roles: [role] });
			continue;
		}
		found.username ??= identity.username;
		found.id ??= identity.id;
		found.email ??= identity.email;
		found.name ??= identity.name;
		for (const key of ['username', 'id', 'email', 'name'] as const) if (found[key] === undefined) delete found[key];
		if (!found.roles.includes(role)) found.roles.push(role);
	}
	let removedActor = false;
	const recipients = merged.filter((r) => {
		if (filter.excludeBots && isBot(r)) return false;
		if (filter.excludeActor && filter.actor && samePerson(r, filter.actor)) {
			if (hearsOwnOutcome(r.roles)) return true;
			removedActor = true;
			return false;
		}
		return true;
	});
	return { recipients, removedActor };
}
