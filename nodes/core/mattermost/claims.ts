import { PENDING_MARK, type Book } from '../state';

/** A key's state: made (with its value), pending (someone is making it) or none. */
export type Claimed<T> = { state: 'made'; value: T } | { state: 'pending' } | { state: 'none' };

export interface ClaimBookOptions {
	/** A claim older than this counts as abandoned (its execution failed or stopped before recording); it expires. */
	pendingTimeoutMs?: number;
}

/** Values belong to a channel (a thread's root and its replies, a message and its repeat), so it is in the key. */
const bookKey = (channelId: string, key: string) => `${channelId}|${key}`;

/**
 * What the thread book and the sent book share: a value per channel and key that exactly one caller makes. A caller
 * claims the key (a pending marker that expires by itself) before making the value and then records it or, when
 * making it failed, releases the claim; everyone else waits while it is pending.
 */
export class ClaimBook<T> {
	private readonly pendingTimeoutMs: number;

	constructor(
		private readonly book: Book,
		private readonly encode: (value: T) => string,
		/** The value in a stored string, or undefined when it is not a made value. */
		private readonly decode: (stored: string) => T | undefined,
		options: ClaimBookOptions = {},
	) {
		this.pendingTimeoutMs = options.pendingTimeoutMs ?? 120_000;
	}

	protected async find(channelId: string, key: string): Promise<Claimed<T>> {
		const stored = await this.book.get(bookKey(channelId, key));
		if (stored === undefined) return { state: 'none' };
		if (stored.startsWith(PENDING_MARK)) return { state: 'pending' };
		const value = this.decode(stored);
		return value === undefined ? { state: 'none' } : { state: 'made', value };
	}

	protected async store(channelId: string, key: string, value: T): Promise<void> {
		await this.book.set(bookKey(channelId, key), this.encode(value));
	}

	/**
	 * True when this caller won the right to make the value; others wait for the lookup to give it. A won claim also
	 * leaves a trace that outlives it: when the claim expires without a value (its holder died, possibly after
	 * making the post), the next caller sees that someone tried and reads the channel back before making it again.
	 */
	async claim(channelId: string, key: string): Promise<boolean> {
		const won = await this.book.claim(bookKey(channelId, key), `${PENDING_MARK}${Date.now()}`, this.pendingTimeoutMs);
		// Marked pending, so the instance store keeps it out of static data (a restart reads every channel anyway).
		if (won) await this.book.set(`tried|${bookKey(channelId, key)}`, `${PENDING_MARK}tried`);
		return won;
	}

	/** Whether someone claimed this key before (see claim()), whatever became of the claim. */
	async tried(channelId: string, key: string): Promise<boolean> {
		return (await this.book.get(`tried|${bookKey(channelId, key)}`)) !== undefined;
	}

	/** Gives up a claim (the value could not be made) or forgets a value that no longer exists. */
	async release(channelId: string, key: string): Promise<void> {
		await this.book.delete(bookKey(channelId, key));
	}
}
