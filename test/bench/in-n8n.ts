/**
 * The real-n8n benchmarks of regular mode (and their memory figures) in one n8n 2.40.7 with this package installed
 * from its tarball, via the e2e harness. Published side by side on the same instance, Mattermost answered by the
 * stand-in: the bundled GitLab workflow with fresh state, a copy of it whose static data holds every store at its
 * bound (bound-state.ts), n8n's built-in DM chain, a minimal Webhook → Respond to Webhook workflow, and the same minimal
 * workflow with one expression on its Webhook node. n8n 2.40 lends an expression isolate to the webhook phase of every
 * trigger except its own Webhook node with static parameters (live-webhooks.js, webhookPhaseNeedsIsolate), so that
 * copy costs what any other trigger costs n8n before a node of the workflow runs: the ceiling of such a workflow.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { freePort, loadWorkflows, startHarness, workflowIdFor, type Harness, type LoadedWorkflow } from '../../playground/harness';
import { rewriteServiceUrls } from '../../playground/harness/workflows';
import { makeWorld } from '../../playground/harness/world';
import { boundStaticData, unreadLegacyBooks, type BoundBook } from './bound-state';
import { compare, dmRunner, minimalRunner, pairedMedian, perNodeBreakdown, workflowAt, type Comparison, type PerNodeMs, type Runner } from './e2e';
import { mergeRequestEvents, type BenchEvent, type BenchPerson } from './events';
import { MemorySampler, treeMemory } from './memory';
import { round, roundSummary, summarise, type Summary } from './stats';
import { endpointOf, RequestLogWatcher } from './watch';

const BENCH_WORKFLOWS = join(__dirname, 'workflows');
const PLACEHOLDER_URL = /https:\/\/chat\.example\.com/g;
/** The workflows of the end-to-end comparison, by the webhook path each is published on. */
export const PATHS = {
	gitlab: 'gitlab',
	gitlabBound: 'gitlab-bound',
	builtin: 'bench-builtin',
	minimal: 'bench-minimal',
	minimalIsolate: 'bench-minimal-isolate',
} as const;
export type Contender = keyof typeof PATHS;
/** Warm-up events per workflow before the end-to-end runs (the bound copy's first run moves its books into memory). */
const WARM_UP_EVENTS = 5;

export interface N8nBenchOptions {
	outputDir: string;
	/** Events per cold and per warm pass of the API-call count (100 in the spec). */
	countEvents: number;
	/** People the events go to (10 in the spec). */
	people: number;
	/** End-to-end repetitions, by concurrency. */
	repetitions: Record<number, number>;
	/** Events per end-to-end run, by concurrency. */
	e2eEvents: Record<number, number>;
	concurrency: number[];
	build: 'full' | 'bundle' | 'skip';
	/** Static data of the state-size simulation (every persisted book at its bound) and its node names. */
	simulated: { staticData: IDataObject; formatter: string; sender: string };
	log: (line: string) => void;
}

interface CallCount {
	events: number;
	dms: number;
	fallbackPosts: number;
	calls: number;
	callsPerDm: number;
	byEndpoint: Record<string, number>;
}

