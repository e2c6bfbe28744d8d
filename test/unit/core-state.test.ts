import { createObjectState, createProcessState, layeredState, nodeState } from '../../nodes/core/state';

describe('createObjectState', () => {
	let t = 1000;
	const now = () => t;
	beforeEach(() => (t = 1000));

	it('expires entries after the time-to-live', () => {
		const container = {};
		const state = createObjectState(container, 'dedupe', { ttlMs: 100, maxEntries: 10, now });
		expect(state.claim('a')).toBe(true);
		expect(state.claim('a')).toBe(false);
		t += 101;
		expect(state.has('a')).toBe(false);
		expect(state.claim('a')).toBe(true);
	});

	it('keeps at most maxEntries, evicting the oldest written (numeric keys keep their order)', () => {
		const container: Record<string, unknown> = {};
		const state = createObjectState(container, 'users', { ttlMs: 0, maxEntries: 3, now });
		for (const key of ['30', '20', '10', '5']) state.set(key, key);
		expect(state.size()).toBe(3);
		expect(state.get('30')).toBeUndefined();
		expect(state.get('5')).toBe('5');
		expect(JSON.parse(JSON.stringify(container))).toEqual({ users: { v: { 'k:20': '20', 'k:10': '10', 'k:5': '5' }, x: {} } });
	});

	it('survives a JSON round trip, as static data does between executions', () => {
		const container: Record<string, unknown> = {};
		createObjectState(container, 'threads', { ttlMs: 1000, maxEntries: 10, now }).set('gitlab/1/issue/2', 'post1');
		const reloaded = JSON.parse(JSON.stringify(container));
		expect(createObjectState(reloaded, 'threads', { ttlMs: 1000, maxEntries: 10, now }).get('gitlab/1/issue/2')).toBe('post1');
	});
});

describe('layeredState', () => {
	it('lets exactly one of several concurrent claims win, and remembers it after a restart', () => {
		const options = { ttlMs: 60_000, maxEntries: 100 };
		const copies = [{}, {}, {}];
		const results = copies.map((copy) =>
			layeredState(createProcessState('wf1/Formatter', options), createObjectState(copy, 'dedupe', options)).claim('delivery-1'),
		);
		expect(results.filter(Boolean)).toHaveLength(1);
		const afterRestart = layeredState(createProcessState('wf1/Formatter-restarted', options), createObjectState(copies[0], 'dedupe', options));
		expect(afterRestart.claim('delivery-1')).toBe(false);
	});

	it('shares what one execution finds in its copy of static data with executions whose copy lacks it, until it expires', () => {
		let t = 5000;
		const options = { ttlMs: 1000, maxEntries: 100, now: () => t };
		// Saved by an execution before a restart: the thread's root, written at t=4500, so it expires at t=5500.
		const saved: Record<string, unknown> = {};
		createObjectState(saved, 'threads', { ...options, now: () => 4500 }).set('mr-7', 'root-1');
		// After the restart one execution loads that copy and another a copy without it (an older save won the race).
		const memory = createProcessState('wf-layer|Send', options);
		const withRoot = layeredState(memory, createObjectState(JSON.parse(JSON.stringify(saved)), 'threads', options));
		const withoutRoot = layeredState(memory, createObjectState({}, 'threads', options));
		expect(withoutRoot.get('mr-7')).toBeUndefined();
		expect(withRoot.get('mr-7')).toBe('root-1');
		expect(withoutRoot.get('mr-7')).toBe('root-1');
		expect(withoutRoot.claim('mr-7')).toBe(false);
		expect(withoutRoot.entry('mr-7')).toEqual({ value: 'root-1', expiresAt: 5500 });
		t = 5501;
		expect(withoutRoot.has('mr-7')).toBe(false);
		expect(withoutRoot.claim('mr-7')).toBe(true);
	});
});

describe('eviction of a full store', () => {
	it('never keeps more than maxEntries, evicts the oldest first, and drops expired entries before live ones', () => {
		let t = 0;
		const container: Record<string, unknown> = {};
		const state = createObjectState(container, 'big', { ttlMs: 1000, maxEntries: 100, now: () => t });
		for (let i = 0; i < 50; i++) state.set(`old${i}`, i);
		t = 2000; // the first 50 have expired
		for (let i = 0; i < 100; i++) {
			state.set(`new${i}`, i);
			expect(Object.keys((container.big as { v: object }).v).length).toBeLessThanOrEqual(100);
		}
		expect(state.has('new0')).toBe(true);
		expect(state.get('new99')).toBe(99);
		for (let i = 0; i < 50; i++) expect(state.has(`old${i}`)).toBe(false);
		for (let i = 0; i < 200; i++) state.set(`more${i}`, i);
		expect(state.has('more199')).toBe(true);
		expect(state.has('new99')).toBe(false);
		expect(state.size()).toBeLessThanOrEqual(100);
		expect(state.size()).toBeGreaterThanOrEqual(90);
	});

	it('counts correctly when static data is reloaded between executions', () => {
		const options = { ttlMs: 0, maxEntries: 10 };
		let container: Record<string, unknown> = {};
		for (let run = 0; run < 5; run++) {
			const state = createObjectState(container, 'ns', options);
			for (let i = 0; i < 4; i++) state.set(`r${run}-${i}`, i);
			container = JSON.parse(JSON.stringify(container));
		}
		const keys = Object.keys((container.ns as { v: object }).v);
		expect(keys.length).toBeLessThanOrEqual(10);
		expect(keys).toContain('k:r4-3');
	});
});

describe('nodeState', () => {
	it('shares claims between executions of one node, keeps them across a restart, and keeps namespaces apart', () => {
		const options = { ttlMs: 60_000, maxEntries: 100 };
		const [a, b] = [{}, {}] as Array<Record<string, unknown>>;
		expect(nodeState(a, 'dedupe', 'wf-9|Format', options).claim('d1')).toBe(true);
		expect(nodeState(b, 'dedupe', 'wf-9|Format', options).claim('d1')).toBe(false);
		expect(nodeState(b, 'threads', 'wf-9|Format', options).claim('d1')).toBe(true);
		const restarted = JSON.parse(JSON.stringify(a));
		expect(nodeState(restarted, 'dedupe', 'wf-9|Format after restart', options).claim('d1')).toBe(false);
	});
});
