/**
 * Benchmark 1: the GitLab Event Formatter's pure core over every fixture in test/fixtures/gitlab, against the floor of
 * the same corpus passed through JSON.parse(JSON.stringify(payload)) (a deep copy: the least any node that reads a
 * payload and emits a new item does).
 *
 * The formatter runs as the node runs it: the webhook item shape ({headers, body, query}) and dedupe/draft state
 * layered as process memory over static data. Two states are measured:
 * - fresh: new, empty state for every pass over the corpus, so nothing is skipped as a duplicate;
 * - full: the delivery store already at its bound (5,000 deliveries; 5,500 object facts) and a new Idempotency-Key
 *   for every event, as after days of traffic, when every write also evicts the oldest entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBook, instanceStore, STATIC_DATA_KEY, type Store } from '../../nodes/core/state';
import { createFormatterState, DELIVERY_STATE, OBJECT_STATE, formatGitLabEvent, type FormatterState } from '../../nodes/core/gitlab';
import { median, round, roundSummary, summarise, type Summary } from './stats';

const FIXTURES = join(__dirname, '..', 'fixtures', 'gitlab');

const EVENT_HEADERS: Record<string, string> = {
	merge_request: 'Merge Request Hook',
	note: 'Note Hook',
	issue: 'Issue Hook',
	work_item: 'Issue Hook',
	pipeline: 'Pipeline Hook',
	build: 'Job Hook',
	deployment: 'Deployment Hook',
	push: 'Push Hook',
	tag_push: 'Tag Push Hook',
	emoji: 'Emoji Hook',
	release: 'Release Hook',
	wiki_page: 'Wiki Page Hook',
	milestone: 'Milestone Hook',
	feature_flag: 'Feature Flag Hook',
};

export interface CorpusEvent {
	name: string;
	payload: Record<string, unknown>;
	eventHeader: string;
}

export function loadCorpus(dir = FIXTURES): CorpusEvent[] {
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const payload = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
			const kind = String(payload.object_kind ?? payload.event_name ?? '');
			return { name: file.replace(/\.json$/, ''), payload, eventHeader: EVENT_HEADERS[kind] ?? 'System Hook' };
		});
}

let stores = 0;

/** The node's state (an instance store of its own, as the node has) over fresh static data. */
function nodeLikeState(staticData: Record<string, unknown> = {}): FormatterState & { store: Store; staticData: Record<string, unknown> } {
	const store = instanceStore(`bench-formatter-${++stores}`, staticData);
	return { ...createFormatterState(store), store, staticData };
}

type Item = { headers: Record<string, string>; body: Record<string, unknown>; query: Record<string, never> };

function items(corpus: CorpusEvent[], key?: (index: number) => string): Item[] {
	return corpus.map((event, index) => ({
		headers: { 'x-gitlab-event': event.eventHeader, ...(key ? { 'idempotency-key': key(index) } : {}) },
		body: event.payload,
		query: {},
	}));
}

/** A state past its delivery bound: more distinct deliveries than it keeps. */
async function fullState(corpus: CorpusEvent[]): Promise<ReturnType<typeof nodeLikeState>> {
	const state = nodeLikeState();
	const mergeRequest = corpus.find((e) => e.name === 'merge_request_open');
	if (!mergeRequest) throw new Error('fixture merge_request_open.json is missing');
	// Past the delivery bound (every later write evicts); object facts stay below theirs, to keep the fill short.
	for (let n = 0; n < DELIVERY_STATE.maxEntries + 500; n++) {
		const body = structuredClone(mergeRequest.payload) as { object_attributes: Record<string, unknown> };
		body.object_attributes.iid = 100_000 + n;
		body.object_attributes.id = 200_000 + n;
		await formatGitLabEvent({ headers: { 'x-gitlab-event': 'Merge Request Hook', 'idempotency-key': `fill-${n}` }, body, query: {} }, { state });
	}
	return state;
}

export interface FormatterFigures {
	corpus: { events: number; kinds: number; bytes: number; notified: number; skipped: number };
	repetitions: number;
	minSecondsPerRepetition: number;
	fresh: { eventsPerSecond: number; perRepetition: number[]; latencyUs: Summary };
	full: { eventsPerSecond: number; perRepetition: number[]; latencyUs: Summary; deliveries: number; objects: number };
	floor: { eventsPerSecond: number; perRepetition: number[]; latencyUs: Summary };
	/** Formatter events/s divided by floor events/s (fresh and full state). */
	ratio: { fresh: number; full: number };
}

