import { hearsOwnOutcome, normaliseUsername, personOf, samePerson, type Identity } from '../people';
import { isRecord } from '../util';
import { emailKey, emptyMapping, mappedTargets, parseMapping, type Mapping } from './mapping';
import type {
	Directory,
	EventRef,
	NamedPerson,
	MattermostUser,
	RecipientRequest,
	ResolvedRecipient,
	ResolveOptions,
	ResolveResult,
	UnresolvedReason,
	UnresolvedRecipient,
} from './types';

/** One person of one request, however many times and roles they were named. */
interface Group {
	person: Identity;
	roles: string[];
	/** Mattermost username the mapping table gives. */
	mapped?: string;
	user?: MattermostUser;
	outcome?: { reason: UnresolvedReason; detail: string };
	failed?: { error: unknown };
}

interface Work {
	groups: Group[];
	/** People past the recipient limit: never looked up. */
	overflow: Group[];
	actor?: Group;
	mapping: Mapping;
	event?: EventRef;
}

const DEFAULT_CONCURRENCY = 4;

/** Reads one entry of an identity list: an object, or a string that is a username or an e-mail. */
export function toIdentity(value: unknown, position: number): NamedPerson {
	if (typeof value === 'string' && value.trim() !== '') {
		const person = personOf(value);
		if (person) return person;
		throw new Error(`entry ${position} ("${value.trim().slice(0, 100)}") is neither a username nor an e-mail address`);
	}
	if (!isRecord(value)) {
		throw new Error(`entry ${position} is not a person (expected an object with username, id or email, or a username)`);
	}
	const identity: NamedPerson = { ...personOf(value) };
	// Someone known by name only cannot be looked up, but the name still says who was not reached.
	if (identity.name === undefined && typeof value.name === 'string' && value.name.trim()) identity.name = value.name.trim();
	const roles = [
		...(typeof value.role === 'string' ? [value.role] : []),
		...(Array.isArray(value.roles) ? value.roles.filter((r): r is string => typeof r === 'string') : []),
	];
	if (roles.length > 0) identity.roles = roles;
	return identity;
}

/** What lookups and comparisons use: only a real e-mail, in lower case. */
function comparable(identity: NamedPerson): Identity {
	const person: Identity = {};
	if (identity.username) person.username = identity.username;
	if (identity.id !== undefined) person.id = identity.id;
	const email = emailKey(identity.email);
	if (email) person.email = email;
	if (identity.name) person.name = identity.name;
	return person;
}

function absorb(into: Group, person: Identity, roles: string[]) {
	into.person = { ...person, ...into.person };
	for (const role of roles) if (!into.roles.includes(role)) into.roles.push(role);
}

function groupIdentities(identities: NamedPerson[]): Group[] {
	const groups: Group[] = [];
	for (const identity of identities) {
		const person = comparable(identity);
		const roles = [...(identity.role ? [identity.role] : []), ...(identity.roles ?? [])];
		const existing = groups.find((g) => samePerson(g.person, person));
		if (existing) absorb(existing, person, roles);
		else groups.push({ person, roles: [...new Set(roles)] });
	}
	return groups;
}

/** After GitLab filled in usernames, two entries (one by id, one by username) may turn out to be one person. */
function regroup(groups: Group[]): Group[] {
	const merged: Group[] = [];
	for (const group of groups) {
		const existing = merged.find((g) => !g.failed && !group.failed && samePerson(g.person, group.person));
		if (existing && !existing.outcome && !group.outcome && existing.mapped === group.mapped) {
			absorb(existing, group.person, group.roles);
		} else merged.push(group);
	}
	return merged;
}

/** How a person is named in the `detail` texts. */
export function describePerson(person: Identity): string {
	const parts: string[] = [];
	if (person.username) parts.push(`@${person.username}`);
	if (person.id !== undefined) parts.push(person.username ? `(id ${person.id})` : `id ${person.id}`);
	if (!person.username && person.email) parts.push(person.email);
	if (parts.length === 0) return person.name ? `"${person.name}"` : 'an unnamed person';
	return `GitLab user ${parts.join(' ')}`;
}

function settle(group: Group, reason: UnresolvedReason, detail: string) {
	group.outcome = { reason, detail };
}

const pending = (group: Group) => !group.outcome && !group.failed && !group.user;

async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++];
			await fn(item);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function eventLabel(event: EventRef | undefined): string {
	if (!event?.kind) return 'this event';
	return event.action ? `this ${event.kind}:${event.action} event` : `this ${event.kind} event`;
}

