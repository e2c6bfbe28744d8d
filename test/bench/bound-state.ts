/**
 * The state of the bundled GitLab workflow after a month of traffic, as the workflow static data n8n loads it from:
 * the instance store of every node of the hot path with each book at its bound.
 *
 * - Books that survive a restart (formatter object facts, thread book): the compact strings the package's own
 *   instance store wrote in the state-size simulation (state-size.ts: 10,000 events to 1,000 people, then more to new
 *   people, so each is at its `persist` bound).
 * - Books kept in memory only (formatter deliveries, resolver cache, sent book, DM channel ids, session lookups):
 *   nothing of them survives a restart, so n8n can only be handed them through the one path the instance store reads
 *   them from: the `{ v, x }` objects earlier versions kept under the book's name, which it moves into process memory
 *   on the node's first run and deletes from static data. Each gets as many entries as its book's `maxEntries`, under
 *   keys no benchmark event uses, so they take room and eviction work without changing what any event does.
 */
import type { IDataObject } from 'n8n-workflow';
import { DELIVERY_STATE, OBJECT_STATE } from '../../nodes/core/gitlab';
import { SENT_BOOK, THREAD_BOOK } from '../../nodes/core/mattermost';
import type { BookSpec } from '../../nodes/core/state';
import { CHANNELS_BOOK, LOOKUPS_BOOK } from '../../nodes/Mattermost/actions/execution';
import type { Workflow, WorkflowNode } from '../../playground/harness/workflows';
import { idFor } from '../../playground/standin/mattermost';

/** The Recipient Resolver's cache book (its bound, CACHE_MAX_ENTRIES, is not exported by the node file). */
export const RESOLVER_CACHE_BOOK: BookSpec = { name: 'recipientCache', ttlMs: 10 * 60_000, maxEntries: 2000, persist: 0 };

const PACKAGE = 'n8n-nodes-mattermost-devops';
const PERSISTED: Record<string, number> = { [OBJECT_STATE.name]: OBJECT_STATE.persist, [THREAD_BOOK.name]: THREAD_BOOK.persist };

/** The nodes of the GitLab workflow whose state is on the hot path, found by type (names are the user's to change). */
export function hotPathNodes(workflow: Workflow): { formatter: WorkflowNode; resolver: WorkflowNode; sender: WorkflowNode } {
	const ofType = (type: string) => workflow.nodes.filter((n) => n.type === `${PACKAGE}.${type}` && !n.disabled);
	const [formatter] = ofType('gitlabEventFormatter');
	const [resolver] = ofType('recipientResolver');
	const sender = ofType('mattermost').find((n) => n.parameters.sendTo === 'direct');
	if (!formatter || !resolver || !sender) throw new Error(`${workflow.name}: no GitLab Event Formatter, Recipient Resolver or Mattermost DM node`);
	return { formatter, resolver, sender };
}

export interface BoundBook {
	node: string;
	book: string;
	/** Entries handed over, and where they live once n8n has run the node. */
	entries: number;
	/** The book's bound there: `persist` in static data, `maxEntries` in memory. */
	bound: number;
	kept: 'static data' | 'memory';
}

/** `count` entries in the layout of earlier versions, whose keys no benchmark event will ever use. */
function legacyBook(spec: BookSpec, count: number, value: (i: number) => string, expiresAt: number): IDataObject {
	const v: IDataObject = {};
	const x: IDataObject = {};
	for (let i = 0; i < count; i++) {
		v[`k:bench-bound|${spec.name}|${i}`] = value(i);
		x[`k:bench-bound|${spec.name}|${i}`] = expiresAt;
	}
	return { v, x };
}

/**
 * Workflow static data for `workflow` with every hot-path book at its bound. `simulated` is the static data of the
 * state-size simulation, whose node names are the bundled workflow's (`node:<name>` → `{ state: { <book>: string } }`).
 * Memory-only entries expire `hours` from `now`, so the books stay full for the whole benchmark.
 */
export function boundStaticData(
	workflow: Workflow,
	simulated: IDataObject,
	simulatedNames: { formatter: string; sender: string },
	now = Date.now(),
	hours = 12,
): { staticData: IDataObject; books: BoundBook[] } {
	const nodes = hotPathNodes(workflow);
	const expiresAt = now + hours * 3_600_000;
	const books: BoundBook[] = [];
	const staticData: IDataObject = {};
	const persisted = (from: string, to: WorkflowNode) => {
		const state = ((simulated[`node:${from}`] as IDataObject | undefined)?.state ?? {}) as IDataObject;
		for (const [book, text] of Object.entries(state)) {
			if (typeof text === 'string') books.push({ node: to.name, book, entries: text ? text.split(',').length : 0, bound: PERSISTED[book] ?? Number.NaN, kept: 'static data' });
		}
		return { state: { ...state } };
	};
	const memoryOnly = (node: WorkflowNode, specs: Array<[BookSpec, (i: number) => string]>) => {
		const data: IDataObject = {};
		for (const [spec, value] of specs) {
			data[spec.name] = legacyBook(spec, spec.maxEntries, value, expiresAt);
			books.push({ node: node.name, book: spec.name, entries: spec.maxEntries, bound: spec.maxEntries, kept: 'memory' });
		}
		return data;
	};
	const user = (i: number) => JSON.stringify({ id: idFor(`bound-user:${i}`), username: `bound.person${i}`, first_name: 'Bound', last_name: `Person ${i}`, nickname: '' });
	staticData[`node:${nodes.formatter.name}`] = {
		...persisted(simulatedNames.formatter, nodes.formatter),
		...memoryOnly(nodes.formatter, [[DELIVERY_STATE, () => '1']]),
	};
	staticData[`node:${nodes.resolver.name}`] = memoryOnly(nodes.resolver, [[RESOLVER_CACHE_BOOK, user]]);
	staticData[`node:${nodes.sender.name}`] = {
		...persisted(simulatedNames.sender, nodes.sender),
		...memoryOnly(nodes.sender, [
			[SENT_BOOK, (i) => idFor(`bound-post:${i}`)],
			[CHANNELS_BOOK, (i) => idFor(`bound-channel:${i}`)],
			[LOOKUPS_BOOK, user],
		]),
	};
	return { staticData, books };
}

/** Books still in the `{ v, x }` layout: a node never opened them, so n8n would load and save them every run. */
export function unreadLegacyBooks(staticData: IDataObject): string[] {
	const left: string[] = [];
	for (const [node, data] of Object.entries(staticData)) {
		for (const [key, value] of Object.entries((data ?? {}) as IDataObject)) {
			if (key !== 'state' && value && typeof value === 'object' && 'v' in value) left.push(`${node.replace(/^node:/, '')} / ${key}`);
		}
	}
	return left;
}