/** Runs `pass` repeatedly for at least `minMs`; events per second. */
async function throughput(eventsPerPass: number, minMs: number, pass: (n: number) => unknown): Promise<number> {
	let passes = 0;
	const started = performance.now();
	let elapsed = 0;
	while (elapsed < minMs) {
		await pass(passes++);
		elapsed = performance.now() - started;
	}
	return (passes * eventsPerPass) / (elapsed / 1000);
}

export async function benchFormatter(options: { repetitions: number; minMs: number; latencyPasses: number }): Promise<FormatterFigures> {
	const corpus = loadCorpus();
	const fresh = items(corpus);
	let steady = await fullState(corpus);
	let keySeq = 0;
	const withKeys = () => items(corpus, () => `bench-${keySeq++}`);

	const formatFresh = async () => {
		const state = nodeLikeState();
		for (const item of fresh) await formatGitLabEvent(item, { state });
	};
	const formatFull = async (batch: Item[]) => {
		for (const item of batch) await formatGitLabEvent(item, { state: steady });
	};
	const copy = () => {
		for (const event of corpus) JSON.parse(JSON.stringify(event.payload));
	};

	let notified = 0;
	const check = nodeLikeState();
	for (const item of fresh) if ((await formatGitLabEvent(item, { state: check })).skip === undefined) notified++;

	// Warm-up so the JIT has seen every path before anything is timed.
	for (let i = 0; i < 200; i++) {
		await formatFresh();
		copy();
	}

	const perRep = { fresh: [] as number[], full: [] as number[], floor: [] as number[] };
	for (let r = 0; r < options.repetitions; r++) {
		// Interleaved, so drift in machine speed touches all three alike.
		perRep.fresh.push(await throughput(corpus.length, options.minMs, formatFresh));
		perRep.floor.push(await throughput(corpus.length, options.minMs, copy));
		const batches = Array.from({ length: 64 }, withKeys);
		perRep.full.push(await throughput(corpus.length, options.minMs, (n) => formatFull(batches[n % batches.length].map((item) => ({ ...item, headers: { ...item.headers, 'idempotency-key': `${item.headers['idempotency-key']}-${n}` } })))));
	}

	const latency = { fresh: [] as number[], full: [] as number[], floor: [] as number[] };
	for (let p = 0; p < options.latencyPasses; p++) {
		const state = nodeLikeState();
		for (const item of fresh) {
			const t = performance.now();
			await formatGitLabEvent(item, { state });
			latency.fresh.push((performance.now() - t) * 1000);
		}
		for (const item of withKeys()) {
			const t = performance.now();
			await formatGitLabEvent(item, { state: steady });
			latency.full.push((performance.now() - t) * 1000);
		}
		for (const event of corpus) {
			const t = performance.now();
			JSON.parse(JSON.stringify(event.payload));
			latency.floor.push((performance.now() - t) * 1000);
		}
	}
	// Entries the full state keeps in static data (the newest of each book, up to the book's `persist`).
	await steady.store.flush();
	const saved = (steady.staticData[STATIC_DATA_KEY] ?? {}) as Record<string, string>;
	const bounds = {
		deliveries: decodeBook(saved[DELIVERY_STATE.name] ?? '', Date.now()).size,
		objects: decodeBook(saved[OBJECT_STATE.name] ?? '', Date.now()).size,
	};
	steady = nodeLikeState();

	const fig = (values: number[]) => round(median(values));
	const figures: FormatterFigures = {
		corpus: {
			events: corpus.length,
			kinds: new Set(corpus.map((e) => String(e.payload.object_kind ?? e.payload.event_name ?? '?'))).size,
			bytes: corpus.reduce((sum, e) => sum + JSON.stringify(e.payload).length, 0),
			notified,
			skipped: corpus.length - notified,
		},
		repetitions: options.repetitions,
		minSecondsPerRepetition: options.minMs / 1000,
		fresh: { eventsPerSecond: fig(perRep.fresh), perRepetition: perRep.fresh.map(round), latencyUs: roundSummary(summarise(latency.fresh)) },
		full: { eventsPerSecond: fig(perRep.full), perRepetition: perRep.full.map(round), latencyUs: roundSummary(summarise(latency.full)), ...bounds },
		floor: { eventsPerSecond: fig(perRep.floor), perRepetition: perRep.floor.map(round), latencyUs: roundSummary(summarise(latency.floor)) },
		ratio: { fresh: 0, full: 0 },
	};
	figures.ratio = {
		fresh: round(median(perRep.fresh) / median(perRep.floor)),
		full: round(median(perRep.full) / median(perRep.floor)),
	};
	return figures;
}
