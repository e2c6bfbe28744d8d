import { instanceStore, openBook } from '../../nodes/core/state';

const cacheBook = (now?: () => number) =>
	openBook(instanceStore(`cache-test-${Math.random()}`, {}, { now }), { name: 'recipientCache', ttlMs: 600_000, maxEntries: 100, persist: 0 });
import {
	cachedDirectory,
	parseMapping,
	resolveRecipients,
	resolveRecipientsBatch,
	toIdentity,
	type Directory,
	type GitlabUser,
	type MattermostUser,
} from '../../nodes/core/recipients';

/** In-memory directory that counts every lookup, as the stand-ins count requests. */
function fakeDirectory(
	users: MattermostUser[],
	options: { emails?: Record<string, string>; gitlab?: GitlabUser[]; channels?: Record<string, string[]>; fail?: 'usernames' | 'email' | 'gitlab' | 'channel' } = {},
) {
	const calls = { usernames: [] as string[][], email: [] as string[], gitlab: [] as number[], channel: [] as string[] };
	const fail = (what: string) => {
		if (options.fail === what) throw new Error(`${what} lookup failed`);
	};
	const directory: Directory = {
		async usersByUsernames(names) {
			calls.usernames.push(names);
			fail('usernames');
			return users.filter((u) => names.includes(u.username.toLowerCase()));
		},
		async userByEmail(email) {
			calls.email.push(email);
			fail('email');
			const id = options.emails?.[email];
			return users.find((u) => u.id === id) ?? null;
		},
		async channelMemberIds(channel) {
			calls.channel.push(`${channel.team}/${channel.channel}`);
			fail('channel');
			const found = options.channels?.[`${channel.team}/${channel.channel}`];
			if (!found) throw new Error('no such channel');
			return found;
		},
	};
	if (options.gitlab) {
		directory.gitlabUserById = async (id) => {
			calls.gitlab.push(id);
			fail('gitlab');
			return options.gitlab!.find((u) => u.id === id) ?? null;
		};
	}
	return { directory, calls };
}

const alice: MattermostUser = { id: 'mm-alice', username: 'alice' };
const bruno: MattermostUser = { id: 'mm-bruno', username: 'bruno.k' };
const carla: MattermostUser = { id: 'mm-carla', username: 'carla' };
const ghostBot: MattermostUser = { id: 'mm-bot', username: 'deploybot', is_bot: true };
const gone: MattermostUser = { id: 'mm-gone', username: 'gone', delete_at: 1700000000000 };
const people = [alice, bruno, carla, ghostBot, gone];

