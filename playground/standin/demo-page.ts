/**
 * The demo page of `npm run demo`: what the Mattermost stand-in received, by channel and direct message, each post
 * drawn as Mattermost draws it (demo/post.ts: Markdown, emoji, attachment cards, priority, thread replies nested).
 * It is an HTML page served on its own port by the stand-in process (`main.ts --demo-port <port>`); it is not
 * Mattermost and says so. Buttons, menus and dialogs work there, answered as a person chosen at the top (demo/interactive.ts).
 */
import { createReadStream } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMOJI_SHEET_FILE, EMOJI_SHEET_PATH } from './demo/emoji';
import { escapeHtml as escape } from './demo/html';
import { answerAsHtml, dialogsHtml, ephemeralsHtml, INTERACTIVE_CSS, submissionFrom } from './demo/interactive';
import { postHtml, type PostContext } from './demo/post';
import { DEMO_PAGE_CSS } from './demo/styles';
import type { MattermostStandin } from './mattermost';
import { stripActionIntegrations, type EphemeralPost, type OpenedDialog } from './mattermost/actions';
import type { Channel, Post, Reaction, SeedTeam, SeedUser, StandinSeed } from './mattermost/state';

export interface DemoPageData {
	posts: Post[];
	channels: Channel[];
	reactions: Reaction[];
	users: SeedUser[];
	teams: SeedTeam[];
	apiUrl: string;
	/** Whom buttons click as, their private notes and open dialogs, and the outcome of their last click. */
	as?: SeedUser;
	ephemerals?: EphemeralPost[];
	dialogs?: OpenedDialog[];
	flash?: { ok: boolean; text: string };
	dialogErrors?: Record<string, string>;
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
		as: data.as,
	};
	const sections = channels.map((channel) => {
		const posts = byChannel.get(channel.id) ?? [];
		const roots = posts.filter((p) => !p.root_id || !posts.some((q) => q.id === p.root_id));
		const body = roots.map((root) => postHtml(root, context, posts.filter((p) => p.root_id === root.id))).join('');
		return `<section><h2>${escape(channelTitle(channel, data))} <small>${posts.length} message${posts.length === 1 ? '' : 's'}</small></h2>${body}</section>`;
	});
	const dialogs = dialogsHtml(data.dialogs ?? [], data.as, data.dialogErrors);
	const flash = data.flash ? `<p class="flash${data.flash.ok ? ' ok' : ''}">${escape(data.flash.text)}</p>` : '';
	// No refresh while a dialog is being filled in.
	const refresh = dialogs ? '' : '<meta http-equiv="refresh" content="3">';
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mattermost stand-in: messages received</title>
${refresh}
<style>${DEMO_PAGE_CSS}${INTERACTIVE_CSS}</style></head>
<body><header><h1>Mattermost stand-in — this is not a real Mattermost server</h1>
<p>A small fake of the Mattermost API (${escape(data.apiUrl)}) used by <code>npm run demo</code>. It lists every message n8n posted to it, by channel and direct message, thread replies nested under their first post. Refreshes every 3 seconds.</p></header>
${answerAsHtml(data.users, data.as)}
<main>${flash}${dialogs}${ephemeralsHtml(data.ephemerals ?? [], data.as)}${sections.length ? sections.join('') : '<p class="empty">No messages yet. Run <code>npm run demo:events</code> in another terminal.</p>'}</main></body></html>`;
}

/** Serves the page (and the same data as JSON at /messages.json) for a running stand-in. */
export async function startDemoPage(options: {
	standin: MattermostStandin;
	seed: Partial<StandinSeed>;
	port: number;
	host?: string;
}): Promise<{ url: string; stop(): Promise<void> }> {
	const users = options.seed.users ?? [];
	/** Dialogs answered on this page; the stand-in keeps every dialog it opened. */
	const closed = new Set<number>();
	const data = (query?: URLSearchParams): DemoPageData => {
		const as = users.find((u) => u.username === query?.get('as'));
		const flash = query?.get('flash');
		return {
			// What a Mattermost client gets: posts without their buttons' URLs and contexts.
			posts: stripActionIntegrations(options.standin.posts()),
			channels: options.standin.channels(),
			reactions: options.standin.reactions(),
			users,
			teams: options.seed.teams ?? [],
			apiUrl: options.standin.url,
			as,
			ephemerals: options.standin.ephemerals(),
			dialogs: options.standin.dialogs().map((d, i) => (closed.has(i) ? { ...d, user_id: '' } : d)),
			flash: flash ? { ok: query?.get('ok') === '1', text: flash } : undefined,
			dialogErrors: query?.get('errors') ? (JSON.parse(query.get('errors')!) as Record<string, string>) : undefined,
		};
	};
	/** Back to the page as the same person, saying how the click went (as a Mattermost client would). */
	const back = (res: ServerResponse, as: string, flash: { ok: boolean; text: string }, extra: Record<string, string> = {}) => {
		const query = new URLSearchParams({ as, flash: flash.text, ok: flash.ok ? '1' : '0', ...extra });
		res.writeHead(303, { location: `/?${query}` }).end();
	};
	const answer = async (path: string, form: URLSearchParams, res: ServerResponse) => {
		const as = users.find((u) => u.username === form.get('as'));
		if (!as) return back(res, '', { ok: false, text: 'Choose whom to answer as first.' });
		if (path === '/click') {
			const result = await options.standin.clickAs(as.id, form.get('post_id') ?? '', form.get('action_id') ?? '', form.get('selected_option') ?? undefined);
			const detail = (result.json as { detailed_error?: string; message?: string }) ?? {};
			return back(res, as.username, result.status === 200 ? { ok: true, text: `@${as.username} clicked.` } : { ok: false, text: `Action failed to execute (${detail.message ?? result.status}${detail.detailed_error ? `: ${detail.detailed_error}` : ''})` });
		}
		const index = Number(form.get('dialog'));
		const dialog = options.standin.dialogs()[index];
		if (!dialog || dialog.user_id !== as.id) return back(res, as.username, { ok: false, text: 'That dialog is gone.' });
		const state = (dialog.dialog as { state?: string; callback_id?: string }) ?? {};
		const post = options.standin.posts().find((p) => state.state?.includes(p.id));
		const result = await options.standin.submitDialogAs(as.id, {
			url: dialog.url,
			channel_id: post?.channel_id ?? '',
			callback_id: state.callback_id ?? '',
			state: state.state ?? '',
			submission: form.get('cancel') ? {} : submissionFrom(dialog, form),
			cancelled: form.get('cancel') === 'true',
		});
		const body = (result.json ?? {}) as { errors?: Record<string, string>; error?: string; message?: string };
		if (result.status !== 200) return back(res, as.username, { ok: false, text: `Submission failed (${body.message ?? result.status})` });
		if (body.errors) return back(res, as.username, { ok: false, text: 'Please correct the fields below.' }, { errors: JSON.stringify(body.errors) });
		if (body.error) return back(res, as.username, { ok: false, text: body.error });
		closed.add(index);
		return back(res, as.username, { ok: true, text: form.get('cancel') ? 'Dialog cancelled.' : `@${as.username} submitted the dialog.` });
	};
	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const path = url.pathname;
		if (req.method === 'POST' && (path === '/click' || path === '/dialog')) {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				answer(path, new URLSearchParams(Buffer.concat(chunks).toString('utf8')), res).catch((error: Error) => {
					res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
				});
			});
			return;
		}
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
		res.end(renderDemoPage(data(url.searchParams)));
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
