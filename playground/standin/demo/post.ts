/**
 * One post as Mattermost shows it: avatar, author (the webhook's override name, a BOT tag), time, priority label,
 * the message as Markdown, attachment cards, reactions, and its thread replies nested under it.
 */
import type { Post, Reaction, SeedUser } from '../mattermost/state';
import { attachmentHtml, type Attachment } from './attachment';
import { emojiHtml } from './emoji';
import { escapeHtml } from './html';
import { actionsHtml } from './interactive';
import { renderMarkdown } from './markdown';

export interface PostContext {
	users: SeedUser[];
	reactions: Reaction[];
	/** Lower-case usernames Mattermost knows: their @mentions are highlighted. */
	usernames: ReadonlySet<string>;
	/** Whom buttons click as (none: they are shown but cannot be used). */
	as?: SeedUser;
}

const PRIORITY_LABELS: Record<string, string> = { important: 'Important', urgent: 'Urgent' };

function author(post: Post, context: PostContext): { name: string; bot: boolean } {
	const props = post.props ?? {};
	const user = context.users.find((u) => u.id === post.user_id);
	const override = typeof props.override_username === 'string' ? props.override_username : '';
	return {
		name: override || (user ? user.username : post.user_id),
		bot: props.from_webhook === 'true' || props.from_bot === 'true' || user?.is_bot === true,
	};
}

function avatarHtml(name: string): string {
	const hue = [...name].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 360;
	return `<div class="avatar" style="background:hsl(${hue} 45% 45%)">${escapeHtml(name.slice(0, 1).toUpperCase())}</div>`;
}

function priorityLabelHtml(post: Post): string {
	const priority = String((post.metadata?.priority as { priority?: string } | undefined)?.priority ?? '');
	const label = PRIORITY_LABELS[priority];
	return label ? ` <span class="priority ${escapeHtml(priority)}">${label}</span>` : '';
}

function headerHtml(post: Post, context: PostContext): string {
	const { name, bot } = author(post, context);
	const time = new Date(post.create_at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
	return (
		`<div class="post-header"><span class="author">${escapeHtml(name)}</span>` +
		`${bot ? ' <span class="bot-tag">BOT</span>' : ''}` +
		` <span class="time">${escapeHtml(time)}</span>${priorityLabelHtml(post)}` +
		`${post.edit_at ? ' <span class="edited">(edited)</span>' : ''}</div>`
	);
}

function reactionsHtml(post: Post, context: PostContext): string {
	const counts = new Map<string, number>();
	for (const reaction of context.reactions) {
		if (reaction.post_id === post.id) counts.set(reaction.emoji_name, (counts.get(reaction.emoji_name) ?? 0) + 1);
	}
	if (!counts.size) return '';
	const chips = [...counts].map(
		([name, count]) => `<span class="reaction">${emojiHtml(name)} ${count}</span>`,
	);
	return `<div class="reactions">${chips.join('')}</div>`;
}

function attachmentsHtml(post: Post, markdown: (text: string) => string, as: SeedUser | undefined): string {
	const attachments = post.props?.attachments;
	if (!Array.isArray(attachments)) return '';
	return (attachments as Attachment[]).map((attachment) => attachmentHtml(attachment, markdown, actionsHtml(attachment, post.id, as))).join('');
}

export function postHtml(post: Post, context: PostContext, replies: Post[] = []): string {
	const markdown = (text: string) => renderMarkdown(text, context.usernames);
	const { name } = author(post, context);
	const thread = replies.length
		? `<div class="thread"><div class="thread-count">${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}</div>` +
			`${replies.map((reply) => postHtml(reply, context)).join('')}</div>`
		: '';
	return (
		`<div class="post" id="post-${escapeHtml(post.id)}">${avatarHtml(name)}<div class="post-body">` +
		headerHtml(post, context) +
		`${post.message ? `<div class="message">${markdown(post.message)}</div>` : ''}` +
		attachmentsHtml(post, markdown, context.as) +
		reactionsHtml(post, context) +
		`${thread}</div></div>`
	);
}
