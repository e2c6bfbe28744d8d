/**
 * The demo page of `npm run demo`: what the Mattermost stand-in received, by channel and direct message, with thread
 * replies nested under their root post. It is a plain HTML page served on its own port by the stand-in process
 * (`main.ts --demo-port <port>`); it is not Mattermost and says so.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MattermostStandin } from './mattermost';
import type { Channel, Post, Reaction, SeedTeam, SeedUser, StandinSeed } from './mattermost/state';

export interface DemoPageData {
	posts: Post[];
	channels: Channel[];
	reactions: Reaction[];
	users: SeedUser[];
	teams: SeedTeam[];
	apiUrl: string;
}

const escape = (value: unknown): string =>
	String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const COLORS: Record<string, string> = { good: '#3db887', warning: '#ffbc1f', danger: '#d24b4e' };

function attachmentHtml(attachment: Record<string, unknown>): string {
	const color = typeof attachment.color === 'string' ? (COLORS[attachment.color] ?? attachment.color) : '#8b8b8b';
	const fields = Array.isArray(attachment.fields)
		? (attachment.fields as Array<Record<string, unknown>>)
				.map((f) => `<div class="field"><b>${escape(f.title)}</b><span>${escape(f.value)}</span></div>`)
				.join('')
		: '';
	const title = attachment.title
		? `<div class="att-title">${attachment.title_link ? `<a href="${escape(attachment.title_link)}">${escape(attachment.title)}</a>` : escape(attachment.title)}</div>`
		: '';
	const pretext = attachment.pretext ? `<div class="pretext">${escape(attachment.pretext)}</div>` : '';
	const text = attachment.text ? `<div class="text">${escape(attachment.text)}</div>` : '';
	const footer = attachment.footer ? `<div class="footer">${escape(attachment.footer)}</div>` : '';
	return `${pretext}<div class="attachment" style="border-left-color:${escape(color)}">${title}${text}${fields ? `<div class="fields">${fields}</div>` : ''}${footer}</div>`;
}

function postHtml(post: Post, data: DemoPageData, replies: Post[]): string {
	const user = data.users.find((u) => u.id === post.user_id);
	const props = post.props ?? {};
	const overridden = typeof props.override_username === 'string' ? props.override_username : '';
	const author = overridden || (user ? user.username : post.user_id);
	const badges = [
		props.from_webhook === 'true' ? 'incoming webhook' : '',
		props.from_bot === 'true' || user?.is_bot ? 'bot' : '',
		typeof props.override_icon_url === 'string' ? `icon ${props.override_icon_url}` : '',
		typeof props.override_icon_emoji === 'string' ? `:${props.override_icon_emoji}:` : '',
		(post.metadata?.priority as { priority?: string } | undefined)?.priority ?? '',
		post.edit_at ? 'edited' : '',
	].filter(Boolean);
	const attachments = Array.isArray(props.attachments) ? (props.attachments as Array<Record<string, unknown>>).map(attachmentHtml).join('') : '';
	const reactions = data.reactions.filter((r) => r.post_id === post.id).map((r) => `:${escape(r.emoji_name)}:`);
	const time = new Date(post.create_at).toLocaleTimeString('en-GB');
	const nested = replies.length
		? `<div class="replies">${replies.map((reply) => postHtml(reply, data, [])).join('')}</div>`
		: '';
	return `<div class="post" id="post-${escape(post.id)}">
<div class="meta"><b>@${escape(author)}</b> <span class="time">${escape(time)}</span>${badges.map((b) => ` <span class="badge">${escape(b)}</span>`).join('')}${reactions.length ? ` <span class="badge">${reactions.join(' ')}</span>` : ''}</div>
${post.message ? `<div class="message">${escape(post.message)}</div>` : ''}${attachments}${nested}</div>`;
}

function channelTitle(channel: Channel, data: DemoPageData): string {
	if (channel.type === 'D') {
		const names = channel.name.split('__').map((id) => data.users.find((u) => u.id === id)?.username ?? id);
		return `Direct message: @${names.join(' ↔ @')}`;
	}
	if (channel.type === 'G') return `Group message: ${channel.display_name}`;
	const team = data.teams.find((t) => t.id === channel.team_id);
	return `~${channel.name}${team ? ` (team ${team.name})` : ''}`;
}

export function renderDemoPage(data: DemoPageData): string {
	const byChannel = new Map<string, Post[]>();
	for (const post of data.posts) {
		if (post.delete_at) continue;
		byChannel.set(post.channel_id, [...(byChannel.get(post.channel_id) ?? []), post]);
	}
	const channels = data.channels
		.filter((c) => byChannel.has(c.id))
		.sort((a, b) => Number(a.type === 'D') - Number(b.type === 'D') || a.name.localeCompare(b.name));
	const sections = channels.map((channel) => {
		const posts = byChannel.get(channel.id) ?? [];
		const roots = posts.filter((p) => !p.root_id || !posts.some((q) => q.id === p.root_id));
		const body = roots.map((root) => postHtml(root, data, posts.filter((p) => p.root_id === root.id))).join('');
		return `<section><h2>${escape(channelTitle(channel, data))} <small>${posts.length} message${posts.length === 1 ? '' : 's'}</small></h2>${body}</section>`;
	});
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mattermost stand-in: messages received</title>
<meta http-equiv="refresh" content="3">
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1f2328}
header{background:#1e325c;color:#fff;padding:14px 24px}
header p{margin:4px 0 0;opacity:.85;font-size:14px}
main{padding:16px 24px;max-width:1000px}
section{background:#fff;border-radius:6px;padding:12px 16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:16px;margin:0 0 8px}h2 small{font-weight:normal;color:#6a737d}
.post{border-top:1px solid #eaecef;padding:8px 0}.post:first-of-type{border-top:0}
.replies{margin:6px 0 0 18px;border-left:3px solid #d0d7de;padding-left:12px}
.meta{font-size:13px}.time{color:#6a737d}.badge{background:#eef1f5;border-radius:8px;padding:1px 7px;font-size:11px;color:#444}
.message,.text{white-space:pre-wrap;margin-top:4px;font-size:14px}
.attachment{border-left:4px solid #8b8b8b;padding:4px 10px;margin-top:6px;background:#fafbfc;font-size:13px}
.att-title{font-weight:600}.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}.field b{display:block}
.pretext,.footer{font-size:12px;color:#6a737d;margin-top:4px}
.empty{color:#6a737d}
</style></head>
<body><header><h1 style="margin:0;font-size:20px">Mattermost stand-in — this is not a real Mattermost server</h1>
<p>A small fake of the Mattermost API (${escape(data.apiUrl)}) used by <code>npm run demo</code>. It lists every message n8n posted to it, by channel and direct message, thread replies nested under their first post. Refreshes every 3 seconds.</p></header>
<main>${sections.length ? sections.join('') : '<p class="empty">No messages yet. Run <code>npm run demo:events</code> in another terminal.</p>'}</main></body></html>`;
}

/** Serves the page (and the same data as JSON at /messages.json) for a running stand-in. */
export async function startDemoPage(options: {
	standin: MattermostStandin;
	seed: Partial<StandinSeed>;
	port: number;
	host?: string;
}): Promise<{ url: string; stop(): Promise<void> }> {
	const data = (): DemoPageData => ({
		posts: options.standin.posts(),
		channels: options.standin.channels(),
		reactions: options.standin.reactions(),
		users: options.seed.users ?? [],
		teams: options.seed.teams ?? [],
		apiUrl: options.standin.url,
	});
	const server: Server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		if (path === '/messages.json') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(data()));
			return;
		}
		if (path !== '/') {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('Not found');
			return;
		}
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(renderDemoPage(data()));
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, host, resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}/`,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
