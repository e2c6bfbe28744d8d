import { splitCode } from './segments';

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * `@channel`, `@all` and `@here` in any letter case, as Mattermost's mention parser finds them: at the start of a word
 * or after `.`, `-`, `:` inside one (it splits words there), but not in `name@here.example` or `@allison`.
 */
const CHANNEL_WIDE = /(^|[^A-Za-z0-9_])@(channel|all|here)(?![A-Za-z0-9_])/gi;
/** Slack-style `<!channel>`, `<!here>`, `<!all>` (optionally `<!here|label>`), which webhooks turn into mentions. */
const SLACK_CHANNEL_WIDE = /<!(channel|here|all|everyone)(\|[^>]*)?>/gi;

function neutraliseProse(text: string): string {
	return text
		.replace(CHANNEL_WIDE, (_m, before: string, word: string) => `${before}@${ZERO_WIDTH_SPACE}${word}`)
		.replace(SLACK_CHANNEL_WIDE, (m) => `<${ZERO_WIDTH_SPACE}${m.slice(1)}`);
}

/**
 * Makes channel-wide mentions in untrusted text harmless: a zero-width space after the `@` stops Mattermost from
 * notifying the whole channel (a backslash does not), while the text looks the same. `@username` mentions and code
 * are left exactly as they were.
 */
export function neutraliseChannelMentions(text: string): string {
	if (!text) return text;
	return splitCode(text)
		.map((segment) => (segment.code ? segment.text : neutraliseProse(segment.text)))
		.join('');
}

/** True when Mattermost would notify a whole channel for this text (outside code). */
export function hasChannelMention(text: string): boolean {
	return splitCode(text).some((segment) => {
		if (segment.code) return false;
		CHANNEL_WIDE.lastIndex = 0;
		SLACK_CHANNEL_WIDE.lastIndex = 0;
		return CHANNEL_WIDE.test(segment.text) || SLACK_CHANNEL_WIDE.test(segment.text);
	});
}

const USER_MENTION = /(^|[^A-Za-z0-9_.+\-@/`])@([A-Za-z0-9_][A-Za-z0-9_.\-]*)/g;
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
			const name = match[2].replace(/[.\-]+$/, '');
			if (!name || RESERVED.has(name.toLowerCase())) continue;
			if (!found.includes(name)) found.push(name);
		}
	}
	return found;
}