function mutedKind(kinds: string[] | undefined, event: EventRef | undefined): string | undefined {
	if (!kinds || !event?.kind) return undefined;
	const kind = event.kind.toLowerCase();
	const full = event.action ? `${kind}:${event.action.toLowerCase()}` : undefined;
	return kinds.find((k) => {
		const wanted = k.trim().toLowerCase();
		return wanted === kind || (full !== undefined && wanted === full);
	});
}

/**
 * Resolves several identity lists at once, so that every lookup is shared: one username batch for all of them,
 * each e-mail, GitLab id and channel asked once. A failed lookup marks only the requests that needed it.
 */
export async function resolveRecipientsBatch(
	requests: RecipientRequest[],
	directory: Directory,
	options: ResolveOptions = {},
): Promise<ResolveResult[]> {
	const useMapping = options.useMapping !== false;
	const useGitlab = options.useGitlab !== false && typeof directory.gitlabUserById === 'function';
	const matchUsername = options.matchUsername !== false;
	const matchEmail = options.matchEmail !== false;
	const excludeActor = options.excludeActor !== false;
	const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
	const baseMapping = useMapping ? parseMapping(options.mapping) : emptyMapping();

	const works: Work[] = requests.map((request) => {
		let mapping = baseMapping;
		if (useMapping && request.mapping !== undefined) {
			mapping = parseMapping(request.mapping, {
				byUsername: new Map(baseMapping.byUsername),
				byId: new Map(baseMapping.byId),
				byEmail: new Map(baseMapping.byEmail),
			});
		}
		const actor = request.actor ? { person: comparable(request.actor), roles: [] } : undefined;
		const groups = groupIdentities(request.identities);
		// The actor is never told about their own action, so they do not take one of the places.
		const limit = options.recipientLimit && options.recipientLimit > 0 ? options.recipientLimit : Infinity;
		const kept: Group[] = [];
		const overflow: Group[] = [];
		let places = 0;
		for (const group of groups) {
			const isActor = actor && excludeActor && samePerson(group.person, actor.person) && !hearsOwnOutcome(group.roles);
			if (isActor) kept.push(group);
			else if (places < limit) {
				kept.push(group);
				places++;
			} else overflow.push(group);
		}
		return { groups: kept, overflow, actor, mapping, event: request.event };
	});
	// The actor is looked up alongside (same batch) only while someone could still turn out to be them.
	const all = (work: Work) => (work.actor && work.groups.some(pending) ? [...work.groups, work.actor] : work.groups);

	const who = (group: Group) => describePerson(group.person);
	const actorRuleApplies = (group: Group) => excludeActor && !hearsOwnOutcome(group.roles);
	const applyActorAndMapping = () => {
		for (const work of works) {
			for (const group of all(work)) {
				if (!pending(group) || group.mapped) continue;
				if (actorRuleApplies(group) && work.actor && group !== work.actor && samePerson(group.person, work.actor.person)) {
					settle(group, 'actor', `${who(group)} caused ${eventLabel(work.event)}, so is not notified about it`);
					continue;
				}
				if (!useMapping) continue;
				const targets = mappedTargets(work.mapping, group.person);
				if (targets.length > 1) {
					settle(group, 'ambiguous', `${who(group)} is mapped to several Mattermost users: ${targets.map((t) => `@${t}`).join(', ')}`);
				} else if (targets.length === 1) group.mapped = targets[0];
			}
		}
	};

	// Step 1: mapping table (and the actor check, which needs no lookup when GitLab names them the same way).
	applyActorAndMapping();

	// Step 2: GitLab ids → usernames and public e-mails, for anyone the mapping did not settle.
	if (useGitlab) {
		const ids = new Set<number>();
		for (const work of works) {
			for (const group of all(work)) {
				const { person } = group;
				if (!pending(group) || group.mapped || person.id === undefined || (person.username && person.email)) continue;
				// For the actor only a missing username is worth a GitLab request.
				if (group !== work.actor || !person.username) ids.add(person.id);
			}
		}
		const found = new Map<number, { user: Awaited<ReturnType<NonNullable<Directory['gitlabUserById']>>> } | { error: unknown }>();
		await runPool([...ids], concurrency, async (id) => {
			try {
				found.set(id, { user: await directory.gitlabUserById!(id) });
			} catch (error) {
				found.set(id, { error });
			}
		});
		for (const work of works) {
			for (const group of all(work)) {
				const answer = group.person.id !== undefined ? found.get(group.person.id) : undefined;
				if (!answer || !pending(group) || group.mapped) continue;
				if ('error' in answer) {
					if (group !== work.actor) group.failed = { error: answer.error };
					continue;
				}
				const user = answer.user;
				if (!user) continue;
				const email = emailKey(user.public_email ?? undefined);
				group.person = {
					...group.person,
					username: group.person.username ?? user.username,
					...(group.person.email || !email ? {} : { email }),
					...(group.person.name || !user.name ? {} : { name: user.name }),
				};
			}
			work.groups = regroup(work.groups);
		}
		applyActorAndMapping();
	}

	// Step 3: one batch for mapped targets and same-named users.
	const wantedNames = new Set<string>();
	for (const work of works) {
		for (const group of all(work)) {
			if (!pending(group)) continue;
			if (group.mapped) wantedNames.add(group.mapped);
			else if (matchUsername && group.person.username) wantedNames.add(normaliseUsername(group.person.username));
		}
	}
	const byUsername = new Map<string, MattermostUser>();
	let usernameError: { error: unknown } | undefined;
	if (wantedNames.size > 0) {
		try {
			for (const user of await directory.usersByUsernames([...wantedNames])) byUsername.set(user.username.toLowerCase(), user);
		} catch (error) {
			usernameError = { error };
		}
	}

	// Step 4: e-mails, asked even when the username matched, so two different people are never taken for one.
	const wantedEmails = new Set<string>();
	if (matchEmail) {
		for (const work of works) {
			for (const group of all(work)) {
				if (pending(group) && !group.mapped && group.person.email) wantedEmails.add(group.person.email);
			}
		}
	}
	const byEmail = new Map<string, { user: MattermostUser | null } | { error: unknown }>();
	await runPool([...wantedEmails], concurrency, async (email) => {
		try {
			byEmail.set(email, { user: await directory.userByEmail(email) });
		} catch (error) {
			byEmail.set(email, { error });
		}
	});

	for (const work of works) {
		for (const group of all(work)) {
			if (!pending(group)) continue;
			const isActor = group === work.actor;
			const needsNames = group.mapped !== undefined || (matchUsername && !!group.person.username);
			if (needsNames && usernameError) {
				if (!isActor) group.failed = usernameError;
				continue;
			}
			if (group.mapped) {
				const user = byUsername.get(group.mapped);
				if (user) group.user = user;
				else settle(group, 'not_found', `${who(group)} is mapped to @${group.mapped}, but Mattermost has no user @${group.mapped}`);
				continue;
			}
			const sameName = matchUsername && group.person.username ? byUsername.get(normaliseUsername(group.person.username)) : undefined;
			const emailAnswer = matchEmail && group.person.email ? byEmail.get(group.person.email) : undefined;
			if (emailAnswer && 'error' in emailAnswer) {
				if (!isActor) group.failed = { error: emailAnswer.error };
				continue;
			}
			const byMail = emailAnswer?.user ?? undefined;
			if (sameName && byMail && sameName.id !== byMail.id) {
				settle(
					group,
					'ambiguous',
					`${who(group)} matches two Mattermost users: @${sameName.username} by username and @${byMail.username} by e-mail ${group.person.email}`,
				);
				continue;
			}
			const user = sameName ?? byMail;
			if (user) {
				group.user = user;
				continue;
			}
			const tried: string[] = [];
			if (matchUsername && group.person.username) tried.push(`no Mattermost user @${normaliseUsername(group.person.username)}`);
			if (matchEmail && group.person.email) tried.push(`no Mattermost user with e-mail ${group.person.email} (or e-mails are hidden from this token)`);
			if (tried.length === 0) {
				const steps = [useMapping && 'mapping', matchUsername && 'username', matchEmail && 'e-mail'].filter(Boolean).join(', ');
				tried.push(`nothing to look up by (enabled steps: ${steps || 'none'})`);
			}
			settle(group, 'not_found', `${who(group)} has no Mattermost account: ${tried.join('; ')}`);
		}
	}

	// Step 5 and exclusions, on Mattermost users.
	let members: { ids: Set<string> } | { error: unknown } | undefined;
	const channelMembers = async () => {
		if (!members && options.channel) {
			try {
				members = { ids: new Set(await directory.channelMemberIds(options.channel)) };
			} catch (error) {
				members = { error };
			}
		}
		return members;
	};
	const muted = new Set((options.mutedUsers ?? []).map(normaliseUsername).filter(Boolean));
	const mutedKinds = new Map(Object.entries(options.mutedKinds ?? {}).map(([name, kinds]) => [normaliseUsername(name), kinds]));

	for (const work of works) {
		const actorUser = work.actor?.user;
		for (const group of work.groups) {
			const user = group.user;
			if (!user || group.outcome || group.failed) continue;
			const them = `@${user.username}`;
			if (user.is_bot) {
				settle(group, 'bot', `${who(group)} maps to ${them}, a Mattermost bot account`);
			} else if (user.delete_at) {
				settle(group, 'deactivated', `${who(group)} maps to ${them}, whose Mattermost account is deactivated`);
			} else if (actorRuleApplies(group) && actorUser && actorUser.id === user.id) {
				settle(group, 'actor', `${them} caused ${eventLabel(work.event)}, so is not notified about it`);
			} else if (muted.has(user.username.toLowerCase())) {
				settle(group, 'muted', `${them} is on the mute list`);
			} else {
				const kind = mutedKind(mutedKinds.get(user.username.toLowerCase()), work.event);
				if (kind) {
					settle(group, 'muted', `${them} muted ${kind} events`);
					continue;
				}
				if (!options.channel) continue;
				const answer = await channelMembers();
				if (answer && 'error' in answer) group.failed = { error: answer.error };
				else if (answer && !answer.ids.has(user.id)) {
					settle(group, 'not_in_channel', `${them} is not a member of the opt-in channel ${options.channel.team}/${options.channel.channel}`);
				}
			}
		}
	}

	return works.map((work) => {
		const failed = work.groups.find((g) => g.failed);
		if (failed) return { recipients: [], unresolved: [], error: failed.failed!.error };
		const recipients: ResolvedRecipient[] = [];
		const unresolved: UnresolvedRecipient[] = [];
		for (const group of work.groups) {
			if (group.outcome) {
				unresolved.push({ identity: { ...group.person, roles: group.roles }, ...group.outcome });
				continue;
			}
			const user = group.user as MattermostUser;
			const same = recipients.find((r) => r.mattermost.id === user.id);
			if (same) {
				same.gitlab = { ...group.person, ...same.gitlab };
				for (const role of group.roles) if (!same.roles.includes(role)) same.roles.push(role);
			} else {
				recipients.push({ mattermost: { id: user.id, username: user.username }, gitlab: { ...group.person }, roles: [...group.roles] });
			}
		}
		if (work.overflow.length) unresolved.push(overLimit(work.overflow, options.recipientLimit ?? 0, work.event));
		return { recipients, unresolved };
	});
}

