/**
 * Post text as Mattermost shows it, with markdown-it: Mattermost's Markdown flavour (GFM tables and strikethrough,
 * URLs linked, every newline a line break, raw HTML shown as text), emoji shortcodes as emoji, and @mentions of
 * people Mattermost knows (and @channel, @here, @all) highlighted; other @words stay plain text, as in Mattermost.
 */
import MarkdownIt from 'markdown-it';
import { bare as emojiPlugin } from 'markdown-it-emoji';
import { emojiDefs, emojiHtml } from './emoji';

type StateCore = MarkdownIt.StateCore;
type Token = MarkdownIt.Token;

/** What each render passes to the mention rule through markdown-it's env. */
interface MentionEnv extends MarkdownIt.Env {
	usernames: ReadonlySet<string>;
}

const CHANNEL_WIDE = new Set(['channel', 'here', 'all']);
/** A Mattermost username after `@`, at the start or after a character that cannot be part of an e-mail address. */
const MENTION = /(^|[^\w@.-])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9_])?)/gi;

function mentionTokens(text: string, state: StateCore, usernames: ReadonlySet<string>): Token[] | undefined {
	const tokens: Token[] = [];
	let last = 0;
	for (const match of text.matchAll(MENTION)) {
		const name = match[2].toLowerCase();
		if (!usernames.has(name) && !CHANNEL_WIDE.has(name)) continue;
		const at = match.index + match[1].length;
		if (at > last) tokens.push(Object.assign(new state.Token('text', '', 0), { content: text.slice(last, at) }));
		tokens.push(Object.assign(new state.Token('mention', '', 0), { content: name, markup: CHANNEL_WIDE.has(name) ? 'channel-wide' : 'user' }));
		last = at + 1 + match[2].length;
	}
	if (!tokens.length) return undefined;
	if (last < text.length) tokens.push(Object.assign(new state.Token('text', '', 0), { content: text.slice(last) }));
	return tokens;
}

/** Splits text tokens (outside links; code spans are their own tokens) into text and mention tokens. */
function highlightMentions(state: StateCore): void {
	const { usernames } = state.env as MentionEnv;
	for (const block of state.tokens) {
		if (block.type !== 'inline' || !block.children) continue;
		let insideLink = 0;
		block.children = block.children.flatMap((token) => {
			if (token.type === 'link_open') insideLink++;
			if (token.type === 'link_close') insideLink--;
			if (token.type !== 'text' || insideLink > 0) return [token];
			return mentionTokens(token.content, state, usernames) ?? [token];
		});
	}
}

function createRenderer(): MarkdownIt.MarkdownIt {
	const md = new MarkdownIt({ html: false, linkify: true, breaks: true });
	md.use(emojiPlugin, { defs: emojiDefs(), shortcuts: {} });
	md.core.ruler.push('mattermost_mentions', highlightMentions);
	const escape = md.utils.escapeHtml;
	md.renderer.rules.emoji = (tokens, i) => emojiHtml(tokens[i].markup);
	md.renderer.rules.mention = (tokens, i) => `<span class="mention ${tokens[i].markup}">@${escape(tokens[i].content)}</span>`;
	md.renderer.rules.link_open = (tokens, i, options, _env, self) => {
		tokens[i].attrSet('target', '_blank');
		tokens[i].attrSet('rel', 'noopener noreferrer');
		return self.renderToken(tokens, i, options);
	};
	return md;
}

let renderer: MarkdownIt.MarkdownIt | undefined;

/** Renders one message (post text, attachment text or field value) to HTML. */
export function renderMarkdown(text: string, usernames: ReadonlySet<string>): string {
	renderer ??= createRenderer();
	const env: MentionEnv = { usernames };
	return renderer.render(text, env);
}
