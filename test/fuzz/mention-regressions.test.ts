import { hasChannelMention, neutraliseChannelMentions } from '../../nodes/core/text';
import { honouredChannelMentions } from './mattermost-model';

/** Minimal counterexamples the mention-safety fuzzer found in nodes/core/text (all notified before the fix). */
const BYPASSES = [
	'_@all_',
	'@all_',
	'&#64;channel',
	'@&#99;hannel',
	'&commat;here',
	'\\\\`x` @channel `y`',
	'```x`\n@channel\n```',
	'`a\n\n@channel `b`',
	'[x](http://a.example/`) @channel `b`)',
	'```\r```\r@channel',
	'@here_www.x.example',
	'www.a.example`@channel x` `<!channel>`',
	'@al&#108;http://a.example/x',
	'@al&#00000108;',
	'&#00000064;all',
	// a quoted line after a quoted line continues the quote's paragraph, and the line after it lazily too (seed 1941707773)
	'`fix\n> @here `<!channel>` fix ` fix\n> `<!channel>` fix \n`fix ` fix ',
];

describe('mention bypasses found by fuzzing', () => {
	it.each(BYPASSES)('%j notifies as written and not once neutralised', (text) => {
		expect(honouredChannelMentions(text, { slack: true }).length).toBeGreaterThan(0);
		expect(hasChannelMention(text)).toBe(true);
		const safe = neutraliseChannelMentions(text);
		expect(honouredChannelMentions(safe, { slack: true })).toEqual([]);
		expect(safe.replace(/\u200b/g, '')).toBe(text);
	});

	it.each(['@here_team', 'ops@here.example', '@allison', '`@channel`', '```\n@all\n```', '~~~ \u2028 @channel\n~~~'])('%j is left exactly as it was', (text) => {
		expect(neutraliseChannelMentions(text)).toBe(text);
	});
});

it('an autolink ending at a neutralised Slack mention does not move the code span boundary (seed 2024)', () => {
	const text = 'http://a.example/x`<!channel>` `@channel` fix ';
	expect(honouredChannelMentions(neutraliseChannelMentions(text), { slack: true })).toEqual([]);
});
