/**
 * Benchmarks 2 and 3 (and their memory figures) in one real n8n 2.40.7 with this package installed from its tarball,
 * via the e2e harness: the bundled GitLab workflow, the built-in-nodes comparison and a minimal Webhook → Respond to
 * Webhook workflow, all published on the same instance, Mattermost answered by the stand-in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, loadWorkflows, startHarness, type Harness, type LoadedWorkflow } from '../../playground/harness';
import { rewriteServiceUrls } from '../../playground/harness/workflows';
import { makeWorld } from '../../playground/harness/world';
import { mergeRequestEvents, type BenchEvent, type BenchPerson } from './events';
import { MemorySampler, treeMemory } from './memory';
import { median, round, summarise, type Summary } from './stats';
import { endpointOf, RequestLogWatcher } from './watch';

const BENCH_WORKFLOWS = join(__dirname, 'workflows');
const PLACEHOLDER_URL = /https:\/\/chat\.example\.com/g;
const DM_TIMEOUT_MS = 120_000;

export interface N8nBenchOptions {
	outputDir: string;
	/** Events per cold and per warm pass of the API-call count (100 in the spec). */
	countEvents: number;
	/** People the events go to (10 in the spec). */
	people: number;
	repetitions: number;
	/** Events per end-to-end run, by concurrency. */
	e2eEvents: Record<number, number>;
	concurrency: number[];
	build: 'full' | 'bundle' | 'skip';
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

interface RunFigures {
	events: number;
	eventsPerSecond: number;
	latencyMs: Summary;
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
	endToEnd: Record<
		string,
		{
			concurrency: number;
			gitlab: RunFigures & { perRepetition: RunFigures[] };
			minimal: RunFigures & { perRepetition: RunFigures[] };
			/** Minimal events/s divided by GitLab events/s, and GitLab p50/p99 latency minus the minimal one's. */
			throughputRatio: number;
			addedLatencyMs: { p50: number; p99: number };
		}
	>;
	/**
	 * Where one GitLab execution's time goes, from the executions n8n stored (the end-to-end runs at concurrency 1): median
	 * `executionTime` per node, and the rest of the execution (start-up, execution-data saving, the queue hand-off).
	 */
	perNodeMs: { executions: number; nodes: Record<string, number>; rest: number; total: number };
	memory: {
		idleAfterStartMb: number;
		peakRssMb: Record<string, number>;
		/** Sum of every n8n process's own high-water mark at the end of the run. */
		highWaterMarkMb: number;
		processes: number;
	};
	repetitions: number;
}

function benchPeople(count: number): { world: ReturnType<typeof makeWorld>; people: BenchPerson[] } {
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

/** Runs `one` over `events` with `concurrency` closed-loop workers (each sends its next event when the last is done). */
async function closedLoop<T>(events: T[], concurrency: number, one: (event: T) => Promise<number>): Promise<number[]> {
	let next = 0;
	const latencies: number[] = [];
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < events.length) {
				const event = events[next++];
				latencies.push(await one(event));
			}
		}),
	);
	return latencies;
}

