/**
 * Splits a message that is longer than the server's MaxPostSize into consecutive posts. Mattermost counts the limit
 * in runes (code points), rejects longer posts with 400 on the REST API and does not split them itself.
 */
import { neutraliseChannelMentions } from '../text';

/** At most this many posts are made of one message; the last one says the rest was clipped. */
export const MAX_MESSAGE_PARTS = 10;

const FENCE_LINE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** Number of code points, the unit Mattermost's MaxPostSize is measured in. */
export function runeLength(text: string): number {
	let n = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) i++;
		}
		n++;
	}
	return n;
}

/** The UTF-16 index just after the first `runes` code points (never inside a surrogate pair). */
function indexAfterRunes(text: string, runes: number): number {
	let i = 0;
	for (let n = 0; n < runes && i < text.length; n++) {
		const c = text.charCodeAt(i);
		i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
	}
	return i;
}

interface OpenFence {
	/** The whole opening line, e.g. "```ts", repeated at the top of the next post. */
	line: string;
	/** The marker that closes it, e.g. "```". */
	marker: string;
}

/** The fenced code block still open at the end of `text`, if any. */
function openFenceAtEnd(text: string): OpenFence | undefined {
	let open: OpenFence | undefined;
	for (const line of text.split('\n')) {
		const match = FENCE_LINE.exec(line);
		if (!match) continue;
		const marker = match[2];
		if (!open) {
			open = { line: line.trimStart(), marker };
		} else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && !match[3].trim()) {
			open = undefined;
		}
	}
	return open;
}

function longestFence(text: string): number {
	let longest = 0;
	for (const line of text.split('\n')) {
		const match = FENCE_LINE.exec(line);
		if (match) longest = Math.max(longest, match[2].length);
	}
	return longest;
}

/** Where to cut `window` (a prefix of the rest of the message): paragraph, then line, then word, then anywhere. */
function cutPoint(window: string, least = 0): { end: number; skip: number } {
	// `least`: a code block's fence line repeated at the top must carry some content with it, or no post advances.
	const floor = Math.max(Math.floor(window.length * 0.3), least);
	const paragraph = window.lastIndexOf('\n\n');
	if (paragraph > floor) return { end: paragraph, skip: 2 };
	const line = window.lastIndexOf('\n');
	if (line > floor) return { end: line, skip: 1 };
	const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
	if (space > floor) return { end: space, skip: 1 };
	return { end: window.length, skip: 0 };
}

/**
 * Splits `text` into posts of at most `maxRunes` code points each, in order, preferring paragraph, then line, then
 * word boundaries. A fenced code block cut in two is closed at the end of one post and reopened (with its language)
 * at the top of the next, so each post renders on its own. At most `maxParts` posts are made: nothing beyond what
 * they can hold is read, and the last one ends with a notice that the message was clipped.
 */
export function splitMessage(text: string, maxRunes: number, maxParts = MAX_MESSAGE_PARTS): string[] {
	if (!Number.isFinite(maxRunes) || maxRunes < 1) throw new RangeError('maxRunes must be a positive number');
	if (runeLength(text) <= maxRunes) return [text];
	const bound = indexAfterRunes(text, maxParts * maxRunes);
	let clipped = bound < text.length;
	// Room for the "\n```" that closes a block cut in two.
	const longest = longestFence(text.slice(0, bound));
	const reserve = longest ? Math.min(longest + 1, Math.floor(maxRunes / 4)) : 0;
	const budget = Math.max(1, maxRunes - reserve);
	const posts: string[] = [];
	let rest = text.slice(0, bound);
	let reopened = 0;
	while (runeLength(rest) > maxRunes) {
		if (posts.length === maxParts - 1) {
			clipped = true;
			break;
		}
		const window = rest.slice(0, indexAfterRunes(rest, budget));
		const { end, skip } = cutPoint(window, reopened);
		let post = rest.slice(0, end).replace(/\s+$/, '');
		const midLine = end + skip > 0 && rest[end + skip - 1] !== '\n';
		rest = rest.slice(end + skip);
		// Cut inside a line, text such as "```js" would start the next post's first line and become a code fence;
		// escaped, it still shows as the text it was.
		if (midLine) rest = rest.replace(/^( {0,3})(`{3,}|~{3,})/, '$1\\$2');
		const open = openFenceAtEnd(post);
		// A fence line too long to repeat would leave no room for content; such a block is left cut as it is.
		if (open && runeLength(open.line) < budget / 2) {
			post += `\n${open.marker}`;
			rest = `${open.line}\n${rest}`;
			reopened = open.line.length + 1;
		} else {
			rest = rest.replace(/^\n+/, '');
			reopened = 0;
		}
		if (post) posts.push(post);
	}
	if (clipped) rest = clippedPart(rest, budget, maxParts);
	if (rest.trim()) posts.push(rest);
	return posts;
}

/** The last post of a clipped message: as much as fits beside the notice, an open code block closed. */
function clippedPart(rest: string, budget: number, maxParts: number): string {
	const full = `\n\n… (clipped: the message is longer than ${maxParts} posts)`;
	const notice = runeLength(full) < budget / 2 ? full : '…';
	const window = rest.slice(0, indexAfterRunes(rest, Math.max(1, budget - runeLength(notice))));
	let post = window.length < rest.length ? window.slice(0, cutPoint(window).end).replace(/\s+$/, '') : window;
	const open = openFenceAtEnd(post);
	if (open) post += `\n${open.marker}`;
	return post + notice;
}

/**
 * The posts of a message, each at most `maxRunes` long, with channel-wide mentions neutralised in each part after
 * the split (when `blockChannelMentions`): code left alone in a whole message may be cut in two, and the inside of
 * a code span then reads as prose in the next post. A part that grows past the limit with the invisible characters
 * makes the whole message split again with less room (each character added stands for at least four, so three
 * quarters of the room always fits).
 */
export function safeMessageParts(message: string, maxRunes: number, blockChannelMentions = true, maxParts = MAX_MESSAGE_PARTS): string[] {
	if (!blockChannelMentions) return splitMessage(message, maxRunes, maxParts);
	let parts: string[] = [];
	for (const room of [maxRunes, Math.floor(maxRunes * 0.75)]) {
		parts = splitMessage(message, Math.max(1, room), maxParts).map((part) => neutraliseChannelMentions(part));
		if (parts.every((part) => runeLength(part) <= maxRunes)) return parts;
	}
	return parts;
}