describe('resolveRecipients: resolution steps', () => {
	it('matches the same username in one batch and reports people with no account', async () => {
		const { directory, calls } = fakeDirectory(people);
		const result = await resolveRecipients(
			[
				{ username: 'alice', id: 1, role: 'author' },
				{ username: 'carla', role: 'reviewer' },
				{ username: 'nobody', role: 'assignee' },
			],
			directory,
		);
		expect(result.recipients).toEqual([
			{ mattermost: { id: 'mm-alice', username: 'alice' }, gitlab: { username: 'alice', id: 1 }, roles: ['author'] },
			{ mattermost: { id: 'mm-carla', username: 'carla' }, gitlab: { username: 'carla' }, roles: ['reviewer'] },
		]);
		expect(result.unresolved).toEqual([
			{ identity: { username: 'nobody', roles: ['assignee'] }, reason: 'not_found', detail: 'GitLab user @nobody has no Mattermost account: no Mattermost user @nobody' },
		]);
		expect(calls.usernames).toEqual([['alice', 'carla', 'nobody']]);
	});

	it('applies the mapping table by username, id and e-mail before any same-name match', async () => {
		const { directory, calls } = fakeDirectory(people);
		const result = await resolveRecipients(
			[{ username: 'bruno', role: 'author' }, { id: 77, role: 'assignee' }, { email: 'Carla@Example.org', role: 'reviewer' }],
			directory,
			{ mapping: { '@bruno': 'bruno.k', '77': 'alice', 'carla@example.org': '@carla' } },
		);
		expect(result.recipients.map((r) => [r.mattermost.username, r.roles])).toEqual([
			['bruno.k', ['author']],
			['alice', ['assignee']],
			['carla', ['reviewer']],
		]);
		expect(calls.usernames).toEqual([['bruno.k', 'alice', 'carla']]);
		expect(calls.email).toEqual([]);
	});

	it('reports a mapping to a user that does not exist, and conflicting mappings as ambiguous', async () => {
		const { directory } = fakeDirectory(people);
		const result = await resolveRecipients([{ username: 'dora', role: 'author' }, { username: 'eve', id: 5, role: 'reviewer' }], directory, {
			mapping: [
				{ gitlab: 'dora', mattermost: 'dora.m' },
				{ gitlab: 'eve', mattermost: 'alice' },
				{ gitlab: '5', mattermost: 'carla' },
			],
		});
		expect(result.recipients).toEqual([]);
		expect(result.unresolved).toEqual([
			{ identity: { username: 'dora', roles: ['author'] }, reason: 'not_found', detail: 'GitLab user @dora is mapped to @dora.m, but Mattermost has no user @dora.m' },
			{
				identity: { username: 'eve', id: 5, roles: ['reviewer'] },
				reason: 'ambiguous',
				detail: 'GitLab user @eve (id 5) is mapped to several Mattermost users: @alice, @carla',
			},
		]);
	});

	it('ignores the mapping when that step is off', async () => {
		const { directory } = fakeDirectory(people);
		const result = await resolveRecipients([{ username: 'bruno' }], directory, { useMapping: false, mapping: { bruno: 'bruno.k' } });
		expect(result.recipients).toEqual([]);
		expect(result.unresolved[0].reason).toBe('not_found');
	});

	it('turns GitLab ids into usernames and public e-mails, then maps them like any other', async () => {
		const { directory, calls } = fakeDirectory(people, {
			gitlab: [
				{ id: 11, username: 'alice', name: 'Alice A', public_email: '' },
				{ id: 12, username: 'bk', public_email: 'bruno@example.org' },
				{ id: 13, username: 'carla-gl' },
			],
			emails: { 'bruno@example.org': 'mm-bruno' },
		});
		const result = await resolveRecipients([{ id: 11, role: 'author' }, { id: 12, role: 'reviewer' }, { id: 13, role: 'assignee' }, { id: 14, role: 'assignee' }], directory, {
			mapping: { 'carla-gl': 'carla' },
		});
		expect(result.recipients).toEqual([
			{ mattermost: { id: 'mm-alice', username: 'alice' }, gitlab: { id: 11, username: 'alice', name: 'Alice A' }, roles: ['author'] },
			{ mattermost: { id: 'mm-bruno', username: 'bruno.k' }, gitlab: { id: 12, username: 'bk', email: 'bruno@example.org' }, roles: ['reviewer'] },
			{ mattermost: { id: 'mm-carla', username: 'carla' }, gitlab: { id: 13, username: 'carla-gl' }, roles: ['assignee'] },
		]);
		expect(result.unresolved).toEqual([
			{
				identity: { id: 14, roles: ['assignee'] },
				reason: 'not_found',
				detail: 'GitLab user id 14 has no Mattermost account: nothing to look up by (enabled steps: mapping, username, e-mail)',
			},
		]);
		expect(calls.gitlab.sort()).toEqual([11, 12, 13, 14]);
		expect(calls.usernames).toEqual([['alice', 'bk', 'carla']]);
	});

	it('leaves ids alone when the GitLab step is off', async () => {
		const { directory, calls } = fakeDirectory(people, { gitlab: [{ id: 11, username: 'alice' }] });
		const result = await resolveRecipients([{ id: 11 }], directory, { useGitlab: false });
		expect(result.unresolved[0].reason).toBe('not_found');
		expect(calls.gitlab).toEqual([]);
	});

	it('uses a real e-mail and never a redacted one', async () => {
		const { directory, calls } = fakeDirectory(people, { emails: { 'carla@example.org': 'mm-carla' } });
		const result = await resolveRecipients([{ name: 'Carla', email: 'carla@example.org' }, { username: 'zed', email: '[REDACTED]' }], directory);
		expect(result.recipients.map((r) => r.mattermost.username)).toEqual(['carla']);
		expect(calls.email).toEqual(['carla@example.org']);
		expect(result.unresolved[0].identity).toEqual({ username: 'zed', roles: [] });
	});

	it('skips username and e-mail matching when those steps are off', async () => {
		const { directory, calls } = fakeDirectory(people, { emails: { 'carla@example.org': 'mm-carla' } });
		const result = await resolveRecipients([{ username: 'alice', email: 'carla@example.org' }], directory, { matchUsername: false, matchEmail: false });
		expect(result.unresolved[0]).toMatchObject({ reason: 'not_found', detail: expect.stringContaining('enabled steps: mapping') });
		expect(calls).toEqual({ usernames: [], email: [], gitlab: [], channel: [] });
	});

	it('calls a username that belongs to one person and an e-mail that belongs to another ambiguous', async () => {
		const { directory } = fakeDirectory(people, { emails: { 'alice@example.org': 'mm-carla' } });
		const result = await resolveRecipients([{ username: 'alice', email: 'alice@example.org', role: 'author' }], directory);
		expect(result.unresolved).toEqual([
			{
				identity: { username: 'alice', email: 'alice@example.org', roles: ['author'] },
				reason: 'ambiguous',
				detail: 'GitLab user @alice matches two Mattermost users: @alice by username and @carla by e-mail alice@example.org',
			},
		]);
	});
});

