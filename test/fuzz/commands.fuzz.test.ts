import * as fc from 'fast-check';

import { buildReply, isAuthorised, loopReason, parseCommandRequest, presentedTokens, requestFields, splitArgs } from '../../nodes/core/commands';
import outgoing from '../fixtures/mattermost/outgoing-webhook.json';
import slash from '../fixtures/mattermost/slash-command.json';
import { honouredChannelMentions } from './mattermost-model';
import { hostileHeaders, hostilePayload, hostileValue, oddString, type Json } from './mutate';
import { fuzz, guarded, runs } from './run';

const FILE = 'commands.fuzz';
const fixtures = [outgoing, slash] as unknown as Json[];

/** Form decoding in n8n gives strings or arrays of strings; GET slash commands put the fields in the query. */
const queryArb = fc.oneof(fc.constant<Json>({}), hostilePayload(fixtures), fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 4 }) as fc.Arbitrary<Json>);

function expectParsedShape(parsed: ReturnType<typeof parseCommandRequest>) {
	for (const key of ['command', 'argsText', 'text', 'post_id', 'root_id', 'response_url', 'trigger_id'] as const) {
		if (typeof parsed[key] !== 'string') throw new Error(`${key} is ${typeof parsed[key]}`);
	}
	if (!Array.isArray(parsed.args) || parsed.args.some((a) => typeof a !== 'string')) throw new Error('args is not a list of strings');
	if (parsed.kind !== 'slash_command' && parsed.kind !== 'outgoing_webhook') throw new Error(`kind ${String(parsed.kind)}`);
	for (const key of Object.keys(parsed.raw)) if (key.toLowerCase() === 'token') throw new Error('token kept in raw');
	if (Object.getPrototypeOf(parsed.raw) !== Object.prototype) throw new Error('raw has a replaced prototype');
	if (parsed.timestamp !== undefined && !Number.isFinite(parsed.timestamp)) throw new Error('timestamp not finite');
}

describe('command parsing under hostile input', () => {
	it('reads any body, query and headers into the documented shape without throwing', () => {
		fuzz(
			FILE,
			'parseCommandRequest(hostile body, hostile query)',
			fc.property(hostilePayload(fixtures), queryArb, hostileHeaders, (body, query, headers) => {
				guarded('parseCommandRequest', () => {
					const parsed = parseCommandRequest(body, query);
					expectParsedShape(parsed);
					const fields = requestFields(body, query);
					presentedTokens(fields, headers.authorization);
					loopReason(parsed, ['bot', '@n8n']);
					loopReason(parsed, 'bot,\n@n8n');
				});
			}),
		);
	});

	it('splits any string into arguments without throwing, never inventing characters', () => {
		const text = fc.oneof(
			fc.string({ unit: 'binary', maxLength: 200 }),
			fc.array(fc.constantFrom('"', "'", '\\', ' ', '\t', '\n', '\u201c', '\u201d', '\u201e', '\u2018', '\u2019', 'a', 'b', '@channel', '`', '\u00a0', '\u3000'), { maxLength: 40 }).map((p) => p.join('')),
			oddString,
		);
		fuzz(
			FILE,
			'splitArgs(arbitrary string)',
			fc.property(text, (input) => {
				const args = guarded('splitArgs', () => splitArgs(input));
				if (!Array.isArray(args)) throw new Error('not an array');
				const inputChars = new Set(Array.from(input));
				for (const arg of args) {
					if (typeof arg !== 'string') throw new Error('non-string argument');
					for (const ch of Array.from(arg)) if (!inputChars.has(ch)) throw new Error(`argument character ${JSON.stringify(ch)} not in the input`);
				}
			}),
		);
	});

	it('round-trips simple arguments: plain, double-quoted (with escapes) and single-quoted words', () => {
		const plainWord = fc.stringMatching(/^[A-Za-z0-9@#%+=,.:/-]{1,12}$/);
		const spacedWord = fc.stringMatching(/^[A-Za-z0-9 @.,:-]{1,16}$/).filter((w) => w.trim().length > 0);
		const hairyWord = fc.stringMatching(/^[A-Za-z0-9 "\\']{1,12}$/);
		const arg = fc.oneof(
			plainWord.map((w) => ({ want: w, typed: w })),
			spacedWord.map((w) => ({ want: w, typed: `"${w}"` })),
			spacedWord.map((w) => ({ want: w, typed: `'${w}'` })),
			hairyWord.map((w) => ({ want: w, typed: `"${w.replace(/[\\"]/g, (c) => `\\${c}`)}"` })),
		);
		fuzz(
			FILE,
			'splitArgs round trip',
			fc.property(fc.array(arg, { maxLength: 8 }), fc.constantFrom(' ', '  ', '\t', ' \n '), (list, gap) => {
				const typed = list.map((a) => a.typed).join(gap);
				const got = splitArgs(typed);
				const want = list.map((a) => a.want);
				if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`typed ${JSON.stringify(typed)} gave ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`);
				const parsed = parseCommandRequest({ command: '/deploy', text: typed, user_id: 'u1' });
				if (JSON.stringify(parsed.args) !== JSON.stringify(want)) throw new Error('parseCommandRequest args differ from splitArgs');
			}),
			{ numRuns: runs(3000) },
		);
	});

	it('never authorises a request whose tokens are not all configured', () => {
		const token = fc.string({ minLength: 1, maxLength: 30 });
		fuzz(
			FILE,
			'isAuthorised refuses unknown tokens',
			fc.property(fc.uniqueArray(token, { minLength: 1, maxLength: 4 }), token, fc.boolean(), (configured, presented, viaHeader) => {
				fc.pre(!configured.includes(presented) && !configured.includes(presented.trim()));
				const fields = viaHeader ? {} : { token: presented };
				const tokens = presentedTokens(fields, viaHeader ? `Token ${presented}` : undefined);
				if (tokens.length > 0 && tokens.every((t) => configured.includes(t))) return;
				if (isAuthorised(tokens, configured)) throw new Error(`authorised ${JSON.stringify(presented)} against ${JSON.stringify(configured)}`);
			}),
			{ numRuns: runs(2000) },
		);
	});

	it('replies never throw and carry no channel-wide mention, whatever the reply text', () => {
		fuzz(
			FILE,
			'buildReply(hostile text)',
			fc.property(fc.oneof(oddString, fc.string({ unit: 'binary' }), hostileValue as fc.Arbitrary<unknown>), fc.constantFrom('slash_command', 'outgoing_webhook') as fc.Arbitrary<'slash_command' | 'outgoing_webhook'>, (text, kind) => {
				const reply = guarded('buildReply', () => buildReply(kind, text as string));
				if (reply && honouredChannelMentions(reply.text, { slack: true }).length) throw new Error(`reply ${JSON.stringify(reply.text)} notifies the channel`);
			}),
			{ numRuns: runs(2000) },
		);
	});
});