export async function benchInN8n(options: N8nBenchOptions): Promise<N8nFigures> {
	const { log } = options;
	const { world, people } = benchPeople(options.people);
	const mattermostPort = await freePort();
	const gitlab = loadWorkflows().filter((w) => w.slug === 'gitlab-notifications');
	if (gitlab.length !== 1) throw new Error('workflows/gitlab-notifications.json is missing');
	const extra = benchWorkflows(world.bot.id, `http://127.0.0.1:${mattermostPort}`);

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
	let iid = 10_000;
	const eventsFor = (count: number) => {
		const events = mergeRequestEvents({ people, count, series: nextSeries(), firstIid: iid, webhookToken: world.secrets.gitlabWebhookToken });
		iid += count;
		return events;
	};

	let lastPostAt = 0;
	const sendGitlab = (path: string) => async (event: BenchEvent) => {
		const started = Date.now();
		const posted = watcher.waitForPosts(event.token, event.recipients.length, DM_TIMEOUT_MS);
		posted.catch(() => undefined);
		const response = await h.send(path, { json: event.payload, headers: event.headers });
		if (response.status !== 200) throw new Error(`POST /webhook/${path} answered ${response.status}: ${response.text.slice(0, 200)}`);
		const last = Math.max(...(await posted));
		lastPostAt = Math.max(lastPostAt, last);
		return last - started;
	};

	try {
		const version = (JSON.parse(readFileSync(join(h.toolchain.n8nDir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as { version: string }).version;
		watcher.start();
		const idle = Math.round(treeMemory(h.n8n.pid ?? 0).rssKb / 1024);

		const count = async (path: string, label: string): Promise<CallCount> => {
			const events = eventsFor(options.countEvents);
			const mark = watcher.requests.length;
			const fallbackMark = watcher.fallbackPosts.length;
			await closedLoop(events, 1, sendGitlab(path));
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
		const ours = await measured('apiCount.ours', async () => ({ cold: await count('gitlab', 'ours cold'), warm: await count('gitlab', 'ours warm') }));
		await h.mattermost.reset(); // the built-in workflow starts without any DM channel too
		const builtin = await measured('apiCount.builtin', async () => ({
			cold: await count('bench-builtin', 'built-in cold'),
			warm: await count('bench-builtin', 'built-in warm'),
		}));

		const endToEnd: N8nFigures['endToEnd'] = {};
		let perNodeMs: N8nFigures['perNodeMs'] = { executions: 0, nodes: {}, rest: 0, total: 0 };
		for (const concurrency of options.concurrency) {
			const reps = { gitlab: [] as RunFigures[], minimal: [] as RunFigures[] };
			for (let r = 0; r < options.repetitions; r++) {
				const n = options.e2eEvents[concurrency];
				// Same events for both workflows; the minimal one ignores their content.
				const minimalEvents = eventsFor(n);
				const minimal = await measured(`endToEnd.minimal.c${concurrency}`, async () => {
					const started = Date.now();
					const latencies = await closedLoop(minimalEvents, concurrency, async (event) => {
						const response = await h.send('bench-minimal', { json: event.payload });
						if (response.status !== 200) throw new Error(`POST /webhook/bench-minimal answered ${response.status}`);
						return response.ms;
					});
					return { events: n, eventsPerSecond: round(n / ((Date.now() - started) / 1000)), latencyMs: roundSummary(summarise(latencies)) };
				});
				const gitlabEvents = eventsFor(n);
				const gitlabRun = await measured(`endToEnd.gitlab.c${concurrency}`, async () => {
					const started = Date.now();
					lastPostAt = 0;
					const latencies = await closedLoop(gitlabEvents, concurrency, sendGitlab('gitlab'));
					// Until the stand-in recorded the last DM, by its clock (the watcher's polling delay left out).
					return { events: n, eventsPerSecond: round(n / ((lastPostAt - started) / 1000)), latencyMs: roundSummary(summarise(latencies)) };
				});
				reps.minimal.push(minimal);
				reps.gitlab.push(gitlabRun);
				log(
					`end to end c=${concurrency} rep ${r + 1}: minimal ${minimal.eventsPerSecond}/s p50 ${minimal.latencyMs.p50} ms; ` +
						`GitLab ${gitlabRun.eventsPerSecond}/s p50 ${gitlabRun.latencyMs.p50} ms p99 ${gitlabRun.latencyMs.p99} ms`,
				);
				await watcher.quiet(500, 60_000);
			}
			// One execution at a time: nothing waits for a free slot, so the breakdown is the execution's own time.
			if (concurrency === 1) perNodeMs = await perNodeBreakdown(h, options.e2eEvents[1] * options.repetitions);
			const gitlabFig = medianRun(reps.gitlab);
			const minimalFig = medianRun(reps.minimal);
			endToEnd[`c${concurrency}`] = {
				concurrency,
				gitlab: { ...gitlabFig, perRepetition: reps.gitlab },
				minimal: { ...minimalFig, perRepetition: reps.minimal },
				throughputRatio: round(minimalFig.eventsPerSecond / gitlabFig.eventsPerSecond),
				addedLatencyMs: {
					p50: round(gitlabFig.latencyMs.p50 - minimalFig.latencyMs.p50),
					p99: round(gitlabFig.latencyMs.p99 - minimalFig.latencyMs.p99),
				},
			};
		}

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
			memory: { idleAfterStartMb: idle, peakRssMb: peaks, highWaterMarkMb: Math.round(end.hwmKb / 1024), processes: end.processes },
			repetitions: options.repetitions,
		};
	} finally {
		watcher.stop();
		sampler.stop();
		await h.stop();
	}
}

/** Median per-node executionTime over the newest `limit` successful executions of the GitLab workflow. */
async function perNodeBreakdown(h: Harness, limit: number): Promise<N8nFigures['perNodeMs']> {
	const workflowId = h.webhooks.find((w) => w.path === 'gitlab')?.workflowId;
	const list = (await h.n8n.executions({ workflowId, status: ['success'] }, limit)).filter((e) => e.stoppedAt);
	const byNode = new Map<string, number[]>();
	const rest: number[] = [];
	const total: number[] = [];
	for (const summary of list) {
		const execution = (await h.n8n.execution(summary.id)) as { data?: { resultData?: { runData?: Record<string, Array<{ executionTime?: number }>> } } };
		const runData = execution.data?.resultData?.runData ?? {};
		let inNodes = 0;
		for (const [node, runs] of Object.entries(runData)) {
			const ms = runs.reduce((sum, run) => sum + (run.executionTime ?? 0), 0);
			inNodes += ms;
			byNode.set(node, [...(byNode.get(node) ?? []), ms]);
		}
		const wall = Date.parse(String(summary.stoppedAt)) - Date.parse(summary.startedAt);
		total.push(wall);
		rest.push(Math.max(0, wall - inNodes));
	}
	return {
		executions: list.length,
		nodes: Object.fromEntries([...byNode].map(([node, values]) => [node, round(median(values))])),
		rest: round(median(rest)),
		total: round(median(total)),
	};
}

/** The repetition figures' medians, each figure on its own. */
function medianRun(runs: RunFigures[]): RunFigures {
	const pick = (f: (r: RunFigures) => number) => round(median(runs.map(f)));
	return {
		events: runs[0]?.events ?? 0,
		eventsPerSecond: pick((r) => r.eventsPerSecond),
		latencyMs: {
			n: runs.reduce((s, r) => s + r.latencyMs.n, 0),
			p50: pick((r) => r.latencyMs.p50),
			p99: pick((r) => r.latencyMs.p99),
			min: pick((r) => r.latencyMs.min),
			max: pick((r) => r.latencyMs.max),
			mean: pick((r) => r.latencyMs.mean),
		},
	};
}

function roundSummary(summary: Summary): Summary {
	return Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, round(v)])) as unknown as Summary;
}
