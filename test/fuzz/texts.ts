/**
 * Generators of payload texts that try every way Mattermost could be made to notify a whole channel, mixed with
 * things that must survive untouched (`@username` mentions, code spans, fenced code).
 */
import * as fc from 'fast-check';

/** `channel`, `all` or `here` in random letter case. */
export const channelWord = fc
	.tuple(fc.constantFrom('channel', 'all', 'here'), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }))
	.map(([word, upper]) => Array.from(word, (c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/** The `@` as typed or as an escape/character reference Mattermost's parser turns back into `@`. */
const at = fc.constantFrom('@', '@', '@', '@', '\\@', '&#64;', '&#x40;', '&#0064;', '&#00000064;', '&#x00000040;', '&commat;');

/** A channel-wide mention in one of the forms Mattermost honours, or a Slack-style one for webhook paths. */
export const channelMention = fc.oneof(
	{ weight: 6, arbitrary: fc.tuple(at, channelWord).map(([a, w]) => a + w) },
	{ weight: 1, arbitrary: fc.tuple(channelWord, fc.nat({ max: 6 })).map(([w, i]) => `@${w.slice(0, i)}&#${w.charCodeAt(i) || 108};${w.slice(i + 1)}`) },
	// Zero-padded to the 8 digits Mattermost's parser accepts (`@al&#00000108;`).
	{ weight: 1, arbitrary: fc.tuple(channelWord, fc.nat({ max: 6 })).map(([w, i]) => `@${w.slice(0, i)}&#${String(w.charCodeAt(i) || 108).padStart(8, '0')};${w.slice(i + 1)}`) },
	{ weight: 2, arbitrary: fc.constantFrom('<!channel>', '<!here>', '<!all>', '<!here|here>', '<!channel|x>', '<!ALL>', '<!everyone>') },
);

/** Ordinary user mentions; names never start with a channel-wide word, so they must stay exactly as typed. */
export const userMention = fc.stringMatching(/^[a-z][a-z0-9._-]{1,12}[a-z0-9]$/).filter((n) => !/^(channel|all|here)/i.test(n)).map((n) => `@${n}`);

/** Inline code and fenced blocks holding mentions: Mattermost ignores them, so they must stay exactly as they are. */
export const codeSpan = fc.tuple(fc.constantFrom('`', '``'), channelMention, fc.constantFrom('', ' x', '.')).map(([ticks, m, tail]) => `${ticks}${m}${tail}${ticks}`);
export const fencedBlock = fc.tuple(fc.constantFrom('```', '~~~', '````'), fc.constantFrom('', 'sh', 'json'), channelMention).map(([fence, info, m]) => `${fence}${info}\n${m} x\n${fence}`);

/** Wraps a mention the way Markdown or punctuation might: bold, link text, quote, list, adjacent punctuation... */
const wrap = fc.constantFrom<(m: string) => string>(
	(m) => m,
	(m) => `**${m}**`,
	(m) => `*${m}*`,
	(m) => `_${m}_`,
	(m) => `__${m}__`,
	(m) => `~~${m}~~`,
	(m) => `[${m}](https://gitlab.example.test/a)`,
	(m) => `![${m}](https://gitlab.example.test/i.png)`,
	(m) => `> ${m}`,
	(m) => `- ${m}`,
	(m) => `1. ${m}`,
	(m) => `# ${m}`,
	(m) => `\\${m}`,
	(m) => `.${m}`,
	(m) => `${m}.`,
	(m) => `-${m}`,
	(m) => `${m}-`,
	(m) => `:${m}`,
	(m) => `${m}:`,
	(m) => `${m}_`,
	(m) => `${m}__.`,
	(m) => `x.${m}`,
	(m) => `x-${m}.y`,
	(m) => `(${m})`,
	(m) => `"${m}"`,
	(m) => `${m}!`,
	(m) => `${m}:smile:`,
	(m) => `${m}_http://x.example`,
	(m) => `${m}_www.x.example`,
	(m) => `${m}\u0301`,
	(m) => `\u200f${m}\u200e`,
	(m) => `| ${m} |`,
);

/** Text that may move the code/prose boundary Mattermost sees (unmatched backticks, escapes, link destinations). */
const trickyFiller = fc.constantFrom(
	'`', '``', '\\`', '\\\\`', '```x`', '[x](http://a.example/`)', '[x](<http://a.example/`>)', '&#96;', '\\\\', '*', '_', '~~~',
	'http://a.example/x', 'www.a.example', ':smile:', '&amp;', '&', ';', '<', '>', '\r', '\r\n', '\u2028',
	// Names of members every object inherits: an entity table looked up with them crashed the formatter.
	'&toString;', '&constructor;', '&valueOf;', '&__proto__;',
);
const plainFiller = fc.constantFrom('fix', 'the', 'login', 'deploy', 'v2.4', 'ok', 'see', 'ops@here.example', '@allison', 'x_y', 'done.');

export interface Piece {
	text: string;
	/** Must appear in the output exactly as generated. */
	keep: boolean;
}

const piece: fc.Arbitrary<Piece> = fc.oneof(
	{ weight: 5, arbitrary: fc.tuple(wrap, channelMention).map(([w, m]) => ({ text: w(m), keep: false })) },
	{ weight: 3, arbitrary: userMention.map((text) => ({ text, keep: true })) },
	{ weight: 2, arbitrary: codeSpan.map((text) => ({ text, keep: true })) },
	{ weight: 3, arbitrary: plainFiller.map((text) => ({ text, keep: false })) },
	{ weight: 2, arbitrary: trickyFiller.map((text) => ({ text, keep: false })) },
);
const separator = fc.constantFrom(' ', ' ', ' ', '\n', '\n\n', '', '\t', '  \n');

export interface MentionText {
	text: string;
	/** Substrings (user mentions, code) that must survive exactly; empty when the text is too tangled to tell. */
	keep: string[];
}

/** A text for a payload field: pieces joined with separators, and sometimes a fenced block on its own lines. */
export const mentionText: fc.Arbitrary<MentionText> = fc
	.tuple(fc.array(fc.tuple(piece, separator), { minLength: 1, maxLength: 8 }), fc.option(fencedBlock, { freq: 4 }))
	.map(([parts, fence]) => {
		let text = parts.map(([p, sep]) => p.text + sep).join('');
		if (fence) text = `${text}\n\n${fence}\n\nafter`;
		// Keep-checks only hold when nothing around a kept piece can re-pair its backticks or glue onto it: every
		// piece stands apart (whitespace between them) and no other piece carries backticks, escapes or links.
		const apart = parts.every(([, sep]) => /^\s+$/.test(sep));
		const clean = apart && !/\\|`|\]\(|&#96;|~~~|\r|\u2028|http|www/.test(parts.filter(([p]) => !p.keep).map(([p]) => p.text).join(' '));
		const keep = clean ? parts.filter(([p]) => p.keep).map(([p]) => p.text) : [];
		if (fence && clean) keep.push(fence);
		return { text, keep };
	});
