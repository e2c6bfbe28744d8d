/**
 * Small key/value state with a time-to-live and a size bound, so nothing the nodes remember (dedupe keys, draft
 * flags, thread roots, user lookups) grows without limit. Pure: it works over any plain object.
 *
 * Two places hold it:
 * - workflow static data, which n8n saves after each production execution and reloads at the next one;
 * - process memory, shared by every execution of the same node in one n8n process. Executions that run at the same
 *   time each load their own copy of static data and the last one to finish wins, so only memory can make
 *   "first one wins" decisions (claim) for deliveries that arrive together.
 */

export interface KeyValueState {
	get(key: string): unknown;
	/** The live value with its expiry time in ms (absent when it never expires). */
	entry(key: string): { value: unknown; expiresAt?: number } | undefined;
	has(key: string): boolean;
	/** Writes the value; it expires after the time-to-live, or at `expiresAt` when given. */
	set(key: string, value: unknown, expiresAt?: number): void;
	delete(key: string): void;
	/** Sets the key only when it is absent or expired; true when this call set it. Synchronous, so atomic in-process. */
	claim(key: string, value?: unknown): boolean;
	size(): number;
}

export interface StateOptions {
	/** Time-to-live of an entry in milliseconds; 0 keeps entries until the size bound evicts them. */
	ttlMs: number;
	/** Most entries kept; past it the expired and then the oldest written are evicted (down to 90% of it). */
	maxEntries: number;
	now?: () => number;
}

interface Stored {
	/** Values by key, in write order (keys are prefixed so JavaScript keeps string order for numeric ids). */
	v: Record<string, unknown>;
	/** Expiry time in ms by key; absent when the entry never expires. */
	x: Record<string, number>;
}

const PREFIX = 'k:';

/** Entry counts per stored object, so a write does not have to count every key (a full store has thousands). */
const counts = new WeakMap<Stored, number>();

/** State kept in `container[namespace]`, a plain JSON object such as n8n's workflow static data. */
export function createObjectState(
	container: Record<string, unknown>,
	namespace: string,
	options: StateOptions,
): KeyValueState {
	const now = options.now ?? Date.now;
	// Evicting down to a tenth below the bound means the full scan runs once per tenth of the bound's writes.
	const evictTo = options.maxEntries - Math.floor(options.maxEntries / 10);
	const load = (): Stored => {
		let found = container[namespace] as Stored | undefined;
		if (!found || typeof found !== 'object' || typeof found.v !== 'object' || typeof found.x !== 'object') {
			container[namespace] = { v: {}, x: {} };
			found = container[namespace] as Stored;
		}
		if (!counts.has(found)) counts.set(found, Object.keys(found.v).length);
		return found;
	};
	// Re-assigning on the container marks n8n's observable static data as changed, also for nested writes.
	const touch = (data: Stored) => {
		container[namespace] = data;
	};
	const alive = (data: Stored, k: string) => k in data.v && !(k in data.x && data.x[k] <= now());
	const remove = (data: Stored, k: string) => {
		if (!(k in data.v)) return;
		delete data.v[k];
		delete data.x[k];
		counts.set(data, (counts.get(data) ?? 1) - 1);
	};
	const evict = (data: Stored) => {
		if ((counts.get(data) ?? 0) <= options.maxEntries) return;
		const t = now();
		const keys = Object.keys(data.v);
		for (const k of keys) if (k in data.x && data.x[k] <= t) remove(data, k);
		const left = Object.keys(data.v);
		for (let i = 0; i < left.length - evictTo; i++) remove(data, left[i]);
	};
	const write = (key: string, value: unknown, expiresAt?: number) => {
		const data = load();
		const k = PREFIX + key;
		// Delete first so the key moves to the end of the write order.
		remove(data, k);
		data.v[k] = value;
		counts.set(data, (counts.get(data) ?? 0) + 1);
		if (expiresAt !== undefined) data.x[k] = expiresAt;
		else if (options.ttlMs > 0) data.x[k] = now() + options.ttlMs;
		evict(data);
		touch(data);
	};
	return {
		get(key) {
			const data = load();
			const k = PREFIX + key;
			return alive(data, k) ? data.v[k] : undefined;
		},
		entry(key) {
			const data = load();
			const k = PREFIX + key;
			if (!alive(data, k)) return undefined;
			return k in data.x ? { value: data.v[k], expiresAt: data.x[k] } : { value: data.v[k] };
		},
		has(key) {
			return alive(load(), PREFIX + key);
		},
		set: write,
		delete(key) {
			const data = load();
			remove(data, PREFIX + key);
			touch(data);
		},
		claim(key, value = true) {
			if (alive(load(), PREFIX + key)) return false;
			write(key, value);
			return true;
		},
		size() {
			const data = load();
			return Object.keys(data.v).filter((k) => alive(data, k)).length;
		},
	};
}

const processStates = new Map<string, Record<string, unknown>>();

/**
 * State in this process's memory, shared by every caller that names the same scope (for example workflow id + node
 * name), so concurrent executions see each other's claims.
 */
export function createProcessState(scope: string, options: StateOptions): KeyValueState {
	let container = processStates.get(scope);
	if (!container) {
		container = {};
		processStates.set(scope, container);
	}
	return createObjectState(container, 'state', options);
}

/**
 * Memory first, persisted second: reads fall through, writes go to both, and a claim succeeds only when neither has
 * the key, so a duplicate is caught both when it arrives concurrently and after a restart.
 *
 * n8n saves static data whole, so the copies concurrent executions load can differ (the last one saved wins, and a
 * retry runs with the copy of the execution it repeats). What one execution finds in its copy is therefore copied
 * into memory, with its expiry, at once: every later execution of this process then agrees with it, whatever its
 * own copy holds.
 */
export function layeredState(memory: KeyValueState, persisted: KeyValueState): KeyValueState {
	const entry = (key: string) => {
		const inMemory = memory.entry(key);
		if (inMemory) return inMemory;
		const found = persisted.entry(key);
		if (found) memory.set(key, found.value, found.expiresAt);
		return found;
	};
	return {
		get: (key) => entry(key)?.value,
		entry,
		has: (key) => entry(key) !== undefined,
		set(key, value, expiresAt) {
			memory.set(key, value, expiresAt);
			persisted.set(key, value, expiresAt);
		},
		delete(key) {
			memory.delete(key);
			persisted.delete(key);
		},
		claim(key, value = true) {
			if (entry(key) || !memory.claim(key, value)) return false;
			persisted.set(key, value);
			return true;
		},
		size() {
			return Math.max(memory.size(), persisted.size());
		},
	};
}

/**
 * What a node keeps: `container[namespace]` (its workflow static data) under this process's memory for the same node
 * (`scope`, e.g. workflow id + node name), so it survives restarts and concurrent executions agree on claims.
 */
export function nodeState(container: Record<string, unknown>, namespace: string, scope: string, options: StateOptions): KeyValueState {
	return layeredState(createProcessState(`${scope}\u0000${namespace}`, options), createObjectState(container, namespace, options));
}