describe('resolveRecipients: people and exclusions', () => {
	it('gives one recipient per person with all their roles, however they were named', async () => {
		const { directory } = fakeDirectory(people, { gitlab: [{ id: 3, username: 'alice' }] });
		const result = await resolveRecipients(
			[
				{ username: 'alice', role: 'author' },
				{ id: 3, role: 'assignee' },
				{ username: 'ALICE', roles: ['reviewer', 'author'] },
			],
			directory,
		);
		expect(result.recipients).toEqual([{ mattermost: { id: 'mm-alice', username: 'alice' }, gitlab: { username: 'alice', id: 3 }, roles: ['author', 'reviewer', 'assignee'] }]);
	});

	it('excludes bots, deactivated users, muted users and muted event kinds, each with its reason', async () => {
		const { directory } = fakeDirectory(people);
		const result = await resolveRecipients(
			[{ username: 'deploybot' }, { username: 'gone' }, { username: 'alice' }, { username: 'bruno.k' }, { username: 'carla' }],
			directory,
			{ mutedUsers: ['@Alice'], mutedKinds: { 'bruno.k': ['pipeline', 'merge_request:update'], carla: ['note'] }, event: { kind: 'merge_request', action: 'update' } },
		);
		expect(result.recipients.map((r) => r.mattermost.username)).toEqual(['carla']);
		expect(result.unresolved.map((u) => [u.reason, u.detail])).toEqual([
			['bot', 'GitLab user @deploybot maps to @deploybot, a Mattermost bot account'],
			['deactivated', 'GitLab user @gone maps to @gone, whose Mattermost account is deactivated'],
			['muted', '@alice is on the mute list'],
			['muted', '@bruno.k muted merge_request:update events'],
		]);
	});

	it('never notifies the actor, whether named the same way or found through Mattermost', async () => {
		const { directory, calls } = fakeDirectory(people, { emails: { 'al@example.org': 'mm-alice' } });
		const event = { kind: 'note', action: 'create' };
		const direct = await resolveRecipients([{ id: 9, username: 'carla', role: 'author' }], directory, { actor: { id: 9, username: 'carla' }, event });
		expect(direct.unresolved).toEqual([
			{ identity: { id: 9, username: 'carla', roles: ['author'] }, reason: 'actor', detail: 'GitLab user @carla (id 9) caused this note:create event, so is not notified about it' },
		]);
		// Named the same way as the actor: settled without any lookup.
		expect(calls.usernames).toEqual([]);

		const viaEmail = await resolveRecipients([{ email: 'al@example.org', role: 'mentioned' }], directory, { actor: { username: 'alice', id: 1 }, event });
		expect(viaEmail.unresolved).toEqual([
			{ identity: { email: 'al@example.org', roles: ['mentioned'] }, reason: 'actor', detail: '@alice caused this note:create event, so is not notified about it' },
		]);
		const allowed = await resolveRecipients([{ username: 'carla' }], directory, { actor: { username: 'carla' }, excludeActor: false });
		expect(allowed.recipients).toHaveLength(1);
	});

	it('still tells whoever started a pipeline how it ended, although GitLab names them its actor', async () => {
		const { directory } = fakeDirectory(people, { emails: { 'al@example.org': 'mm-alice' } });
		const event = { kind: 'pipeline', action: 'failed' };
		const byName = await resolveRecipients([{ id: 9, username: 'carla', role: 'pipeline_user' }], directory, { actor: { id: 9, username: 'carla' }, event });
		expect(byName.recipients.map((r) => [r.mattermost.username, r.roles])).toEqual([['carla', ['pipeline_user']]]);
		expect(byName.unresolved).toEqual([]);
		const viaEmail = await resolveRecipients([{ email: 'al@example.org', role: 'pipeline_user' }], directory, { actor: { username: 'alice', id: 1 }, event });
		expect(viaEmail.recipients.map((r) => r.mattermost.username)).toEqual(['alice']);
	});

	it('keeps only members of the opt-in channel, reading the channel once for all requests', async () => {
		const { directory, calls } = fakeDirectory(people, { channels: { 'dev/gitlab-dm': ['mm-alice'] } });
		const results = await resolveRecipientsBatch(
			[{ identities: [{ username: 'alice' }, { username: 'carla' }] }, { identities: [{ username: 'alice' }] }],
			directory,
			{ channel: { team: 'dev', channel: 'gitlab-dm' } },
		);
		expect(results.map((r) => r.recipients.map((x) => x.mattermost.username))).toEqual([['alice'], ['alice']]);
		expect(results[0].unresolved).toEqual([
			{ identity: { username: 'carla', roles: [] }, reason: 'not_in_channel', detail: '@carla is not a member of the opt-in channel dev/gitlab-dm' },
		]);
		expect(calls.channel).toEqual(['dev/gitlab-dm']);
		expect(calls.usernames).toEqual([['alice', 'carla']]);
	});
});

