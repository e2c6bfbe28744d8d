import type { KeyValueState } from '../state';

/** A key's state: made (with its value), pending (someone is making it) or none. */
export type Claimed<T> = { state: 'made'; value: T } | { state: 'pending' } | { state: 'none' };

export interface ClaimBookOptions {
	/** A claim older than this counts as abandoned (its execution failed or stopped before recording). */
	pendingTimeoutMs?: number;
	now?: () => number;
}

interface PendingMarker {
	pendingSince: number;
}

/** Values belong to a channel (a thread's root and its replies, a message and its repeat), so it is in the key. */
const stateKey = (channelId: string, key: string) => `${channelId}|${key}`;

/**
 * What the thread book and the sent book share: a value per channel and key that exactly one caller makes. A caller
 * claims the key (a pending marker) before making the value and then records it or, when making it failed, releases
 * the claim; everyone else waits while it is pending.
 */
export class ClaimBook<T> {
	private readonly pendingTimeoutMs: number;
	private readonly now: () => number;

	constructor(
		private readonly state: KeyValueState,
		/** The value in a stored entry, or undefined when the entry is not a made value. */
		private readonly read: (stored: unknown) => T | undefined,
		options: ClaimBookOptions = {},
	) {
		this.pendingTimeoutMs = options.pendingTimeoutMs ?? 120_000;
		this.now = options.now ?? Date.now;
	}

	protected find(channelId: string, key: string): Claimed<T> {
		const k = stateKey(channelId, key);
		const stored = this.state.get(k);
		const value = this.read(stored);
		if (value !== undefined) return { state: 'made', value };
		if (stored && typeof stored === 'object' && typeof (stored as PendingMarker).pendingSince === 'number') {
			if (this.now() - (stored as PendingMarker).pendingSince < this.pendingTimeoutMs) return { state: 'pending' };
			this.state.delete(k);
		}
		return { state: 'none' };
	}

	protected store(channelId: string, key: string, stored: unknown): void {
		this.state.set(stateKey(channelId, key), stored);
	}

	/** True when this caller won the right to make the value; others wait for the lookup to give it. */
	claim(channelId: string, key: string): boolean {
		if (this.find(channelId, key).state !== 'none') return false;
		const marker: PendingMarker = { pendingSince: this.now() };
		return this.state.claim(stateKey(channelId, key), marker);
	}

	/** Gives up a claim (the value could not be made) or forgets a value that no longer exists. */
	release(channelId: string, key: string): void {
		this.state.delete(stateKey(channelId, key));
	}
}
