import type { IDataObject } from 'n8n-workflow';
import { DELIVERY_STATE, OBJECT_STATE } from '../../nodes/core/gitlab';
import { SENT_BOOK, THREAD_BOOK } from '../../nodes/core/mattermost';
import { instanceStore, nodeScope, type BookSpec } from '../../nodes/core/state';
import { CHANNELS_BOOK, LOOKUPS_BOOK } from '../../nodes/Mattermost/actions/execution';
import { loadWorkflows } from '../../playground/harness';
import { idFor } from '../../playground/standin/mattermost';
import { boundStaticData, hotPathNodes, RESOLVER_CACHE_BOOK, unreadLegacyBooks } from './bound-state';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);

/** Static data as the state-size simulation leaves it: one persisted string per book, under the simulation's names. */
async function simulated(): Promise<IDataObject> {
	const data: IDataObject = { 'node:Sim Formatter': {}, 'node:Sim Sender': {} };
	const write = async (node: string, spec: BookSpec, count: number) => {
		const store = instanceStore(`sim-${node}-${spec.name}`, data[`node:${node}`] as IDataObject, { now: () => NOW });
		for (let i = 0; i < count; i++) await store.set(spec, `${spec.name}-${i}`, `v${i}`);
		await store.flush();
	};
	await write('Sim Formatter', OBJECT_STATE, 30);
	await write('Sim Sender', THREAD_BOOK, 20);
	return data;
}

describe('boundStaticData', () => {
	const [gitlab] = loadWorkflows().filter((w) => w.slug === 'gitlab-notifications');

	it('hands the bundled workflow every hot-path book: the persisted ones as strings, the memory-only ones full', async () => {
		const { staticData, books } = boundStaticData(gitlab.workflow, await simulated(), { formatter: 'Sim Formatter', sender: 'Sim Sender' }, NOW);
		const nodes = hotPathNodes(gitlab.workflow);
		const kept = Object.fromEntries(books.map((b) => [`${b.book} in ${b.kept}`, b.entries]));
		expect(kept).toEqual({
			'gitlabObjects in static data': 30,
			'threads in static data': 20,
			'gitlabDeliveries in memory': DELIVERY_STATE.maxEntries,
			'recipientCache in memory': RESOLVER_CACHE_BOOK.maxEntries,
			'sent in memory': SENT_BOOK.maxEntries,
			'channels in memory': CHANNELS_BOOK.maxEntries,
			'lookups in memory': LOOKUPS_BOOK.maxEntries,
		});

		// What each node's instance store makes of it, through the path the nodes use (old layouts read once, by book name).
		const open = (node: string, specs: BookSpec[]) =>
			instanceStore(nodeScope('bound-test', node), staticData[`node:${node}`] as IDataObject, {
				now: () => NOW + 60_000,
				legacy: Object.fromEntries(specs.map((s) => [s.name, s.name])),
			});
		const sender = open(nodes.sender.name, [THREAD_BOOK, SENT_BOOK, CHANNELS_BOOK, LOOKUPS_BOOK]);
		expect(await sender.get(THREAD_BOOK, 'threads-19')).toBe('v19');
		expect(await sender.get(SENT_BOOK, `bench-bound|sent|${SENT_BOOK.maxEntries - 1}`)).toBe(idFor(`bound-post:${SENT_BOOK.maxEntries - 1}`));
		expect(await sender.get(CHANNELS_BOOK, 'bench-bound|channels|0')).toBe(idFor('bound-channel:0'));
		expect(JSON.parse((await sender.get(LOOKUPS_BOOK, 'bench-bound|lookups|5')) ?? '{}')).toMatchObject({ username: 'bound.person5' });
		const formatter = open(nodes.formatter.name, [OBJECT_STATE, DELIVERY_STATE]);
		expect(await formatter.get(OBJECT_STATE, 'gitlabObjects-0')).toBe('v0');
		expect(await formatter.get(DELIVERY_STATE, 'bench-bound|gitlabDeliveries|42')).toBe('1');
		expect(unreadLegacyBooks(staticData)).toEqual([`${nodes.resolver.name} / recipientCache`]);
		const resolver = open(nodes.resolver.name, [RESOLVER_CACHE_BOOK]);
		expect(await resolver.get(RESOLVER_CACHE_BOOK, 'bench-bound|recipientCache|1999')).toContain('bound.person1999');
		expect(unreadLegacyBooks(staticData)).toEqual([]);
	});

	it('keeps the memory-only entries alive for the whole run, and no longer', () => {
		const { staticData } = boundStaticData(gitlab.workflow, {}, { formatter: 'x', sender: 'y' }, NOW, 2);
		const formatter = staticData[`node:${hotPathNodes(gitlab.workflow).formatter.name}`] as { gitlabDeliveries: { x: Record<string, number> } };
		expect(new Set(Object.values(formatter.gitlabDeliveries.x))).toEqual(new Set([NOW + 2 * 3_600_000]));
	});
});
