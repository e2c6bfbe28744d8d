import { splitCode } from './segments';

const ZERO_WIDTH_SPACE = '\u200b';

/** Slack-style `<!channel>`, `<!here>`, `<!all>` (optionally `<!here|label>`), which webhooks turn into mentions. */
const SLACK_CHANNEL_WIDE = /<!(channel|here|all|everyone)(\|[^>]*)?>/gi;
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const CHANNEL_WORDS = ['channel', 'here', 'all'];
/** Named character references that give characters Mattermost's mention parser keeps inside a word. */
const WORD_ENTITIES: Record<string, string> = { commat: '@', lowbar: '_', UnderBar: '_', period: '.', colon: ':' };
const WORD = /[A-Za-z0-9@]/;
const JOINER = /[._:-]/;

/**
 * What a character reference (`&#64;`, `&#x40;`, `&commat;`) gives in Mattermost's parser: the character, a space for
 * any other named reference (none of which can continue a mention), or undefined when it is not a reference.
 */
function decodeReference(ref: string): string | undefined {
	const numeric = /^#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,8}))$/.exec(ref);
	if (numeric) {
		const n = numeric[1] !== undefined ? Number(numeric[1]) : parseInt(numeric[2], 16);
		return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : '\ufffd';
	}
	if (WORD_ENTITIES[ref]) return WORD_ENTITIES[ref];
	return /^[A-Za-z][A-Za-z0-9]{1,31}$/.test(ref) ? ' ' : undefined;
}

/**
 * The prose as Mattermost's mention parser reads it (backslash escapes and character references decoded), with,
 * for each character read, the index just after the source text it came from.
 */
function readProse(text: string): { view: string; sourceEnd: number[] } {
	let view = '';
	const sourceEnd: number[] = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (c === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1])) {
			view += text[i + 1];
			i += 2;
			sourceEnd.push(i);
			continue;
		}
		if (c === '&') {
			const semicolon = text.slice(i + 1, i + 42).indexOf(';');
			const decoded = semicolon === -1 ? undefined : decodeReference(text.slice(i + 1, i + 1 + semicolon));
			if (decoded !== undefined) {
				i += semicolon + 2;
				for (const d of decoded) {
					view += d;
					sourceEnd.push(i);
				}
				continue;
			}
		}
		view += c;
		i++;
		sourceEnd.push(i);
	}
	return { view, sourceEnd };
}

/**
 * Whether `@word` at `at` (with `end` just after the word) could be honoured. Mattermost splits words on anything but
 * letters, digits and `: . - _ @`, trims `:.-_` on the left, strips `.-:_` suffixes, splits words that do not start
 * with `@` at `.`, `-` and `:`, and ends a word wherever a link, emoji or code node starts. This answers yes for every
 * case that rule could honour, and no for `name@here.example`, `@allison` and usernames such as `@here_team`.
 */
function couldNotify(view: string, at: number, end: number): boolean {
	const before = at > 0 ? view[at - 1] : '';
	if (before && WORD.test(before)) return false;
	const next = view[end] ?? '';
	if (!next || !(WORD.test(next) || JOINER.test(next))) return true;
	// A URL autolink right after the word ends the text run even without a separator (`@al&#108;http://x`).
	if (WORD.test(next)) return /^[A-Za-z0-9]+:\/\//.test(view.slice(end, end + 40));
	let r = end;
	while (r < view.length && JOINER.test(view[r])) r++;
	const run = view.slice(end, r);
	const after = view.slice(r, r + 12);
	return (
		run.includes(':') ||
		r === view.length ||
		!(WORD.test(view[r]) || JOINER.test(view[r])) ||
		(JOINER.test(before) && before !== '_' && /[.:-]/.test(next)) ||
		/^[A-Za-z0-9]+:\/\//.test(view.slice(r, r + 40)) ||
		/^www\d{0,3}\./.test(after)
	);
}

/** Source indices just after each `@` that starts a channel-wide mention Mattermost could honour. */
function channelMentionPoints(text: string): number[] {
	if (!text.includes('@') && !text.includes('&')) return [];
	const { view, sourceEnd } = readProse(text);
	const points: number[] = [];
	for (let at = view.indexOf('@'); at !== -1; at = view.indexOf('@', at + 1)) {
		const word = CHANNEL_WORDS.find((w) => view.slice(at + 1, at + 1 + w.length).toLowerCase() === w);
		if (word && couldNotify(view, at, at + 1 + word.length)) points.push(sourceEnd[at]);
	}
	return points;
}

function neutraliseProse(text: string): string {
	const points = channelMentionPoints(text);
	let out = '';
	let last = 0;
	for (const p of points) {
		out += text.slice(last, p) + ZERO_WIDTH_SPACE;
		last = p;
	}
	out += text.slice(last);
	return out.replace(SLACK_CHANNEL_WIDE, (m) => `<${ZERO_WIDTH_SPACE}${m.slice(1)}`);
}

/**
 * Makes channel-wide mentions in untrusted text harmless: a zero-width space after the `@` stops Mattermost from
 * notifying the whole channel (a backslash does not), while the text looks the same. This covers every form its
 * parser honours: any letter case, inside Markdown, after a backslash, written as a character reference (`&#64;all`),
 * glued to `_`, `.`, `-` or `:`, and the Slack forms webhooks accept. `@username` mentions and code are left exactly
 * as they were.
 */
export function neutraliseChannelMentions(text: string): string {
	if (!text) return text;
	return splitCode(text)
		.map((segment) => (segment.code ? segment.text : neutraliseProse(segment.text)))
		.join('');
}

/** True when Mattermost could notify a whole channel for this text (outside code). */
export function hasChannelMention(text: string): boolean {
	if (!text) return false;
	return splitCode(text).some((segment) => {
		if (segment.code) return false;
		SLACK_CHANNEL_WIDE.lastIndex = 0;
		return channelMentionPoints(segment.text).length > 0 || SLACK_CHANNEL_WIDE.test(segment.text);
	});
}

const USER_MENTION = /(^|[^A-Za-z0-9_.+@/`-])@([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;
const RESERVED = new Set(['channel', 'all', 'here']);

/**
 * Usernames `@mentioned` in Markdown, in order of first appearance: not inside code, not in e-mail addresses or
 * URLs, trailing sentence punctuation removed, channel-wide mentions excluded. Group mentions cannot be told apart
 * from users by their text, so they are returned too and left to the recipient lookup.
 */
export function extractMentions(text: string): string[] {
	if (!text) return [];
	const found: string[] = [];
	for (const segment of splitCode(text)) {
		if (segment.code) continue;
		for (const match of segment.text.matchAll(USER_MENTION)) {
			const name = match[2].replace(/[.-]+$/, '');
			if (!name || RESERVED.has(name.toLowerCase())) continue;
			if (!found.includes(name)) found.push(name);
		}
	}
	return found;
}
