/**
 * Benchmark 4b: how much the package keeps in n8n's workflow static data (saved with the workflow after every
 * production execution) after many distinct events and people, and that it stays bounded.
 *
 * The real GitLab Event Formatter and Recipient Resolver nodes run in-process in n8n-core (test/helpers/n8n.ts), 100
 * webhook items per execution, with static data carried between executions as n8n does; the resolver asks an
 * in-process Mattermost stand-in seeded with every person. For each resolved DM the Mattermost node's thread book
 * (the same threadBook() the node uses, on the node's static data) records a root post, as the node does for the
 * first message of a thread. Every event is a new merge request, so every DM starts a new thread: the worst case.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { MattermostDevopsApi } from '../../credentials/MattermostDevopsApi.credentials';
import type * as FormatterModule from '../../nodes/GitlabEventFormatter/GitlabEventFormatter.node';
import type * as ResolverModule from '../../nodes/RecipientResolver/RecipientResolver.node';
import { threadBook } from '../../nodes/Mattermost/actions/common';
import { makeWorld } from '../harness/world';
import { runWorkflow } from '../helpers/n8n';
import { idFor, startMattermostStandin } from '../standin/mattermost';
import { mergeRequestEvents } from './events';
import { round } from './stats';

// With the extension: tsx would otherwise resolve `X.node` to the codex file X.node.json next to it.
/* eslint-disable @typescript-eslint/no-require-imports */
const { GitlabEventFormatter } = require('../../nodes/GitlabEventFormatter/GitlabEventFormatter.node.ts') as typeof FormatterModule;
const { RecipientResolver } = require('../../nodes/RecipientResolver/RecipientResolver.node.ts') as typeof ResolverModule;
/* eslint-enable @typescript-eslint/no-require-imports */

const FORMATTER = 'Format GitLab Event';
const RESOLVER = 'Find Mattermost Users';
const SENDER = 'Send Direct Message';
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
}

/** `entries` of every KeyValueState namespace ({v, x}) under each node's static data. */
function sizes(staticData: IDataObject): Record<string, NamespaceSize> {
	const out: Record<string, NamespaceSize> = {};
	for (const [nodeKey, data] of Object.entries(staticData)) {
		if (!data || typeof data !== 'object') continue;
		for (const [name, value] of Object.entries(data as IDataObject)) {
			const stored = value as { v?: IDataObject } | undefined;
			if (!stored || typeof stored !== 'object' || typeof stored.v !== 'object') continue;
			out[`${nodeKey.replace(/^node:/, '')} / ${name}`] = { entries: Object.keys(stored.v ?? {}).length, bytes: JSON.stringify(value).length };
		}
	}
	return out;
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
}): Promise<StateFigures> {
	const world = makeWorld({ extraPeople: options.people + options.beyondEvents });
	const people = Object.values(world.people)
		.filter((p) => p.key.startsWith('person'))
		.map((p) => ({ username: p.username, name: p.name, gitlabId: p.gitlabId }));
	const mm = await startMattermostStandin({ seed: world.mattermostSeed });
	const staticData: IDataObject = {};
	const senderData: IDataObject = {};
	staticData[`node:${SENDER}`] = senderData;
	const threads = threadBook(senderData, `bench-state|${SENDER}`);
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
				if (threads.claim(channelId, json.message.threadKey)) threads.record(channelId, json.message.threadKey, idFor(`root:${dms}`));
				seen.add(json.mattermost.username);
				dms++;
			}
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
	return { events: options.events, people: options.people, beyondEvents: options.beyondEvents, peopleInAll: seen.size, dmsPerEvent: 2, checkpoints, bounds, bounded };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