export interface N8nFigures {
	n8nVersion: string;
	apiCalls: {
		events: number;
		people: number;
		dmsPerEvent: number;
		ours: { cold: CallCount; warm: CallCount };
		builtin: { cold: CallCount; warm: CallCount };
		/** Built-in calls per DM divided by ours (higher = ours makes fewer calls). */
		ratio: { cold: number; warm: number };
		targetWarm: number;
		warmMeetsTarget: boolean;
	};
	/** By concurrency: each workflow's figures and the ratios between them. */
	endToEnd: Record<string, EndToEnd>;
	/**
	 * Where one GitLab execution's time goes, from the executions n8n stored (the end-to-end runs at concurrency 1):
	 * median `executionTime` per node, and the rest of the execution (start-up, execution-data saving).
	 */
	perNodeMs: { fresh: PerNodeMs; bound: PerNodeMs };
	/**
	 * The same for the two minimal workflows. Whether the isolate the webhook phase costs shows inside the execution's
	 * time or before it depends on timing (runs have shown both); the end-to-end ratios are the figure to go by.
	 */
	minimalExecutionMs: { minimal: PerNodeMs; minimalIsolate: PerNodeMs };
	/** The bound copy's state: what it was given, and its static data as n8n's database holds it along the run. */
	boundState: {
		books: BoundBook[];
		staticDataBytes: { imported: number; afterWarmUp: number; afterRuns: number };
		/** Entries of each persisted book in the saved static data after the runs (`<node> / <book>`). */
		persistedEntriesAfterRuns: Record<string, number>;
		/** Books handed over for memory that no node opened (they would stay in static data): none expected. */
		neverLoaded: string[];
	};
	/** Fresh GitLab workflow's static data as saved after the runs, for comparison. */
	freshStaticDataBytesAfterRuns: number;
	/** ms from the stand-in's create_at of an event's last DM to the closed loop knowing it (the watcher's part). */
	watcherNoticeMs: Summary;
	memory: {
		idleAfterStartMb: number;
		peakRssMb: Record<string, number>;
		/** Sum of every n8n process's own high-water mark at the end of the run. */
		highWaterMarkMb: number;
		processes: number;
	};
	repetitions: Record<number, number>;
}

/** The world with `count` benchmark people, and those people as the event generator wants them. */
export function benchPeople(count: number): { world: ReturnType<typeof makeWorld>; people: BenchPerson[] } {
	const world = makeWorld({ extraPeople: count });
	const people = Object.values(world.people)
		.filter((p) => p.key.startsWith('person'))
		.map((p) => ({ username: p.username, name: p.name, gitlabId: p.gitlabId }));
	return { world, people };
}

function benchWorkflows(botUserId: string, mattermostUrl: string): LoadedWorkflow[] {
	const workflows = loadWorkflows(BENCH_WORKFLOWS);
	for (const { workflow } of workflows) {
		for (const node of workflow.nodes) {
			const assignments = (node.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> } | undefined)?.assignments;
			for (const a of assignments ?? []) if (a.name === 'botUserId') a.value = botUserId;
		}
	}
	rewriteServiceUrls(workflows, [{ pattern: PLACEHOLDER_URL, url: mattermostUrl }]);
	return workflows;
}

export interface EndToEnd extends Comparison {
	/**
	 * Throughput ratios (higher = ours faster) and latency differences (ours − other, p50 / p99, ms), each the median of
	 * the figure within each repetition, so they need not equal the ratio of the median figures.
	 */
	ratios: {
		oursOverMinimal: number;
		oursOverBuiltin: number;
		boundOverMinimal: number;
		boundOverBuiltin: number;
		boundOverFresh: number;
		/** The minimal workflow whose webhook phase takes an isolate ÷ the minimal one: what any trigger but n8n's Webhook node can reach. */
		isolateOverMinimal: number;
		boundOverIsolate: number;
	};
	addedLatencyMs: Record<'oursMinusMinimal' | 'oursMinusBuiltin' | 'boundMinusMinimal' | 'boundMinusBuiltin', { p50: number; p99: number }>;
}

/**
 * Ratios and latency differences between the contenders of one concurrency, each the median over repetitions of the
 * figure within one repetition (see pairedMedian).
 */
