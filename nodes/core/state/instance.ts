/**
 * The instance store (regular mode): process memory is authoritative while n8n runs, and workflow static data keeps
 * only what must survive a restart, compact.
 *
 * n8n saves a workflow's static data whole after every execution that changed it and, at the start of the next one,
 * wraps every nested object of it in a change-tracking proxy: thousands of small objects there cost a fifth of a
 * second per execution. So each book is one flat string in static data (`state.<book>`): fixed-width hashed keys,
 * expiry in hours, value; only the book's newest entries; never a claim in progress. Memory loads it once per
 * process and writes it back at the end of an execution that changed the book.
 */
import type { BookSpec, Store } from './store';
import { PENDING_MARK } from './store';
import { hashKey } from './scope';

interface Entry {
	value: string;
	/** Expiry time in ms. */
	expiresAt: number;
}

const HOUR_MS = 3_600_000;
const HASH_WIDTH = 8;
const EXPIRY_WIDTH = 4;
const SEPARATOR = ',';

/** Where the books' strings live in a node's static data. */
export const STATIC_DATA_KEY = 'state';

/** Encodes the newest `limit` live entries as `<hash><expiry hours, base36><value>`, comma-separated. */
export function encodeBook(entries: Map<string, Entry>, limit: number, now: number): string {
	const parts: string[] = [];
	const all = [...entries];
	for (let i = all.length - 1; i >= 0 && parts.length < limit; i--) {
		const [hash, { value, expiresAt }] = all[i];
		if (expiresAt <= now || value.startsWith(PENDING_MARK) || value.includes(SEPARATOR)) continue;
		parts.push(hash + Math.ceil(expiresAt / HOUR_MS).toString(36).padStart(EXPIRY_WIDTH, '0') + value);
	}
	return parts.reverse().join(SEPARATOR);
}

export function decodeBook(text: string, now: number): Map<string, Entry> {
	const entries = new Map<string, Entry>();
	if (!text) return entries;
	for (const part of text.split(SEPARATOR)) {
		if (part.length < HASH_WIDTH + EXPIRY_WIDTH) continue;
		const expiresAt = parseInt(part.slice(HASH_WIDTH, HASH_WIDTH + EXPIRY_WIDTH), 36) * HOUR_MS;
		if (!(expiresAt > now)) continue;
		entries.set(part.slice(0, HASH_WIDTH), { value: part.slice(HASH_WIDTH + EXPIRY_WIDTH), expiresAt });
	}
	return entries;
}

/** One book of one node in this process. */
interface MemoryBook {
	entries: Map<string, Entry>;
	loaded: boolean;
}

const memory = new Map<string, Map<string, MemoryBook>>();

function memoryBook(scope: string, name: string): MemoryBook {
	let books = memory.get(scope);
	if (!books) memory.set(scope, (books = new Map()));
	let book = books.get(name);
	if (!book) books.set(name, (book = { entries: new Map(), loaded: false }));
	return book;
}

/** Static data written by earlier versions: `{ v: { 'k:<key>': value }, x: { 'k:<key>': expiresAt } }` per book. */
function legacyEntries(found: unknown, now: number): Map<string, Entry> {
	const entries = new Map<string, Entry>();
	const old = found as { v?: Record<string, unknown>; x?: Record<string, number> };
	for (const [k, v] of Object.entries(old.v ?? {})) {
		const expiresAt = old.x?.[k] ?? now + 30 * 24 * HOUR_MS;
		const value = v === true ? '1' : typeof v === 'string' ? v : undefined;
		if (value !== undefined && expiresAt > now) entries.set(hashKey(k.slice(2)), { value, expiresAt });
	}
	return entries;
}

/**
 * The instance store of one node (`scope`, from nodeScope()), with that node's static data for this execution.
 * `legacy` maps a book to the static-data key an earlier version kept it under, read once and then removed.
 */
export function instanceStore(
	scope: string,
	staticData: Record<string, unknown>,
	options: { now?: () => number; legacy?: Record<string, string> } = {},
): Store {
	const now = options.now ?? Date.now;
	const changed = new Map<string, BookSpec>();
	const saved = () => {
		let found = staticData[STATIC_DATA_KEY] as Record<string, unknown> | undefined;
		if (!found || typeof found !== 'object') found = {};
		return found;
	};
	const open = (spec: BookSpec): MemoryBook => {
		const book = memoryBook(scope, spec.name);
		if (!book.loaded) {
			book.loaded = true;
			const text = saved()[spec.name];
			const legacyKey = options.legacy?.[spec.name];
			const legacy = legacyKey ? staticData[legacyKey] : undefined;
			const restored = typeof text === 'string' ? decodeBook(text, now()) : legacy && typeof legacy === 'object' ? legacyEntries(legacy, now()) : new Map();
			// What this process learned before it first looked at static data is newer: it stays last.
			for (const [hash, entry] of book.entries) restored.set(hash, entry);
			book.entries = restored;
			if (legacyKey && legacyKey in staticData) {
				delete staticData[legacyKey];
				if (spec.persist > 0) changed.set(spec.name, spec);
			}
		}
		return book;
	};
	const live = (book: MemoryBook, hash: string) => {
		const entry = book.entries.get(hash);
		if (entry && entry.expiresAt <= now()) {
			book.entries.delete(hash);
			return undefined;
		}
		return entry;
	};
	const write = (spec: BookSpec, book: MemoryBook, hash: string, value: string, ttlMs?: number) => {
		book.entries.delete(hash);
		book.entries.set(hash, { value, expiresAt: now() + (ttlMs ?? spec.ttlMs) });
		if (book.entries.size > spec.maxEntries) evict(spec, book);
		if (spec.persist > 0) changed.set(spec.name, spec);
	};
	const evict = (spec: BookSpec, book: MemoryBook) => {
		const t = now();
		for (const [hash, entry] of book.entries) if (entry.expiresAt <= t) book.entries.delete(hash);
		// Down to a tenth below the bound, so the scan runs once per tenth of the bound's writes.
		let over = book.entries.size - (spec.maxEntries - Math.floor(spec.maxEntries / 10));
		for (const hash of book.entries.keys()) {
			if (over-- <= 0) break;
			book.entries.delete(hash);
		}
	};
	return {
		kind: 'instance',
		where: 'n8n process memory and workflow static data',
		async get(spec, key) {
			return live(open(spec), hashKey(key))?.value;
		},
		async set(spec, key, value, ttlMs) {
			write(spec, open(spec), hashKey(key), value, ttlMs);
		},
		async claim(spec, key, value, ttlMs) {
			const book = open(spec);
			const hash = hashKey(key);
			if (live(book, hash)) return false;
			write(spec, book, hash, value, ttlMs);
			return true;
		},
		async delete(spec, key) {
			const book = open(spec);
			if (book.entries.delete(hashKey(key)) && spec.persist > 0) changed.set(spec.name, spec);
		},
		async flush() {
			if (changed.size === 0) return;
			const books = { ...saved() };
			for (const spec of changed.values()) books[spec.name] = encodeBook(memoryBook(scope, spec.name).entries, spec.persist, now());
			changed.clear();
			// One assignment: n8n's change tracking sees it, and the saved copy is a single small object.
			staticData[STATIC_DATA_KEY] = books;
		},
	};
}
