/**
 * Benchmark 4b: how much the package keeps in n8n's workflow static data (saved with the workflow after every
 * production execution) after many distinct events and people, and that it stays bounded.
 *
 * The real GitLab Event Formatter and Recipient Resolver nodes run in-process in n8n-core (test/helpers/n8n.ts), 100
 * webhook items per execution, with static data carried between executions as n8n does; the resolver asks an
 * in-process Mattermost stand-in seeded with every person. For each resolved DM the Mattermost node's thread book
 * (the same deliveryBooks() the node uses, in the node's instance store) records a root post, as the node does for
 * the first message of a thread. Every event is a new merge request, so every DM starts a new thread: the worst case.
 *
 * What a blob costs n8n per execution is measured as n8n handles it: JSON.parse, ObservableObject.create (the
 * change-tracking proxy `new Workflow()` puts around it), one write, JSON.stringify through the proxies (the save).
 * The same is measured for the layout earlier versions kept (one object per entry), rebuilt at the entry counts
 * they kept for the same events, so both figures come from the same run.
 */
import { ObservableObject, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import type * as FormatterModule from '../../nodes/GitlabEventFormatter/GitlabEventFormatter.node';
import type * as ResolverModule from '../../nodes/RecipientResolver/RecipientResolver.node';
import { deliveryBooks } from '../../nodes/core/mattermost';
import { instanceStore, nodeScope, STATIC_DATA_KEY } from '../../nodes/core/state';
import { makeWorld } from '../../playground/harness/world';
import { runWorkflow } from '../helpers/workflow-execute';
import { idFor, startMattermostStandin } from '../../playground/standin/mattermost';
import { mergeRequestEvents } from './events';
import { median, round } from './stats';

// With the extension: tsx would otherwise resolve `X.node` to the codex file X.node.json next to it.
/* eslint-disable @typescript-eslint/no-require-imports */
const { GitlabEventFormatter } = require('../../nodes/GitlabEventFormatter/GitlabEventFormatter.node.ts') as typeof FormatterModule;
const { RecipientResolver } = require('../../nodes/RecipientResolver/RecipientResolver.node.ts') as typeof ResolverModule;
/* eslint-enable @typescript-eslint/no-require-imports */

export const FORMATTER = 'Format GitLab Event';
const RESOLVER = 'Find Mattermost Users';
export const SENDER = 'Send Direct Message';
const BATCH = 100;

export interface NamespaceSize {
	entries: number;
	/** Bytes of JSON.stringify of this namespace (as n8n serialises static data). */
	bytes: number;
}

export interface Checkpoint {
	events: number;
	people: number;
	dms: number;
	/** Bytes of JSON of the whole workflow static data. */
	totalBytes: number;
	namespaces: Record<string, NamespaceSize>;
	/** Wall time per event over the window since the previous checkpoint (formatter + resolver + thread book). */
	msPerEvent: number;
	/** What n8n spends per execution on this blob: parse + proxy on load, stringify through the proxies on save. */
	loadSaveMs: number;
}

export interface StateFigures {
	events: number;
	people: number;
	beyondEvents: number;
	peopleInAll: number;
	dmsPerEvent: number;
	checkpoints: Checkpoint[];
	/** Configured bound (entries) of each namespace and the bytes it can reach at most, from the largest entry size seen. */
	bounds: Record<string, { maxEntries: number; entriesAtEnd: number; bytesAtEnd: number; bytesAtBound: number }>;
	bounded: boolean;
	/** The one-object-per-entry layout of earlier versions at the entry counts they kept after `events` events. */
	legacy: { totalBytes: number; loadSaveMs: number; entries: Record<string, number> };
}

/** Entries and bytes of every book string each node keeps in static data (`state.<book>`). */
function sizes(staticData: IDataObject): Record<string, NamespaceSize> {
	const out: Record<string, NamespaceSize> = {};
	for (const [nodeKey, data] of Object.entries(staticData)) {
		const books = (data as IDataObject | undefined)?.[STATIC_DATA_KEY];
		if (!books || typeof books !== 'object') continue;
		for (const [name, value] of Object.entries(books as IDataObject)) {
			if (typeof value !== 'string') continue;
			out[`${nodeKey.replace(/^node:/, '')} / ${name}`] = { entries: value ? value.split(',').length : 0, bytes: JSON.stringify(value).length };
		}
	}
	return out;
}

/** Median ms n8n spends loading (parse + ObservableObject) and saving (stringify) a blob changed by the execution. */
export function loadSaveMs(blob: IDataObject, repetitions = 30): number {
	const text = JSON.stringify(blob);
	const times: number[] = [];
	for (let r = 0; r < repetitions + 3; r++) {
		const started = performance.now();
		const data = ObservableObject.create(JSON.parse(text) as IDataObject, undefined, { ignoreEmptyOnFirstChild: true });
		const first = Object.values(data).find((v) => v && typeof v === 'object') as IDataObject | undefined;
		if (first) first.touched = r;
		JSON.stringify(data);
		if (r >= 3) times.push(performance.now() - started);
	}
	return round(median(times));
}

/**
 * The layout earlier versions wrote: per book `{ v: { 'k:<key>': value }, x: { 'k:<key>': expiry } }`, one entry
 * per delivery (true), object fact (true), cached person (a slim profile) and thread root (a post id), up to the
 * bounds those versions had.
 */
function legacyBlob(counts: { deliveries: number; objects: number; people: number; threads: number }): IDataObject {
	const expiry = Date.now() + 86_400_000;
	const book = (count: number, key: (i: number) => string, value: (i: number) => unknown) => {
		const v: IDataObject = {};
		const x: IDataObject = {};
		for (let i = 0; i < count; i++) {
			v[`k:${key(i)}`] = value(i) as IDataObject;
			x[`k:${key(i)}`] = expiry + i;
		}
		return { v, x };
	};
	return {
		[`node:${FORMATTER}`]: {
			gitlabDeliveries: book(counts.deliveries, (i) => `i::a1b2c3d4-${String(i).padStart(6, '0')}-4f6a-9e1d-7c2b5a8e3f10`, () => true),
			gitlabObjects: book(counts.objects, (i) => `mr-ready:1042:${i}`, () => true),
		},
		[`node:${RESOLVER}`]: {
			recipientCacheFor: 'http://127.0.0.1:8065|',
			recipientCache: book(counts.people, (i) => `u:person${i}`, (i) => ({ id: idFor(`person${i}`), username: `person${i}` })),
		},
		[`node:${SENDER}`]: {
			threads: book(counts.threads, (i) => `${idFor(`dm:${i % 1000}`)}|gitlab/1042/merge_request/${i}`, (i) => idFor(`root:${i}`)),
		},
	};
}

export async function benchStateSize(options: {
	/** The figure asked for: this many distinct events to this many distinct people. */
	events: number;
	people: number;
	/** Then this many more events to as many new people, to show every namespace levelling off at its bound. */
	beyondEvents: number;
	checkpoints: number[];
	/** Entry bounds by namespace label, as configured in the nodes (reported next to what was measured). */
	bounds: Record<string, number>;
	log: (line: string) => void;
}): Promise<{ figures: StateFigures; staticData: IDataObject }> {
	const world = makeWorld({ extraPeople: options.people + options.beyondEvents });
	const people = Object.values(world.people)
		.filter((p) => p.key.startsWith('person'))
		.map((p) => ({ username: p.username, name: p.name, gitlabId: p.gitlabId }));
	const mm = await startMattermostStandin({ seed: world.mattermostSeed });
	const staticData: IDataObject = {};
	const senderData: IDataObject = {};
	staticData[`node:${SENDER}`] = senderData;
	// Every run starts with fresh process memory for the three nodes (a new workflow id), as a fresh n8n would.
	const workflowId = `bench-state-${Date.now()}`;
	const senderStore = instanceStore(nodeScope(workflowId, SENDER), senderData);
	const { threads } = deliveryBooks(senderStore, new Set());
	const webhookToken = world.secrets.gitlabWebhookToken;
	const events = [
		...mergeRequestEvents({ people: people.slice(0, options.people), count: options.events, series: 'm0', firstIid: 1, webhookToken }),
		...mergeRequestEvents({ people: people.slice(options.people), count: options.beyondEvents, series: 'm1', firstIid: options.events + 1, webhookToken }),
	];
	const checkpoints: Checkpoint[] = [];
	let dms = 0;
	let windowStart = performance.now();
	let windowEvents = 0;
	const seen = new Set<string>();
	try {
		for (let start = 0; start < events.length; start += BATCH) {
			const batch = events.slice(start, start + BATCH);
			const input: INodeExecutionData[] = batch.map((e) => ({ json: { headers: lowerCase(e.headers), body: e.payload as IDataObject, query: {} } }));
			const result = await runWorkflow({
				workflowId,
				nodeTypes: [new GitlabEventFormatter(), new RecipientResolver()],
				credentialTypes: [new MattermostDevopsApi()],
				credentials: { mattermostDevopsApi: { baseUrl: mm.url, accessToken: world.secrets.botToken, allowUnauthorizedCerts: false } },
				nodes: [
					{ name: FORMATTER, type: 'n8n-nodes-mattermost-devops.gitlabEventFormatter', parameters: {} },
					{
						name: RESOLVER,
						type: 'n8n-nodes-mattermost-devops.recipientResolver',
						parameters: { recipients: 'recipients', outputMode: 'perRecipient' },
						credentials: { mattermostDevopsApi: { id: 'mm', name: 'Mattermost Bot' } },
					},
				],
				connections: {
					Start: { main: [[{ node: FORMATTER, type: 'main', index: 0 }]] },
					[FORMATTER]: { main: [[{ node: RESOLVER, type: 'main', index: 0 }]] },
				},
				input,
				staticData,
			});
			if (result.error) throw new Error(`in-process workflow failed: ${result.error.message}`);
			for (const item of result.output(RESOLVER, 0)) {
				const json = item.json as { mattermost: { username: string }; message: { threadKey: string } };
				const channelId = idFor(`dm:${json.mattermost.username}`);
				if (await threads.claim(channelId, json.message.threadKey)) await threads.record(channelId, json.message.threadKey, idFor(`root:${dms}`));
				seen.add(json.mattermost.username);
				dms++;
			}
			await senderStore.flush();
			windowEvents += batch.length;
			const done = start + batch.length;
			if (options.checkpoints.includes(done)) {
				const elapsed = performance.now() - windowStart;
				const namespaces = sizes(staticData);
				checkpoints.push({
					events: done,
					people: seen.size,
					dms,
					totalBytes: JSON.stringify(staticData).length,
					namespaces,
					msPerEvent: round(elapsed / windowEvents),
					loadSaveMs: loadSaveMs(staticData),
				});
				options.log(
					`state after ${done} events / ${seen.size} people: ${JSON.stringify(staticData).length} bytes; ` +
						Object.entries(namespaces)
							.map(([k, v]) => `${k} ${v.entries}`)
							.join(', '),
				);
				windowStart = performance.now();
				windowEvents = 0;
			}
		}
	} finally {
		await mm.stop();
	}

	const last = checkpoints[checkpoints.length - 1];
	const bounds: StateFigures['bounds'] = {};
	let bounded = true;
	for (const [label, maxEntries] of Object.entries(options.bounds)) {
		const atEnd = last?.namespaces[label];
		if (!atEnd) throw new Error(`no static data namespace "${label}" (found: ${Object.keys(last?.namespaces ?? {}).join(', ')})`);
		const largestPerEntry = Math.max(...checkpoints.map((c) => (c.namespaces[label]?.bytes ?? 0) / Math.max(1, c.namespaces[label]?.entries ?? 0)));
		bounds[label] = { maxEntries, entriesAtEnd: atEnd.entries, bytesAtEnd: atEnd.bytes, bytesAtBound: Math.round(largestPerEntry * maxEntries) };
		if (atEnd.entries > maxEntries) bounded = false;
	}
	const atSpec = Math.min(options.events, events.length);
	const legacyCounts = {
		deliveries: Math.min(atSpec, 5000),
		objects: Math.min(atSpec, 10_000),
		people: Math.min(options.people, 2000),
		threads: Math.min(atSpec * 2, 5000),
	};
	const legacy = legacyBlob(legacyCounts);
	const figures: StateFigures = {
		events: options.events,
		people: options.people,
		beyondEvents: options.beyondEvents,
		peopleInAll: seen.size,
		dmsPerEvent: 2,
		checkpoints,
		bounds,
		bounded,
		legacy: { totalBytes: JSON.stringify(legacy).length, loadSaveMs: loadSaveMs(legacy, 10), entries: legacyCounts },
	};
	// The static data after the last event: every persisted book at its bound (the benchmark's month-old instance).
	return { figures, staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
