import { formatGitLabEvent } from '../../nodes/core/gitlab';
import { resolveRecipients as mergeCandidates } from '../../nodes/core/gitlab/people';
import { parseUserList } from '../../nodes/core/mattermost';
import { hearsOwnOutcome, isEmailAddress, personOf, realEmail, samePerson } from '../../nodes/core/people';
import { resolveRecipients, type Directory, type MattermostUser } from '../../nodes/core/recipients';
import { headerValue, splitList } from '../../nodes/core/util';
import { fixture, notified } from './gitlab-helpers';

/** A directory that knows people by e-mail only, and records what it was asked. */
function emailDirectory(byEmail: Record<string, MattermostUser>) {
	const asked: string[] = [];
	const directory: Directory = {
		usersByUsernames: async () => [],
		userByEmail: async (email) => {
			asked.push(email);
			return byEmail[email] ?? null;
		},
		channelMemberIds: async () => [],
	};
	return { directory, asked };
}

describe('one e-mail rule: what GitLab and Mattermost both accept', () => {
	it('accepts ordinary addresses, letter case kept', () => {
		for (const address of ['jane.doe+ci@example.org', 'Kim@Example.ORG', 'o\'brien@example.ie', 'x_y-z@sub.example.co.uk']) {
			expect([address, isEmailAddress(address)]).toEqual([address, true]);
		}
		expect(realEmail('  Kim@Example.ORG ')).toBe('Kim@Example.ORG');
	});

	// The resolver's old check wanted a dot in the domain; GitLab (one @, no white space) and Mattermost (Go's net/mail)
	// both take a host name alone, which closed networks use.
	it('accepts a domain without a dot (the resolver used to refuse it)', () => {
		expect(isEmailAddress('jane@intranet')).toBe(true);
		expect(isEmailAddress('ops@localhost')).toBe(true);
	});

	// The resolver's old check took anything with one @ and no white space; Mattermost's net/mail refuses these unquoted.
	it('refuses address punctuation, quotes, backslashes and misplaced dots (the resolver used to accept them)', () => {
		for (const text of [
			'a,b@example.org',
			'a;b@example.org',
			'a:b@example.org',
			'<a@example.org>',
			'a(b)@example.org',
			'a[b]@example.org',
			'"a"@example.org',
			'a\\b@example.org',
			'.a@example.org',
			'a.@example.org',
			'a..b@example.org',
			'a@example..org',
			'a@.example.org',
			`${'l'.repeat(65)}@example.org`,
		]) {
			expect([text, isEmailAddress(text)]).toEqual([text, false]);
		}
	});

	it('refuses what neither server takes, GitLab\'s [REDACTED] first', () => {
		for (const text of ['[REDACTED]', 'two@at@example.org', 'a b@example.org', '@example.org', 'a@', 'plain', '']) {
			expect([text, isEmailAddress(text)]).toEqual([text, false]);
		}
		expect(realEmail(42)).toBeUndefined();
	});

	it('the formatter and the resolver keep and look up the same addresses', async () => {
		const payload = fixture('issue_open');
		payload.assignees = [
			{ id: 901, username: 'jane', email: 'jane@intranet' },
			{ id: 902, username: 'kees', email: 'a,b@example.org' },
		];
		const recipients = notified(await formatGitLabEvent(payload)).recipients;
		expect(recipients.find((r) => r.id === 901)?.email).toBe('jane@intranet');
		expect(recipients.find((r) => r.id === 902)?.email).toBeUndefined();

		const jane: MattermostUser = { id: 'u'.repeat(26), username: 'jane.m' };
		const { directory, asked } = emailDirectory({ 'jane@intranet': jane });
		const result = await resolveRecipients([{ email: 'Jane@Intranet' }, { email: 'a,b@example.org', name: 'Kees' }], directory, {
			matchUsername: false,
		});
		expect(asked).toEqual(['jane@intranet']);
		expect(result.recipients.map((r) => r.mattermost.username)).toEqual(['jane.m']);
		expect(result.unresolved.map((u) => u.detail)).toEqual(['"Kees" has no Mattermost account: nothing to look up by (enabled steps: mapping, e-mail)']);
	});
});