export function endToEndRatios(runs: Comparison['runs']): Pick<EndToEnd, 'ratios' | 'addedLatencyMs'> {
	const over = (a: Contender, b: Contender) => pairedMedian(runs, (r) => r[a].eventsPerSecond / r[b].eventsPerSecond);
	const minus = (a: Contender, b: Contender) => ({
		p50: pairedMedian(runs, (r) => r[a].latencyMs.p50 - r[b].latencyMs.p50),
		p99: pairedMedian(runs, (r) => r[a].latencyMs.p99 - r[b].latencyMs.p99),
	});
	return {
		ratios: {
			oursOverMinimal: over('gitlab', 'minimal'),
			oursOverBuiltin: over('gitlab', 'builtin'),
			boundOverMinimal: over('gitlabBound', 'minimal'),
			boundOverBuiltin: over('gitlabBound', 'builtin'),
			boundOverFresh: over('gitlabBound', 'gitlab'),
			isolateOverMinimal: over('minimalIsolate', 'minimal'),
			boundOverIsolate: over('gitlabBound', 'minimalIsolate'),
		},
		addedLatencyMs: {
			oursMinusMinimal: minus('gitlab', 'minimal'),
			oursMinusBuiltin: minus('gitlab', 'builtin'),
			boundMinusMinimal: minus('gitlabBound', 'minimal'),
			boundMinusBuiltin: minus('gitlabBound', 'builtin'),
		},
	};
}

/** A copy of the GitLab workflow on its own id and webhook path, with `staticData` imported with it. */
function boundCopy(gitlab: LoadedWorkflow, staticData: IDataObject): LoadedWorkflow {
	const workflow = structuredClone(gitlab.workflow);
	workflow.id = workflowIdFor('bench:gitlab-bound');
	workflow.name = `${workflow.name} (bench: every store at its bound)`;
	const trigger = workflow.nodes.find((n) => n.parameters.path === PATHS.gitlab);
	if (!trigger) throw new Error(`${gitlab.slug}: no node listens on /webhook/${PATHS.gitlab}`);
	trigger.parameters.path = PATHS.gitlabBound;
	trigger.webhookId = randomUUID();
	workflow.staticData = staticData;
	return { slug: `${gitlab.slug}-bound`, workflow };
}

/** The workflow's static data as n8n's database holds it (read through n8n's REST API). */
export async function savedStaticData(h: Harness, workflowId: string): Promise<IDataObject> {
	const workflow = await h.n8n.rest<{ staticData?: IDataObject | string | null }>('GET', `/workflows/${workflowId}`);
	if (!('staticData' in workflow)) throw new Error(`n8n's GET /rest/workflows/${workflowId} has no staticData field`);
	const data = workflow.staticData;
	return (typeof data === 'string' ? JSON.parse(data) : (data ?? {})) as IDataObject;
}

/** Entries of each persisted book (`state.<book>` strings) in static data, by `<node> / <book>`. */
function persistedEntries(staticData: IDataObject): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [node, data] of Object.entries(staticData)) {
		const state = (data as IDataObject | undefined)?.state as IDataObject | undefined;
		for (const [book, text] of Object.entries(state ?? {})) if (typeof text === 'string') out[`${node.replace(/^node:/, '')} / ${book}`] = text ? text.split(',').length : 0;
	}
	return out;
}

const bytes = (value: unknown) => JSON.stringify(value).length;

