/**
 * Thread keys: the first message with a key (e.g. `gitlab/42/merge_request/7`) becomes the root post of a thread in
 * its channel; later messages with the same key in the same channel reply to it. The key → root map lives in a
 * store book, so it survives between executions and concurrent executions agree on a single root.
 */
import type { Book } from '../state';
import { excerpt } from '../text';
import { ClaimBook, type ClaimBookOptions } from './claims';

export type ThreadLookup =
	| { state: 'root'; rootId: string }
	/** Another execution is creating the root right now. */
	| { state: 'pending' }
	| { state: 'none' };

export class ThreadBook extends ClaimBook<string> {
	constructor(book: Book, options: ClaimBookOptions = {}) {
		super(book, (rootId) => rootId, (stored) => stored || undefined, options);
	}

	async lookup(channelId: string, threadKey: string): Promise<ThreadLookup> {
		const found = await this.find(channelId, threadKey);
		return found.state === 'made' ? { state: 'root', rootId: found.value } : found;
	}

	async record(channelId: string, threadKey: string, rootId: string): Promise<void> {
		await this.store(channelId, threadKey, rootId);
	}
}

const STATUS_SEPARATOR = '\n\n---\n**Latest:** ';

/** The first non-empty line of a message, shortened, as a one-line status. */
export function statusLine(message: string, max = 200): string {
	const line = message.split('\n').find((l) => l.trim() !== '') ?? '';
	return excerpt(line.replace(/^#+\s*/, '').trim(), max);
}

/**
 * The root post's message with its status line replaced by `status` (added the first time). The result stays
 * within `maxRunes` by shortening the status.
 */
export function withStatusLine(rootMessage: string, status: string, maxRunes: number): string {
	const at = rootMessage.lastIndexOf(STATUS_SEPARATOR);
	const base = at === -1 ? rootMessage : rootMessage.slice(0, at);
	if (!status) return base;
	const room = maxRunes - Array.from(base).length - Array.from(STATUS_SEPARATOR).length;
	if (room < 10) return base;
	return `${base}${STATUS_SEPARATOR}${excerpt(status, room - 1)}`;
}
