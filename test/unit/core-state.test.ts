import { createObjectState, createProcessState, layeredState } from '../../nodes/core/state';

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
});
