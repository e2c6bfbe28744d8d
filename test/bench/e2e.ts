/**
 * End-to-end runs against a real n8n, shared by regular mode (n8n.ts) and queue mode (queue.ts): closed loops that
 * send the same kind of GitLab deliveries to a workflow and count an event done when its DMs are in the stand-in (or,
 * for the minimal Webhook → Respond workflow, when n8n answered), and where one execution's time goes.
 */
import type { Harness } from '../../playground/harness';
import type { BenchEvent } from './events';
import { median, round, roundSummary, summarise, type Summary } from './stats';
import type { RequestLogWatcher } from './watch';

const DM_TIMEOUT_MS = 120_000;

export interface RunFigures {
	events: number;
	eventsPerSecond: number;
	latencyMs: Summary;
}

/** Runs one batch of events through a workflow with `concurrency` closed-loop senders. */
export type Runner = (events: BenchEvent[], concurrency: number) => Promise<RunFigures>;

/** Runs `one` over `events` with `concurrency` closed-loop workers (each sends its next event when the last is done). */
export async function closedLoop<T>(events: T[], concurrency: number, one: (event: T) => Promise<number>): Promise<number[]> {
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

/**
 * A workflow that answers GitLab at once and sends DMs afterwards (ours, the built-in chain): an event is done when
 * the stand-in has recorded all of its DMs. Latency and the end of the run are the stand-in's own create_at of the
 * last DM, so the watcher's notice delay is in neither; it only delays the loop's next send (see watch.ts).
 */
export function dmRunner(h: Harness, watcher: RequestLogWatcher, path: string): Runner {
	return async (events, concurrency) => {
		const started = Date.now();
		let lastPostAt = 0;
		const latencies = await closedLoop(events, concurrency, async (event) => {
			const sentAt = Date.now();
			const posted = watcher.waitForPosts(event.token, event.recipients.length, DM_TIMEOUT_MS);
			posted.catch(() => undefined);
			const response = await h.send(path, { json: event.payload, headers: event.headers });
			if (response.status !== 200) throw new Error(`POST /webhook/${path} answered ${response.status}: ${response.text.slice(0, 200)}`);
			const last = Math.max(...(await posted).slice(0, event.recipients.length));
			lastPostAt = Math.max(lastPostAt, last);
			return last - sentAt;
		});
		return figures(events.length, lastPostAt - started, latencies);
	};
}

/** The minimal Webhook → Respond to Webhook workflow: an event is done when n8n answered. */
export function minimalRunner(h: Harness, path: string): Runner {
	return async (events, concurrency) => {
		const started = Date.now();
		const latencies = await closedLoop(events, concurrency, async (event) => {
			const response = await h.send(path, { json: event.payload });
			if (response.status !== 200) throw new Error(`POST /webhook/${path} answered ${response.status}`);
			return response.ms;
		});
		return figures(events.length, Date.now() - started, latencies);
	};
}

function figures(events: number, elapsedMs: number, latencies: number[]): RunFigures {
	return { events, eventsPerSecond: round(events / (elapsedMs / 1000)), latencyMs: roundSummary(summarise(latencies)) };
}

/** The repetition figures' medians, each figure on its own. */
export function medianRun(runs: RunFigures[]): RunFigures {
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

export interface PerNodeMs {
	executions: number;
	nodes: Record<string, number>;
	/** Execution wall time not spent in nodes: start-up, execution-data saving (and in queue mode the job hand-off). */
	rest: number;
	total: number;
}

/** Median per-node executionTime over the newest `limit` successful executions of a workflow, as n8n stored them. */
export async function perNodeBreakdown(h: Harness, workflowId: string, limit: number): Promise<PerNodeMs> {
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

/** The workflow id behind a published webhook path. */
export function workflowAt(h: Harness, path: string): string {
	const id = h.webhooks.find((w) => w.path === path)?.workflowId;
	if (!id) throw new Error(`no published workflow registers /webhook/${path}`);
	return id;
}

export interface Comparison {
	concurrency: number;
	/** Median figures over the repetitions, and each repetition's, by workflow. */
	runs: Record<string, RunFigures & { perRepetition: RunFigures[] }>;
}

/**
 * The median over repetitions of a figure taken within each repetition (a ratio of two workflows' figures, say):
 * the two were measured moments apart, so a shared machine's drift between repetitions cancels out of it.
 */
export function pairedMedian(runs: Record<string, { perRepetition: RunFigures[] }>, figure: (repetition: Record<string, RunFigures>) => number): number {
	const count = Math.min(...Object.values(runs).map((r) => r.perRepetition.length));
	const values = Array.from({ length: count }, (_, i) => figure(Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, r.perRepetition[i]]))));
	return round(median(values));
}

/**
 * Each repetition runs every workflow once over fresh events of the same stream, in an order that rotates from one
 * repetition to the next, so drift of a shared machine falls on all of them alike.
 */
export async function compare(options: {
	runners: Record<string, Runner>;
	concurrency: number;
	events: number;
	repetitions: number;
	eventsFor: (count: number) => BenchEvent[];
	between: () => Promise<void>;
	log: (line: string) => void;
	label: string;
}): Promise<Comparison> {
	const names = Object.keys(options.runners);
	const reps: Record<string, RunFigures[]> = Object.fromEntries(names.map((n) => [n, []]));
	for (let r = 0; r < options.repetitions; r++) {
		const order = names.map((_, i) => names[(i + r) % names.length]);
		for (const name of order) {
			const figures = await options.runners[name](options.eventsFor(options.events), options.concurrency);
			reps[name].push(figures);
			await options.between();
		}
		options.log(
			`${options.label} c=${options.concurrency} rep ${r + 1}: ` +
				names.map((n) => `${n} ${reps[n][r].eventsPerSecond}/s p50 ${reps[n][r].latencyMs.p50} ms`).join('; '),
		);
	}
	return {
		concurrency: options.concurrency,
		runs: Object.fromEntries(names.map((n) => [n, { ...medianRun(reps[n]), perRepetition: reps[n] }])),
	};
}
