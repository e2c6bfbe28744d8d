import { clipText } from './clip';
import { splitCode } from './segments';

const ZERO_WIDTH_SPACE = '\u200b';

/** The opening of a Slack-style `<!channel>`, `<!here>`, `<!all>` (optionally `<!here|label>`). */
const SLACK_OPENER = /<!(?:channel|here|all|everyone)/gi;
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const CHANNEL_WORDS = ['channel', 'here', 'all'];
/**
 * Named character references that give characters Mattermost's mention parser keeps inside a word. A Map, so names
 * such as `toString` or `constructor` are never found on a prototype.
 */
const WORD_ENTITIES = new Map([
	['commat', '@'],
	['lowbar', '_'],
	['UnderBar', '_'],
	['period', '.'],
	['colon', ':'],
]);
const WORD = /[A-Za-z0-9@]/;
const JOINER = /[._:-]/;

/**
 * What a character reference (`&#64;`, `&#x40;`, `&commat;`) gives in Mattermost's parser: the character, a space for
 * any other named reference (none of which can continue a mention), or undefined when it is not a reference.
 * Numbers follow Mattermost's `markdown.CharacterReference` exactly: up to 8 decimal or 8 hexadecimal digits (so
 * `&#00000108;` is `l`), and 0, surrogates and anything above U+10FFFF give U+FFFD.
 */
export function decodeReference(ref: string): string | undefined {
	const numeric = /^#(?:([0-9]{1,8})|[xX]([0-9a-fA-F]{1,8}))$/.exec(ref);
	if (numeric) {
		const n = numeric[1] !== undefined ? Number(numeric[1]) : parseInt(numeric[2], 16);
		return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : '\ufffd';
	}
	const word = WORD_ENTITIES.get(ref);
	if (word !== undefined) return word;
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

/**
 * Source indices just after each `@` that starts a channel-wide mention Mattermost could honour. With `anywhere`,
 * every `@channel`, `@here` and `@all` counts whatever surrounds it: the server may cut the text right before or
 * after it.
 */
function channelMentionPoints(text: string, anywhere = false): number[] {
	if (!text.includes('@') && !text.includes('&')) return [];
	const { view, sourceEnd } = readProse(text);
	const points: number[] = [];
	for (let at = view.indexOf('@'); at !== -1; at = view.indexOf('@', at + 1)) {
		const word = CHANNEL_WORDS.find((w) => view.slice(at + 1, at + 1 + w.length).toLowerCase() === w);
		if (word && (anywhere || couldNotify(view, at, at + 1 + word.length))) points.push(sourceEnd[at]);
	}
	return points;
}

/**
 * Source indices just after the `<` of each Slack-style `<!channel>`, `<!here|label>`…: the opener followed by `>`,
 * or by `|` and a `>` further on. The next `>` is looked up once and reused by every opener before it, so a text
 * full of unclosed `<!here|` is read once, not once per opener.
 */
function slackMentionPoints(text: string): number[] {
	const points: number[] = [];
	let nextClose = -1;
	for (const match of text.matchAll(SLACK_OPENER)) {
		const after = match.index + match[0].length;
		const c = text[after];
		if (c === '>') points.push(match.index + 1);
		else if (c === '|') {
			if (nextClose !== Infinity && nextClose < after) nextClose = text.indexOf('>', after);
			if (nextClose === -1) nextClose = Infinity;
			if (nextClose !== Infinity) points.push(match.index + 1);
		}
	}
	return points;
}

function insertAt(text: string, points: number[]): string {
	if (!points.length) return text;
	let out = '';
	let last = 0;
	for (const p of points) {
		out += text.slice(last, p) + ZERO_WIDTH_SPACE;
		last = p;
	}
	return out + text.slice(last);
}

function neutraliseProse(text: string, anywhere = false): string {
	const atMentions = insertAt(text, channelMentionPoints(text, anywhere));
	return insertAt(atMentions, slackMentionPoints(atMentions));
}

/**
 * Below this many runes no Mattermost server splits a message (its smallest MaxPostSize is 4,000 runes), so a
 * message this short reaches readers in one post exactly as written.
 */
export const SMALLEST_MAX_POST_SIZE = 4000;

export interface NeutraliseOptions {
	/**
	 * The server may cut this text into several posts wherever it likes (incoming-webhook text and command replies
	 * longer than its MaxPostSize): then a code span may end up split and its inside read as prose, and any
	 * `@all` may end up at the start or the end of a post. So every channel-wide mention is neutralised, in code too,
	 * whatever surrounds it, once the text is longer than the smallest MaxPostSize.
	 */
	serverSplits?: boolean;
}

/**
 * Makes channel-wide mentions in untrusted text harmless: a zero-width space after the `@` stops Mattermost from
 * notifying the whole channel (a backslash does not), while the text looks the same. This covers every form its
 * parser honours: any letter case, inside Markdown, after a backslash, written as a character reference (`&#64;all`),
 * glued to `_`, `.`, `-` or `:`, and the Slack forms webhooks accept. `@username` mentions and code are left exactly
 * as they were. Text longer than MAX_SCANNED_TEXT is clipped first, with a notice at the end.
 *
 * A text that will be cut into several posts must be cut first and each part neutralised (see `safeMessageParts`),
 * or given `serverSplits` when the server does the cutting.
 */
export function neutraliseChannelMentions(text: string, options: NeutraliseOptions = {}): string {
	if (!text) return text;
	const clipped = clipText(text);
	if (options.serverSplits && Array.from(clipped).length > SMALLEST_MAX_POST_SIZE) return neutraliseProse(clipped, true);
	return splitCode(clipped)
		.map((segment) => (segment.code ? segment.text : neutraliseProse(segment.text)))
		.join('');
}

/** True when Mattermost could notify a whole channel for this text (outside code). */
export function hasChannelMention(text: string): boolean {
	if (!text) return false;
	return splitCode(clipText(text)).some(
		(segment) => !segment.code && (channelMentionPoints(segment.text).length > 0 || slackMentionPoints(segment.text).length > 0),
	);
}

const USER_MENTION = /(^|[^A-Za-z0-9_.+@/`-])@([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;
const RESERVED = new Set(['channel', 'all', 'here']);
/** GitLab usernames are at most 255 characters; anything longer is no username. */
const MAX_USERNAME = 255;

/** The name without trailing `.` and `-` (sentence punctuation), in one pass from the end. */
function trimTrailingPunctuation(name: string): string {
	let end = name.length;
	while (end > 0 && (name[end - 1] === '.' || name[end - 1] === '-')) end--;
	return name.slice(0, end);
}

/**
 * Usernames `@mentioned` in Markdown, in order of first appearance: not inside code, not in e-mail addresses or
 * URLs, trailing sentence punctuation removed, channel-wide mentions excluded. Group mentions cannot be told apart
 * from users by their text, so they are returned too and left to the recipient lookup. Text beyond MAX_SCANNED_TEXT
 * is not read.
 */
export function extractMentions(text: string): string[] {
	if (!text) return [];
	const found = new Set<string>();
	for (const segment of splitCode(clipText(text))) {
		if (segment.code) continue;
		for (const match of segment.text.matchAll(USER_MENTION)) {
			const name = trimTrailingPunctuation(match[2]);
			if (!name || name.length > MAX_USERNAME || RESERVED.has(name.toLowerCase())) continue;
			found.add(name);
		}
	}
	return [...found];
}
