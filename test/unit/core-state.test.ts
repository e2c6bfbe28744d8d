import {
	decodeBook,
	encodeBook,
	hashKey,
	identityScope,
	instanceStore,
	nodeScope,
	openBook,
	STATIC_DATA_KEY,
	type BookSpec,
} from '../../nodes/core/state';

const HOUR = 3_600_000;
let scopes = 0;
const freshScope = () => `core-state-test-${++scopes}`;

describe('instance store', () => {
	let t = 1000 * HOUR;
	const now = () => t;
	beforeEach(() => (t = 1000 * HOUR));
	const dedupe: BookSpec = { name: 'dedupe', ttlMs: HOUR, maxEntries: 10, persist: 10 };

	it('claims once until the entry expires', async () => {
		const book = openBook(instanceStore(freshScope(), {}, { now }), dedupe);
		expect(await book.claim('a', '1')).toBe(true);
		expect(await book.claim('a', '1')).toBe(false);
		t += HOUR + 1;
		expect(await book.get('a')).toBeUndefined();
		expect(await book.claim('a', '1')).toBe(true);
	});

	it('lets exactly one of several concurrent claims of one node win, whatever copy of static data each execution has', async () => {
		const scope = freshScope();
		const results = await Promise.all([{}, {}, {}].map((copy) => openBook(instanceStore(scope, copy, { now }), dedupe).claim('delivery-1', '1')));
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('keeps the newest `persist` entries in static data as one flat string, and a restarted process reads them back', async () => {
		const staticData: Record<string, unknown> = {};
		const spec: BookSpec = { name: 'threads', ttlMs: 30 * 24 * HOUR, maxEntries: 100, persist: 3 };
		const store = instanceStore(freshScope(), staticData, { now });
		const book = openBook(store, spec);
		for (const key of ['k1', 'k2', 'k3', 'k4']) await book.set(key, `root-${key}`);
		await book.claim('k5', '~pending', 1000);
		expect(staticData).toEqual({});
		await store.flush();
		const saved = (staticData[STATIC_DATA_KEY] as Record<string, unknown>).threads;
		expect(typeof saved).toBe('string');
		expect((saved as string).split(',')).toHaveLength(3);
		const restarted = openBook(instanceStore(freshScope(), JSON.parse(JSON.stringify(staticData)), { now }), spec);
		expect(await restarted.get('k1')).toBeUndefined();
		expect(await restarted.get('k4')).toBe('root-k4');
		expect(await restarted.get('k5')).toBeUndefined();
	});

	it('keeps memory-only books out of static data', async () => {
		const staticData: Record<string, unknown> = {};
		const store = instanceStore(freshScope(), staticData, { now });
		await openBook(store, { name: 'lookups', ttlMs: HOUR, maxEntries: 10, persist: 0 }).set('me', '{"id":"u1"}');
		await store.flush();
		expect(staticData).toEqual({});
	});

	it('never keeps more than maxEntries, evicts expired entries first and then the oldest written', async () => {
		const spec: BookSpec = { name: 'big', ttlMs: 1000, maxEntries: 100, persist: 0 };
		const book = openBook(instanceStore(freshScope(), {}, { now }), spec);
		for (let i = 0; i < 50; i++) await book.set(`old${i}`, String(i));
		t += 2000;
		for (let i = 0; i < 100; i++) await book.set(`new${i}`, String(i));
		expect(await book.get('new0')).toBe('0');
		for (let i = 0; i < 50; i++) expect(await book.get(`old${i}`)).toBeUndefined();
		for (let i = 0; i < 200; i++) await book.set(`more${i}`, String(i));
		expect(await book.get('more199')).toBe('199');
		expect(await book.get('new99')).toBeUndefined();
	});

	it('reads books an earlier version kept as { v, x } objects, once, and removes them', async () => {
		const staticData: Record<string, unknown> = { threads: { v: { 'k:ch1|mr/7': 'root1', 'k:ch1|mr/8': { pendingSince: 1 } }, x: { 'k:ch1|mr/7': t + HOUR } } };
		const spec: BookSpec = { name: 'threads', ttlMs: HOUR, maxEntries: 10, persist: 10 };
		const store = instanceStore(freshScope(), staticData, { now, legacy: { threads: 'threads' } });
		const book = openBook(store, spec);
		expect(await book.get('ch1|mr/7')).toBe('root1');
		expect(await book.get('ch1|mr/8')).toBeUndefined();
		await store.flush();
		expect(Object.keys(staticData)).toEqual([STATIC_DATA_KEY]);
	});

	it('encodes entries as fixed-width hash, expiry hours and value, and drops expired ones when decoding', () => {
		const entries = new Map([
			[hashKey('a'), { value: 'x', expiresAt: t + HOUR }],
			[hashKey('b'), { value: '', expiresAt: t - 1 }],
		]);
		const text = encodeBook(entries, 10, t);
		expect(text).toMatch(/^[\w-]{8}[0-9a-z]{4}x$/);
		expect(decodeBook(text, t).get(hashKey('a'))?.value).toBe('x');
		expect(decodeBook(text, t + 3 * HOUR).size).toBe(0);
	});
});

describe('key scopes', () => {
	it('separate nodes, workflows and identities, and never show a token', () => {
		expect(nodeScope('wf1', 'Send')).not.toBe(nodeScope('wf1', 'Send 2'));
		expect(nodeScope('wf1', 'Send')).not.toBe(nodeScope('wf2', 'Send'));
		expect(identityScope('https://chat.example/', 'secret-token')).toBe(identityScope('https://chat.example', 'secret-token'));
		expect(identityScope('https://chat.example', 'secret-token')).not.toContain('secret');
	});
});
