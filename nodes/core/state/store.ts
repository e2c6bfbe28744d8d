/**
 * The one seam for everything the nodes remember: dedupe keys, draft flags, thread roots, sent posts and their
 * claims, DM channel ids, lookups. Values are short strings and every key lives in a book, which sets its expiry and
 * bound. Two stores implement it: the instance store (process memory, a compact copy in workflow static data) and the
 * Redis store (queue mode, several mains), where a claim is one atomic SET NX PX shared by every process.
 */

/** A kind of thing remembered, with how long and how many. */
export interface BookSpec {
	/** Part of every key, and the name of the book's string in static data. */
	name: string;
	/** Time-to-live of an entry in milliseconds. */
	ttlMs: number;
	/** Most entries the instance store keeps in memory; past it the oldest written go first. */
	maxEntries: number;
	/**
	 * How many of the newest entries the instance store keeps in static data so they survive a restart; 0 keeps the
	 * book in memory only (answers that are cheap to ask again, or that the channel read-back recovers).
	 */
	persist: number;
}

export type StoreKind = 'instance' | 'redis';

export interface Store {
	readonly kind: StoreKind;
	/** Where the state lives, as shown to users (e.g. "redis 127.0.0.1:6379/0"). */
	readonly where: string;
	get(book: BookSpec, key: string): Promise<string | undefined>;
	/** Writes the value; it expires after `ttlMs`, or the book's time-to-live. */
	set(book: BookSpec, key: string, value: string, ttlMs?: number): Promise<void>;
	/** Sets the key only when it is absent (or expired), atomically for every execution sharing the store. */
	claim(book: BookSpec, key: string, value: string, ttlMs?: number): Promise<boolean>;
	delete(book: BookSpec, key: string): Promise<void>;
	/** Makes what this execution wrote survive a restart (the instance store writes its compact copy). */
	flush(): Promise<void>;
}

/** A store seen through one book: what the formatter, the resolver cache and the Mattermost books hold. */
export interface Book {
	get(key: string): Promise<string | undefined>;
	set(key: string, value: string, ttlMs?: number): Promise<void>;
	claim(key: string, value: string, ttlMs?: number): Promise<boolean>;
	delete(key: string): Promise<void>;
}

export function openBook(store: Store, spec: BookSpec): Book {
	return {
		get: (key) => store.get(spec, key),
		set: (key, value, ttlMs) => store.set(spec, key, value, ttlMs),
		claim: (key, value, ttlMs) => store.claim(spec, key, value, ttlMs),
		delete: (key) => store.delete(spec, key),
	};
}

/**
 * Values starting with this mark a claim in progress (its holder is making the value). They are never kept across
 * a restart: the holder died with the process.
 */
export const PENDING_MARK = '~';