describe('resolveRecipients: failures', () => {
	it.each(['usernames', 'email', 'channel', 'gitlab'] as const)('marks only the requests that needed a failed %s lookup', async (fail) => {
		const { directory } = fakeDirectory(people, {
			fail,
			gitlab: [{ id: 4, username: 'carla' }],
			emails: {},
			channels: { 't/c': ['mm-alice', 'mm-carla'] },
		});
		const needs = {
			usernames: { username: 'alice' },
			email: { email: 'x@example.org' },
			channel: { username: 'alice' },
			gitlab: { id: 4 },
		}[fail];
		const results = await resolveRecipientsBatch([{ identities: [needs] }, { identities: [{ name: 'Only A Name' }] }], directory, {
			channel: fail === 'channel' ? { team: 't', channel: 'c' } : undefined,
		});
		expect(results[0]).toEqual({ recipients: [], unresolved: [], error: new Error(`${fail} lookup failed`) });
		expect(results[1].error).toBeUndefined();
		expect(results[1].unresolved[0].detail).toMatch(/^"Only A Name" has no Mattermost account/);
	});

	it('names a bad identity entry and a bad mapping', () => {
		expect(() => toIdentity(42, 3)).toThrow('entry 3 is not a person');
		expect(toIdentity('@dora', 0)).toEqual({ username: 'dora' });
		// Kept as written; lookups and comparisons ignore letter case.
		expect(toIdentity('Dora@Example.org', 0)).toEqual({ email: 'Dora@Example.org' });
		expect(() => toIdentity('Dora Explorer', 4)).toThrow('entry 4 ("Dora Explorer") is neither a username nor an e-mail address');
		expect(toIdentity({ id: '12', role: 'author', roles: ['reviewer'] }, 0)).toEqual({ id: 12, roles: ['author', 'reviewer'] });
		expect(() => parseMapping({ alice: 3 } as never)).toThrow('the mapping for "alice" must be a Mattermost username');
		expect(() => parseMapping('alice=bob' as never)).toThrow('must be an object');
	});
});