export async function benchInN8n(options: N8nBenchOptions): Promise<N8nFigures> {
	const { log } = options;
	const { world, people } = benchPeople(options.people);
	const mattermostPort = await freePort();
	const gitlab = loadWorkflows().filter((w) => w.slug === 'gitlab-notifications');
	if (gitlab.length !== 1) throw new Error('workflows/gitlab-notifications.json is missing');
	const bound = boundStaticData(gitlab[0].workflow, options.simulated.staticData, options.simulated);
	const extra = [...benchWorkflows(world.bot.id, `http://127.0.0.1:${mattermostPort}`), boundCopy(gitlab[0], bound.staticData)];

	const h: Harness = await startHarness({
		outputDir: options.outputDir,
		workflows: gitlab,
		extraWorkflows: extra,
		mattermostPort,
		world,
		build: options.build,
		logLevel: 'warn',
		log: (line) => log(`harness: ${line}`),
	});
	const watcher = new RequestLogWatcher(join(options.outputDir, 'mattermost-requests.jsonl'));
	const sampler = new MemorySampler(() => h.n8n.pid);
	const peaks: Record<string, number> = {};
	const measured = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
		sampler.start();
		try {
			return await run();
		} finally {
			peaks[phase] = Math.max(peaks[phase] ?? 0, sampler.stop().peakRssMb);
		}
	};
	let series = 0;
	// Tokens allow only a-m and digits in a series name (see TOKEN).
	const nextSeries = () => `e${(series++).toString(13)}`;
	// Far above the state-size simulation's merge requests, so no event meets a fact or thread of the bound state.
	let iid = 1_000_000;
	const eventsFor = (count: number) => {
		const events = mergeRequestEvents({ people, count, series: nextSeries(), firstIid: iid, webhookToken: world.secrets.gitlabWebhookToken });
		iid += count;
		return events;
	};
	const runners: Record<Contender, Runner> = {
		minimal: minimalRunner(h, PATHS.minimal),
		minimalIsolate: minimalRunner(h, PATHS.minimalIsolate),
		builtin: dmRunner(h, watcher, PATHS.builtin),
		gitlab: dmRunner(h, watcher, PATHS.gitlab),
		gitlabBound: dmRunner(h, watcher, PATHS.gitlabBound),
	};

	try {
		const version = (JSON.parse(readFileSync(join(h.toolchain.n8nDir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as { version: string }).version;
		watcher.start();
		const idle = Math.round(treeMemory(h.n8n.pid ?? 0).rssKb / 1024);
		const boundId = workflowAt(h, PATHS.gitlabBound);
		const imported = await savedStaticData(h, boundId);
		if (bytes(imported) < bytes(bound.staticData) * 0.99) {
			throw new Error(`the bound copy's static data in n8n's database is ${bytes(imported)} bytes, not the ${bytes(bound.staticData)} imported`);
		}

		const count = async (path: string, label: string): Promise<CallCount> => {
			const events = eventsFor(options.countEvents);
			const mark = watcher.requests.length;
			const fallbackMark = watcher.fallbackPosts.length;
			await dmRunner(h, watcher, path)(events, 1);
			// Anything a workflow does after its last post (none is expected) still counts.
			await watcher.quiet(1000, 60_000);
			const requests = watcher.requests.slice(mark);
			const dms = watcher.dmPostsFor(events.map((e) => e.token));
			const byEndpoint: Record<string, number> = {};
			for (const request of requests) byEndpoint[endpointOf(request)] = (byEndpoint[endpointOf(request)] ?? 0) + 1;
			const result = {
				events: events.length,
				dms,
				fallbackPosts: watcher.fallbackPosts.length - fallbackMark,
				calls: requests.length,
				callsPerDm: round(requests.length / dms),
				byEndpoint,
			};
			log(`${label}: ${result.calls} Mattermost calls for ${dms} DMs (${result.callsPerDm} per DM)`);
			return result;
		};

		log(`API calls per DM: ${options.countEvents} events to ${people.length} people, cold then warm, each workflow`);
		const ours = await measured('apiCount.ours', async () => ({ cold: await count(PATHS.gitlab, 'ours cold'), warm: await count(PATHS.gitlab, 'ours warm') }));
		await h.mattermost.reset(); // the built-in workflow starts without any DM channel too
		const builtin = await measured('apiCount.builtin', async () => ({
			cold: await count(PATHS.builtin, 'built-in cold'),
			warm: await count(PATHS.builtin, 'built-in warm'),
		}));

		// The bound copy's first execution moves the memory-only books into n8n's memory (and out of static data).
		log(`warm-up: ${WARM_UP_EVENTS} events to the two minimal workflows and to the GitLab copy whose stores are at their bound`);
		await runners.minimal(eventsFor(WARM_UP_EVENTS), 1);
		await runners.minimalIsolate(eventsFor(WARM_UP_EVENTS), 1);
		await runners.gitlabBound(eventsFor(WARM_UP_EVENTS), 1);
		await watcher.quiet(500, 60_000);
		const warmedUp = await savedStaticData(h, boundId);
		const neverLoaded = unreadLegacyBooks(warmedUp);
		if (neverLoaded.length) log(`WARNING books handed over for memory that no node opened (they stay in static data): ${neverLoaded.join(', ')}`);
		log(
			`bound copy's static data in n8n's database: ${bytes(imported)} bytes imported, ${bytes(warmedUp)} after warm-up (` +
				Object.entries(persistedEntries(warmedUp))
					.map(([k, v]) => `${k} ${v}`)
					.join(', ') +
				')',
		);

		const endToEnd: N8nFigures['endToEnd'] = {};
		const none: PerNodeMs = { executions: 0, nodes: {}, rest: 0, total: 0 };
		const perNodeMs: N8nFigures['perNodeMs'] = { fresh: none, bound: none };
		const minimalExecutionMs: N8nFigures['minimalExecutionMs'] = { minimal: none, minimalIsolate: none };
		for (const concurrency of options.concurrency) {
			const measuredRunners = Object.fromEntries(
				Object.entries(runners).map(([name, run]) => [name, (events: BenchEvent[], c: number) => measured(`endToEnd.${name}.c${c}`, () => run(events, c))]),
			) as Record<Contender, Runner>;
			const comparison = await compare({
				runners: measuredRunners,
				concurrency,
				events: options.e2eEvents[concurrency],
				repetitions: options.repetitions[concurrency],
				eventsFor,
				between: () => watcher.quiet(300, 60_000),
				log,
				label: 'regular mode',
			});
			endToEnd[`c${concurrency}`] = { ...comparison, ...endToEndRatios(comparison.runs) };
			// One execution at a time: nothing waits for a free slot, so the breakdown is the execution's own time.
			if (concurrency === 1) {
				const limit = options.e2eEvents[1] * options.repetitions[1];
				perNodeMs.fresh = await perNodeBreakdown(h, workflowAt(h, PATHS.gitlab), limit);
				perNodeMs.bound = await perNodeBreakdown(h, boundId, limit);
				minimalExecutionMs.minimal = await perNodeBreakdown(h, workflowAt(h, PATHS.minimal), limit);
				minimalExecutionMs.minimalIsolate = await perNodeBreakdown(h, workflowAt(h, PATHS.minimalIsolate), limit);
			}
		}
		const afterRuns = await savedStaticData(h, boundId);
		const fresh = await savedStaticData(h, workflowAt(h, PATHS.gitlab));

		const end = treeMemory(h.n8n.pid ?? 0);
		return {
			n8nVersion: version,
			apiCalls: {
				events: options.countEvents,
				people: people.length,
				dmsPerEvent: 2,
				ours,
				builtin,
				ratio: { cold: round(builtin.cold.callsPerDm / ours.cold.callsPerDm), warm: round(builtin.warm.callsPerDm / ours.warm.callsPerDm) },
				targetWarm: 1.1,
				warmMeetsTarget: ours.warm.callsPerDm <= 1.1,
			},
			endToEnd,
			perNodeMs,
			minimalExecutionMs,
			boundState: {
				books: bound.books,
				staticDataBytes: { imported: bytes(imported), afterWarmUp: bytes(warmedUp), afterRuns: bytes(afterRuns) },
				persistedEntriesAfterRuns: persistedEntries(afterRuns),
				neverLoaded,
			},
			freshStaticDataBytesAfterRuns: bytes(fresh),
			watcherNoticeMs: roundSummary(summarise(watcher.noticeMs)),
			memory: { idleAfterStartMb: idle, peakRssMb: peaks, highWaterMarkMb: Math.round(end.hwmKb / 1024), processes: end.processes },
			repetitions: options.repetitions,
		};
	} finally {
		watcher.stop();
		sampler.stop();
		await h.stop();
	}
}
