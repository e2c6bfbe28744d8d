/**
 * Thread keys: the first message with a key (e.g. `gitlab/42/merge_request/7`) becomes the root post of a thread in
 * its channel; later messages with the same key in the same channel reply to it. The key → root map lives in a
 * KeyValueState (workflow static data layered under process memory), so it survives between executions and
 * concurrent executions agree on a single root.
 */
import type { KeyValueState } from '../state';
import { excerpt } from '../text';

export type ThreadLookup =
	| { state: 'root'; rootId: string }
	/** Another execution is creating the root right now. */
	| { state: 'pending' }
	| { state: 'none' };

interface PendingMarker {
	pendingSince: number;
}

export interface ThreadBookOptions {
	/** A claim older than this is treated as abandoned (its execution failed or stopped before recording). */
	pendingTimeoutMs?: number;
	now?: () => number;
}

/** Root posts must be in the same channel as their replies, so the channel is part of the key. */
export function threadStateKey(channelId: string, threadKey: string): string {
	return `${channelId}|${threadKey}`;
}

export class ThreadBook {
	private readonly pendingTimeoutMs: number;
	private readonly now: () => number;

	constructor(
		private readonly state: KeyValueState,
		options: ThreadBookOptions = {},
	) {
		this.pendingTimeoutMs = options.pendingTimeoutMs ?? 120_000;
		this.now = options.now ?? Date.now;
	}

	lookup(channelId: string, threadKey: string): ThreadLookup {
		const key = threadStateKey(channelId, threadKey);
		const value = this.state.get(key);
		if (typeof value === 'string' && value) return { state: 'root', rootId: value };
		if (value && typeof value === 'object' && typeof (value as PendingMarker).pendingSince === 'number') {
			if (this.now() - (value as PendingMarker).pendingSince < this.pendingTimeoutMs) return { state: 'pending' };
			this.state.delete(key);
		}
		return { state: 'none' };
	}

	/** True when this caller won the right to create the root; others should wait for `lookup` to give it. */
	claim(channelId: string, threadKey: string): boolean {
		if (this.lookup(channelId, threadKey).state !== 'none') return false;
		const marker: PendingMarker = { pendingSince: this.now() };
		return this.state.claim(threadStateKey(channelId, threadKey), marker);
	}

	record(channelId: string, threadKey: string, rootId: string): void {
		this.state.set(threadStateKey(channelId, threadKey), rootId);
	}

	/** Gives up a claim (the root could not be created) or forgets a root that no longer exists. */
	release(channelId: string, threadKey: string): void {
		this.state.delete(threadStateKey(channelId, threadKey));
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