describe('a person given as text or as an object', () => {
	it('reads text as an e-mail or a username, and refuses anything else', () => {
		expect(personOf('@dora')).toEqual({ username: 'dora' });
		expect(personOf(' dora.explorer ')).toEqual({ username: 'dora.explorer' });
		expect(personOf('Dora@Example.org')).toEqual({ email: 'Dora@Example.org' });
		expect(personOf('Dora Explorer')).toBeUndefined();
		expect(personOf('')).toBeUndefined();
	});

	it('reads an object\'s username, id, real e-mail and name; a name alone names no one', () => {
		expect(personOf({ username: '@dora', id: '12', email: '[REDACTED]', name: ' Dora ' })).toEqual({ username: 'dora', id: 12, name: 'Dora' });
		expect(personOf({ id: 7, email: 'd@example.org', name: 'x'.repeat(300) })).toEqual({ id: 7, email: 'd@example.org', name: 'x'.repeat(200) });
		expect(personOf({ username: 'no spaces allowed', id: -1, email: 'nope' })).toBeUndefined();
		expect(personOf({ name: 'Only A Name' })).toBeUndefined();
		expect(personOf(JSON.parse('{"__proto__": {"username": "evil"}}'))).toBeUndefined();
		expect(personOf([{ username: 'dora' }])).toBeUndefined();
	});

	it('the Mattermost node reads user objects by the same rules, a Mattermost id first', () => {
		const refs = parseUserList([
			{ id: 'abcdefghijklmnopqrstuvwxyz', username: 'ignored' },
			{ id: 42, username: '@Eli' },
			{ email: ' Fay@Example.org ', username: 'not a username' },
		]);
		expect(refs.map(({ kind, value }) => `${kind}:${value}`)).toEqual(['id:abcdefghijklmnopqrstuvwxyz', 'username:eli', 'email:fay@example.org']);
		expect(() => parseUserList([{ id: 7, email: '[REDACTED]' }])).toThrow('a user object needs a Mattermost id, a username or an e-mail');
	});

	it('one person named twice: id first, then username, then e-mail, letter case ignored', () => {
		expect(samePerson({ id: 1, username: 'a' }, { id: 2, username: 'a' })).toBe(false);
		expect(samePerson({ username: 'Dora' }, { username: '@dora' })).toBe(true);
		expect(samePerson({ email: 'D@Example.org' }, { email: 'd@example.org' })).toBe(true);
		expect(samePerson({ username: 'dora' }, { email: 'dora@example.org' })).toBe(false);
	});
});

describe('the actor rule, written once for the formatter and the resolver', () => {
	it('spares whoever started a pipeline, job or deployment, and no one else', () => {
		expect(hearsOwnOutcome(['pipeline_user'])).toBe(true);
		expect(hearsOwnOutcome(['mentioned', 'pipeline_user'])).toBe(true);
		expect(hearsOwnOutcome(['author', 'assignee'])).toBe(false);
	});

	it('the formatter keeps the actor as pipeline user and drops them as author', () => {
		const actor = { id: 5, username: 'sam' };
		const filter = { actor, excludeActor: true, excludeBots: true };
		expect(mergeCandidates([{ identity: actor, role: 'pipeline_user' }], filter).recipients).toHaveLength(1);
		expect(mergeCandidates([{ identity: actor, role: 'author' }], filter)).toEqual({ recipients: [], removedActor: true });
	});

	it('the resolver does the same', async () => {
		const sam: MattermostUser = { id: 's'.repeat(26), username: 'sam' };
		const directory: Directory = { usersByUsernames: async () => [sam], userByEmail: async () => null, channelMemberIds: async () => [] };
		const actor = { username: 'sam' };
		const own = await resolveRecipients([{ username: 'sam', role: 'pipeline_user' }], directory, { actor });
		expect(own.recipients.map((r) => r.mattermost.username)).toEqual(['sam']);
		const authored = await resolveRecipients([{ username: 'sam', role: 'author' }], directory, { actor });
		expect(authored.unresolved.map((u) => u.reason)).toEqual(['actor']);
	});
});

describe('small helpers', () => {
	it('finds a header in any letter case, the first of a repeated one', () => {
		const headers = { 'X-Gitlab-Event': 'Push Hook', 'retry-after': ['3', '9'], 'x-ratelimit-reset': 12, other: { no: 1 } };
		expect(headerValue(headers, 'x-gitlab-event')).toBe('Push Hook');
		expect(headerValue(headers, 'Retry-After')).toBe('3');
		expect(headerValue(headers, 'X-RateLimit-Reset')).toBe('12');
		expect(headerValue(headers, 'other')).toBeUndefined();
		expect(headerValue(undefined, 'x')).toBeUndefined();
	});

	it('splits a typed list at commas and line breaks, or at the separators given', () => {
		expect(splitList(' a, b,,\r\nc \n')).toEqual(['a', 'b', 'c']);
		expect(splitList('note:update merge_request:approval,x', /[\s,]+/)).toEqual(['note:update', 'merge_request:approval', 'x']);
		expect(splitList(undefined)).toEqual([]);
	});
});
