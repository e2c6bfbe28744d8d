import fc from 'fast-check';

import {
	buildReply,
	isAcceptedCommand,
	isAuthorised,
	loopReason,
	normaliseTimestamp,
	parseCommandRequest,
	parseTokenList,
	presentedTokens,
	splitArgs,
} from '../../nodes/core/commands';
import { tokenMatches } from '../../nodes/core/secrets';
import outgoing from '../fixtures/mattermost/outgoing-webhook.json';
import slash from '../fixtures/mattermost/slash-command.json';

describe('splitArgs', () => {
	it.each([
		['a b  c', ['a', 'b', 'c']],
		['  leading and trailing  ', ['leading', 'and', 'trailing']],
		['new "Login fails" on Safari', ['new', 'Login fails', 'on', 'Safari']],
		["deploy 'release 2.4' now", ['deploy', 'release 2.4', 'now']],
		['say "she said \\"hi\\""', ['say', 'she said "hi"']],
		['path a\\ b', ['path', 'a b']],
		['--name="x y" z', ['--name=x y', 'z']],
		['empty "" arg', ['empty', '', 'arg']],
		['“smart quotes” here', ['smart quotes', 'here']],
		["‘single smart’ x", ['single smart', 'x']],
		['tab\tand\nnewline', ['tab', 'and', 'newline']],
		['', []],
		['   ', []],
	])('splits %j', (text, expected) => {
		expect(splitArgs(text)).toEqual(expected);
	});

	it('keeps apostrophes and unbalanced quotes as ordinary characters', () => {
		expect(splitArgs("new Can't log in")).toEqual(['new', "Can't", 'log', 'in']);
		expect(splitArgs("it's won't")).toEqual(["it's", "won't"]);
		expect(splitArgs('new "unterminated title')).toEqual(['new', '"unterminated', 'title']);
		expect(splitArgs("'it's fine' ok")).toEqual(["it's fine", 'ok']);
		expect(splitArgs('trailing \\')).toEqual(['trailing', '\\']);
	});

	it('never throws and returns strings without whitespace-only splitting artefacts, for any input', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme-composite' }), (text) => {
				const args = splitArgs(text);
				expect(Array.isArray(args)).toBe(true);
				for (const arg of args) expect(typeof arg).toBe('string');
				if (!/["'“„‘\\]/.test(text)) expect(args).toEqual(text.split(/\s+/).filter(Boolean));
			}),
			{ numRuns: 500 },
		);
	});

	it('round-trips words quoted with double quotes', () => {
		fc.assert(
			fc.property(fc.array(fc.string({ minLength: 1 })), (words) => {
				const text = words.map((w) => `"${w.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(' ');
				expect(splitArgs(text)).toEqual(words);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('parseCommandRequest', () => {
	it('reads an outgoing webhook (JSON): trigger word, args, milliseconds timestamp, no token', () => {
		const parsed = parseCommandRequest(outgoing);
		expect(parsed).toEqual({
			kind: 'outgoing_webhook',
			command: '!ticket',
			args: ['new', 'Login fails', 'on', 'Safari'],
			argsText: 'new "Login fails" on Safari',
			text: '!ticket new "Login fails" on Safari',
			user: { id: outgoing.user_id, name: 'mira.okafor' },
			channel: { id: outgoing.channel_id, name: 'ops-desk' },
			team: { id: outgoing.team_id, domain: 'platform-crew' },
			post_id: outgoing.post_id,
			root_id: '',
			response_url: '',
			trigger_id: '',
			timestamp: 1767003600123,
			raw: expect.not.objectContaining({ token: expect.anything() }),
		});
		expect(parsed.raw.trigger_word).toBe('!ticket');
	});

	it('reads seconds from form-encoded timestamps and arrays from repeated keys', () => {
		const parsed = parseCommandRequest({ ...outgoing, timestamp: '1767003600', text: ['!ticket 12', 'x'] });
		expect(parsed.timestamp).toBe(1767003600000);
		expect(parsed.args).toEqual(['12']);
	});

	it('reports the typed word when the trigger matched by prefix', () => {
		const parsed = parseCommandRequest({ ...outgoing, trigger_word: '!tick', text: '!ticket 42' });
		expect(parsed.command).toBe('!ticket');
		expect(parsed.args).toEqual(['42']);
	});

	it('reads a slash command from the query string (GET) too', () => {
		const parsed = parseCommandRequest({}, slash);
		expect(parsed.kind).toBe('slash_command');
		expect(parsed.command).toBe('/deploy');
		expect(parsed.args).toEqual(['web', 'release 2.4', '--dry-run']);
		expect(parsed.text).toBe("web 'release 2.4' --dry-run");
		expect(parsed.response_url).toBe(slash.response_url);
		expect(parsed.trigger_id).toBe(slash.trigger_id);
		expect(parsed.timestamp).toBeUndefined();
		expect(JSON.stringify(parsed)).not.toContain(slash.token);
	});

	it.each([
		['1767003600', 1767003600000],
		[1767003600123, 1767003600123],
		['abc', undefined],
		['', undefined],
		[-5, undefined],
		[null, undefined],
	])('normalises the timestamp %j', (value, expected) => {
		expect(normaliseTimestamp(value)).toBe(expected);
	});

	it('never throws for arbitrary bodies and queries, and never outputs a token field', () => {
		const field = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()));
		fc.assert(
			fc.property(
				fc.anything(),
				fc.anything(),
				fc.dictionary(fc.constantFrom('token', 'Token', 'text', 'command', 'trigger_word', 'timestamp', 'user_id', '__proto__'), field),
				(body, query, fields) => {
					for (const parsed of [parseCommandRequest(body, query), parseCommandRequest(fields), parseCommandRequest({}, fields)]) {
						expect(typeof parsed.command).toBe('string');
						expect(Array.isArray(parsed.args)).toBe(true);
						expect(Object.keys(parsed.raw).some((key) => key.toLowerCase() === 'token')).toBe(false);
					}
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('tokens', () => {
	it('parses the credential list', () => {
		expect(parseTokenList(' a1, b2\nc3  d4,,')).toEqual(['a1', 'b2', 'c3', 'd4']);
		expect(parseTokenList(undefined)).toEqual([]);
	});

	it('compares against every configured token, whatever the lengths', () => {
		expect(tokenMatches('b2', ['a1', 'b2'])).toBe(true);
		expect(tokenMatches('b', ['a1', 'b2'])).toBe(false);
		expect(tokenMatches('b2b2b2b2b2b2b2b2b2', ['b2'])).toBe(false);
		expect(tokenMatches('', ['', 'a1'])).toBe(false);
	});

	it('finds the token in the body and in the Authorization header', () => {
		expect(presentedTokens({ token: 'x' }, undefined)).toEqual(['x']);
		expect(presentedTokens({}, 'Token y')).toEqual(['y']);
		expect(presentedTokens({}, 'bearer  z')).toEqual(['z']);
		expect(presentedTokens({ token: ['a', 'b'] }, 'Token c')).toEqual(['a', 'b', 'c']);
	});

	it('authorises only when every presented token is configured', () => {
		expect(isAuthorised(['a'], ['a', 'b'])).toBe(true);
		expect(isAuthorised(['a', 'b'], ['a', 'b'])).toBe(true);
		expect(isAuthorised(['a', 'x'], ['a', 'b'])).toBe(false);
		expect(isAuthorised([], ['a'])).toBe(false);
		expect(isAuthorised(['a'], [])).toBe(false);
	});
});

describe('filters and loop guard', () => {
	const parsed = parseCommandRequest(outgoing);

	it('accepts listed commands without letter case, and everything when the list is empty', () => {
		expect(isAcceptedCommand(parsed, [])).toBe(true);
		expect(isAcceptedCommand(parsed, ['!TICKET'])).toBe(true);
		expect(isAcceptedCommand(parsed, ['!deploy'])).toBe(false);
		const slashParsed = parseCommandRequest(slash);
		expect(isAcceptedCommand(slashParsed, ['deploy'])).toBe(true);
		expect(isAcceptedCommand(slashParsed, ['/status'])).toBe(false);
	});

	it('flags posts by listed users, by no user, and posts marked as bot or webhook posts', () => {
		expect(loopReason(parsed, '')).toBeUndefined();
		expect(loopReason(parsed, '@Mira.Okafor, other')).toMatch(/ignored users/);
		expect(loopReason(parsed, [outgoing.user_id])).toMatch(/ignored users/);
		expect(loopReason(parseCommandRequest({ ...outgoing, user_id: '' }), '')).toMatch(/no user id/);
		expect(loopReason(parseCommandRequest({ ...outgoing, from_bot: 'true' }), '')).toMatch(/from_bot/);
		expect(loopReason(parseCommandRequest({ ...outgoing, props: { from_webhook: 'true' } }), '')).toMatch(/from_webhook/);
	});
});

describe('buildReply', () => {
	it('threads outgoing-webhook replies and neutralises channel-wide mentions', () => {
		expect(buildReply('outgoing_webhook', 'Done @channel')).toEqual({
			text: 'Done @\u200bchannel',
			response_type: 'comment',
		});
	});

	it('leaves the type out for a channel-level outgoing-webhook reply', () => {
		expect(buildReply('outgoing_webhook', 'Done', 'ephemeral', 'channel')).toEqual({ text: 'Done' });
	});

	it('gives slash commands the chosen visibility', () => {
		expect(buildReply('slash_command', 'ok')).toEqual({ response_type: 'ephemeral', text: 'ok' });
		expect(buildReply('slash_command', 'ok', 'in_channel')).toEqual({ response_type: 'in_channel', text: 'ok' });
	});

	it('has nothing to send for empty text', () => {
		expect(buildReply('slash_command', '  ')).toBeUndefined();
		expect(buildReply('outgoing_webhook', '')).toBeUndefined();
	});
});