describe('cachedDirectory', () => {
	it('answers repeated lookups, misses included, from the cache until the time-to-live passes', async () => {
		let t = 0;
		const { directory, calls } = fakeDirectory(people, { emails: { 'c@example.org': 'mm-carla' }, gitlab: [{ id: 1, username: 'alice' }] });
		const cached = cachedDirectory(directory, cacheBook(() => t), { ttlMs: 600_000, identity: 'servers-a' });
		const identities = [{ username: 'alice' }, { username: 'nobody' }, { email: 'c@example.org' }, { id: 1 }];
		const first = await resolveRecipients(identities, cached);
		const second = await resolveRecipients(identities, cached);
		expect(second).toEqual(first);
		expect(calls).toEqual({ usernames: [['alice', 'nobody']], email: ['c@example.org'], gitlab: [1], channel: [] });
		t = 600_001;
		await resolveRecipients(identities, cached);
		expect(calls.usernames).toHaveLength(2);
	});

	it('serves 100 requests naming the same 5 people with one batch', async () => {
		const { directory, calls } = fakeDirectory(people);
		const cached = cachedDirectory(directory, cacheBook(), { ttlMs: 600_000, identity: 'servers-a' });
		const names = ['alice', 'bruno.k', 'carla', 'gone', 'deploybot'];
		const requests = Array.from({ length: 100 }, (_, i) => ({ identities: [{ username: names[i % 5] }, { username: names[(i + 1) % 5] }] }));
		const results = await resolveRecipientsBatch(requests, cached);
		expect(results.every((r) => r.recipients.length + r.unresolved.length === 2)).toBe(true);
		expect(calls.usernames).toEqual([names]);
	});

	it('keeps the answers of one pair of servers from another', async () => {
		const book = cacheBook();
		const first = fakeDirectory(people);
		await resolveRecipients([{ username: 'alice' }], cachedDirectory(first.directory, book, { ttlMs: 600_000, identity: 'servers-a' }));
		const second = fakeDirectory(people);
		await resolveRecipients([{ username: 'alice' }], cachedDirectory(second.directory, book, { ttlMs: 600_000, identity: 'servers-b' }));
		expect(second.calls.usernames).toEqual([['alice']]);
		const again = fakeDirectory(people);
		await resolveRecipients([{ username: 'alice' }], cachedDirectory(again.directory, book, { ttlMs: 600_000, identity: 'servers-a' }));
		expect(again.calls.usernames).toEqual([]);
	});

});

describe('recipient limit per event and the gathered report of unreached people', () => {
	const many = Array.from({ length: 250 }, (_, n) => ({ id: `mm-u${n}`, username: `u${n}` }));

	it('reaches the first N people, looks up no one else, and reports the rest once', async () => {
		const { directory, calls } = fakeDirectory(many);
		const identities = many.map((u, n) => ({ username: u.username, role: n < 100 ? 'assignee' : n < 200 ? 'reviewer' : 'mentioned' }));
		const result = await resolveRecipients(identities, directory, { recipientLimit: 20, event: { kind: 'merge_request', action: 'open' } });
		expect(result.recipients.map((r) => r.mattermost.username)).toEqual(many.slice(0, 20).map((u) => u.username));
		expect(calls.usernames.flat()).toHaveLength(20);
		const over = result.unresolved.filter((u) => u.reason === 'over_limit');
		expect(over).toHaveLength(1);
		expect(over[0].people).toHaveLength(230);
		expect(over[0].detail).toMatch(/^230 people were not notified because this merge_request:open event names more than 20 recipients: GitLab user @u20, .* and 220 more$/);
	});

	it('the actor takes no place under the limit', async () => {
		const { directory } = fakeDirectory(many);
		const identities = many.slice(0, 3).map((u) => ({ username: u.username }));
		const result = await resolveRecipients(identities, directory, { recipientLimit: 2, actor: { username: 'u0' } });
		expect(result.recipients.map((r) => r.mattermost.username)).toEqual(['u1', 'u2']);
	});

	it('gathers the unreached people of one event into one text, leaving out choices (actor, muted, bot)', async () => {
		const { gatherUnreached } = await import('../../nodes/core/recipients');
		const { directory } = fakeDirectory(people);
		const result = await resolveRecipients(
			[{ username: 'alice' }, { username: 'nobody' }, { username: 'gone' }, { username: 'deploybot' }, { username: 'nobody2' }],
			directory,
			{ actor: { username: 'alice' } },
		);
		const gathered = gatherUnreached(result.unresolved)!;
		expect(gathered.unreached.map((u) => u.reason)).toEqual(['not_found', 'deactivated', 'not_found']);
		expect(gathered.detail.split('\n')).toHaveLength(3);
		expect(gatherUnreached(result.unresolved.filter((u) => u.reason === 'actor'))).toBeUndefined();
	});
});