/** The one entry that reports every person an event could not reach because of the recipient limit. */
function overLimit(overflow: Group[], limit: number, event: EventRef | undefined): UnresolvedRecipient {
	const people = overflow.map((group) => ({ ...group.person, roles: group.roles }));
	const named = overflow.slice(0, 10).map((group) => describePerson(group.person));
	const more = overflow.length > named.length ? ` and ${overflow.length - named.length} more` : '';
	return {
		identity: people[0],
		people,
		reason: 'over_limit',
		detail: `${overflow.length} ${overflow.length === 1 ? 'person was' : 'people were'} not notified because ${eventLabel(event)} names more than ${limit} recipients: ${named.join(', ')}${more}`,
	};
}

/** Reasons that say a person should have been reached and was not; the others (actor, muted, bot) are choices. */
const UNREACHED: UnresolvedReason[] = ['not_found', 'deactivated', 'ambiguous', 'not_in_channel', 'over_limit'];

/**
 * The people of one event the workflow should know it could not reach, gathered for a single report (one fallback
 * post per event instead of one per person), or undefined when there are none.
 */
export function gatherUnreached(unresolved: UnresolvedRecipient[]): { unreached: UnresolvedRecipient[]; detail: string } | undefined {
	const unreached = unresolved.filter((entry) => UNREACHED.includes(entry.reason));
	if (!unreached.length) return undefined;
	return { unreached, detail: unreached.map((entry) => `- ${entry.detail}`).join('\n') };
}

/** Resolves one list of GitLab identities to Mattermost users (see resolveRecipientsBatch). */
export async function resolveRecipients(
	identities: NamedPerson[],
	directory: Directory,
	options: ResolveOptions & { actor?: Identity; event?: EventRef } = {},
): Promise<ResolveResult> {
	const { actor, event, ...rest } = options;
	const [result] = await resolveRecipientsBatch([{ identities, actor, event }], directory, rest);
	return result;
}
