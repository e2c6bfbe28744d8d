/**
 * The demo page of `npm run demo`: what the Mattermost stand-in received, by channel and direct message, each post
 * drawn as Mattermost draws it (demo/post.ts: Markdown, emoji, attachment cards, priority, thread replies nested).
 * It is an HTML page served on its own port by the stand-in process (`main.ts --demo-port <port>`); it is not
 * Mattermost and says so.
 */
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMOJI_SHEET_FILE, EMOJI_SHEET_PATH } from './demo/emoji';
import { escapeHtml as escape } from './demo/html';
import { postHtml, type PostContext } from './demo/post';
import { DEMO_PAGE_CSS } from './demo/styles';
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
	const context: PostContext = {
		users: data.users,
		reactions: data.reactions,
		usernames: new Set(data.users.map((user) => user.username.toLowerCase())),
	};
	const sections = channels.map((channel) => {
		const posts = byChannel.get(channel.id) ?? [];
		const roots = posts.filter((p) => !p.root_id || !posts.some((q) => q.id === p.root_id));
		const body = roots.map((root) => postHtml(root, context, posts.filter((p) => p.root_id === root.id))).join('');
		return `<section><h2>${escape(channelTitle(channel, data))} <small>${posts.length} message${posts.length === 1 ? '' : 's'}</small></h2>${body}</section>`;
	});
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mattermost stand-in: messages received</title>
<meta http-equiv="refresh" content="3">
<style>${DEMO_PAGE_CSS}</style></head>
<body><header><h1>Mattermost stand-in — this is not a real Mattermost server</h1>
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
		if (path === EMOJI_SHEET_PATH) {
			res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=86400' });
			createReadStream(EMOJI_SHEET_FILE).pipe(res);
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
