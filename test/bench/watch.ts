/**
 * Follows the Mattermost stand-in's request log (one JSON line per request, appended as it answers) instead of
 * polling its control API, so watching costs n8n nothing: every request is counted, and every post that carries a
 * benchmark token (see events.ts) resolves whoever waits for that event, with the stand-in's own create_at.
 *
 * The log is read when the kernel says it grew (inotify, through fs.watch), not on a timer: a closed loop that waits
 * for a DM sends its next event as soon as the stand-in wrote the post, as the minimal workflow's loop does when its
 * HTTP answer arrives. A slow timer stays as a backstop. `noticeMs` keeps, per awaited event, how long after the
 * post's create_at its waiter was resolved, so the table shows what watching adds.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, watch, type FSWatcher } from 'node:fs';

export const TOKEN = /bq[a-m0-9]+n\d+z/g;

export interface LoggedRequest {
	method: string;
	path: string;
	status: number;
	at: number;
	body?: unknown;
	responseBody?: unknown;
}

interface Waiter {
	need: number;
	times: number[];
	resolve: (times: number[]) => void;
}

export class RequestLogWatcher {
	readonly requests: LoggedRequest[] = [];
	/** create_at of each DM post by token (fallback-channel posts are counted apart). */
	private readonly posts = new Map<string, number[]>();
	readonly fallbackPosts: string[] = [];
	private readonly waiters = new Map<string, Waiter>();
	private offset = 0;
	private rest = '';
	private timer: NodeJS.Timeout | undefined;
	private watcher: FSWatcher | undefined;
	/** Per resolved waiter: ms from the last awaited post's create_at to the resolution. */
	readonly noticeMs: number[] = [];

	constructor(private readonly file: string) {}

	start(backstopMs = 200): void {
		// Start at the end: earlier lines belong to the start-up.
		if (existsSync(this.file)) {
			const fd = openSync(this.file, 'r');
			this.offset = fstatSync(fd).size;
			closeSync(fd);
			this.watcher = watch(this.file, { persistent: false }, () => this.poll());
		}
		this.timer = setInterval(() => this.poll(), this.watcher ? backstopMs : 10);
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.watcher?.close();
		this.watcher = undefined;
	}

	poll(): void {
		if (!existsSync(this.file)) return;
		const fd = openSync(this.file, 'r');
		try {
			const size = fstatSync(fd).size;
			if (size <= this.offset) return;
			const chunk = Buffer.alloc(size - this.offset);
			readSync(fd, chunk, 0, chunk.length, this.offset);
			this.offset = size;
			const lines = (this.rest + chunk.toString('utf8')).split('\n');
			this.rest = lines.pop() ?? '';
			for (const line of lines) if (line.trim()) this.take(JSON.parse(line) as LoggedRequest);
		} finally {
			closeSync(fd);
		}
	}

	private take(entry: LoggedRequest): void {
		this.requests.push({ method: entry.method, path: entry.path, status: entry.status, at: entry.at });
		if (entry.method !== 'POST' || entry.path !== '/api/v4/posts' || entry.status !== 201) return;
		const post = entry.responseBody as { message?: string; create_at?: number } | undefined;
		const message = post?.message ?? '';
		for (const token of new Set(message.match(TOKEN) ?? [])) {
			if (message.startsWith(':warning:')) {
				this.fallbackPosts.push(token);
				continue;
			}
			const times = this.posts.get(token) ?? [];
			times.push(post?.create_at ?? entry.at);
			this.posts.set(token, times);
			const waiter = this.waiters.get(token);
			if (waiter && times.length >= waiter.need) {
				this.waiters.delete(token);
				this.noticeMs.push(Date.now() - Math.max(...times.slice(0, waiter.need)));
				waiter.resolve([...times]);
			}
		}
	}

	/** Resolves with the create_at of the first `need` DM posts carrying `token`. */
	waitForPosts(token: string, need: number, timeoutMs: number): Promise<number[]> {
		const have = this.posts.get(token) ?? [];
		if (have.length >= need) return Promise.resolve([...have]);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters.delete(token);
				reject(new Error(`only ${(this.posts.get(token) ?? []).length} of ${need} DM posts for ${token} within ${timeoutMs / 1000} s`));
			}, timeoutMs);
			this.waiters.set(token, {
				need,
				times: [],
				resolve: (times) => {
					clearTimeout(timer);
					resolve(times);
				},
			});
		});
	}

	/** Resolves once no request has reached the stand-in for `quietMs` (n8n has nothing left to send). */
	async quiet(quietMs: number, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let count = -1;
		let since = Date.now();
		while (Date.now() < deadline) {
			this.poll();
			if (this.requests.length !== count) {
				count = this.requests.length;
				since = Date.now();
			} else if (Date.now() - since >= quietMs) {
				return;
			}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`the Mattermost stand-in was still receiving requests after ${timeoutMs / 1000} s`);
	}

	dmPostsFor(tokens: string[]): number {
		return tokens.reduce((sum, token) => sum + (this.posts.get(token)?.length ?? 0), 0);
	}
}

/** `METHOD /api/v4/path` with ids and names replaced, for a per-endpoint breakdown. */
export function endpointOf(request: Pick<LoggedRequest, 'method' | 'path'>): string {
	const path = request.path
		.replace(/\/users\/username\/[^/]+/, '/users/username/{username}')
		.replace(/\/users\/email\/[^/]+/, '/users/email/{email}')
		.replace(/\/hooks\/[^/]+/, '/hooks/{id}')
		.replace(/\/[a-z0-9]{26}(?=\/|$)/g, '/{id}');
	return `${request.method} ${path}`;
}
