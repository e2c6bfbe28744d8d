/**
 * Queue mode end to end: the bundled GitLab workflow, unchanged (State Store: Automatic, so n8n's own Redis), against
 * the minimal Webhook → Respond to Webhook workflow, on the queue-mode suite's cluster (test/queue/cluster.ts):
 * PostgreSQL, Redis, one main that only enqueues and two workers. Same event stream, closed loops and end condition
 * as regular mode (e2e.ts).
 */
import { join } from 'node:path';
import { freePort, loadWorkflows, startHarness, type Harness } from '../../playground/harness';
import { startRedis, type RedisServer } from '../helpers/redis';
import { queueModeEnv, startPostgres, Worker, type Postgres } from '../queue/cluster';
import { compare, dmRunner, minimalRunner, pairedMedian, perNodeBreakdown, workflowAt, type Comparison, type PerNodeMs } from './e2e';
import { mergeRequestEvents } from './events';
import { benchPeople, PATHS } from './in-n8n';
import { RequestLogWatcher } from './watch';

const WORKERS = 2;
/** Each worker's `--concurrency` (n8n's default is 10; the queue-mode suite runs 5, so 10 at once in all). */
const WORKER_CONCURRENCY = 5;
const WARM_UP_EVENTS = 5;

export interface QueueBenchOptions {
	outputDir: string;
	people: number;
	/** End-to-end repetitions, by concurrency. */
	repetitions: Record<number, number>;
	e2eEvents: Record<number, number>;
	concurrency: number[];
	log: (line: string) => void;
}

export interface QueueFigures {
	workers: number;
	workerConcurrency: number;
	endToEnd: Record<string, Comparison & { oursOverMinimal: number; addedLatencyMs: { p50: number; p99: number } }>;
	perNodeMs: PerNodeMs;
	/** Executions each worker started over the whole run (from its log). */
	executionsPerWorker: Record<string, number>;
	/** The store the GitLab workflow's nodes said they used (execution hints). */
	stateStore: string[];
}

export async function benchQueueMode(options: QueueBenchOptions): Promise<QueueFigures> {
	const { log } = options;
	const out = join(options.outputDir, 'queue');
	const { world, people } = benchPeople(options.people);
	const minimal = loadWorkflows(join(__dirname, 'workflows')).filter((w) => w.slug === 'minimal-webhook');
	let postgres: Postgres | undefined;
	let redis: RedisServer | undefined;
	let h: Harness | undefined;
	const workers: Worker[] = [];
	let watcher: RequestLogWatcher | undefined;
	try {
		postgres = await startPostgres();
		redis = await startRedis();
		h = await startHarness({
			outputDir: out,
			world,
			workflows: loadWorkflows().filter((w) => w.slug === 'gitlab-notifications'),
			extraWorkflows: minimal,
			mattermostPort: await freePort(),
			// dist/ was built for the regular-mode run of the same benchmark.
			build: 'skip',
			// Info, so each worker logs the executions it starts (counted per worker).
			logLevel: 'info',
			n8nEnv: queueModeEnv(postgres.port, redis.port),
			log: (line) => log(`queue harness: ${line}`),
		});
		for (let i = 1; i <= WORKERS; i++) {
			const worker = new Worker(`worker-${i}`, h, out, WORKER_CONCURRENCY);
			await worker.start();
			workers.push(worker);
		}
		log(`queue mode: main ${h.n8n.baseUrl}, ${WORKERS} workers (concurrency ${WORKER_CONCURRENCY} each), PostgreSQL ${postgres.port}, Redis ${redis.port}`);
		watcher = new RequestLogWatcher(join(out, 'mattermost-requests.jsonl'));
		watcher.start();
		// Series letters a-m only (see TOKEN in watch.ts); merge requests of their own, apart from regular mode's.
		let series = 0;
		let iid = 2_000_000;
		const eventsFor = (count: number) => {
			const events = mergeRequestEvents({ people, count, series: `f${(series++).toString(13)}`, firstIid: iid, webhookToken: world.secrets.gitlabWebhookToken });
			iid += count;
			return events;
		};
		const runners = { minimal: minimalRunner(h, PATHS.minimal), gitlab: dmRunner(h, watcher, PATHS.gitlab) };
		// The GitLab workflow's first executions open each worker's Redis connection and the DM channels.
		await runners.minimal(eventsFor(WARM_UP_EVENTS), 2);
		await runners.gitlab(eventsFor(WARM_UP_EVENTS * 2), 2);
		await watcher.quiet(500, 60_000);

		const endToEnd: QueueFigures['endToEnd'] = {};
		let perNodeMs: PerNodeMs = { executions: 0, nodes: {}, rest: 0, total: 0 };
		for (const concurrency of options.concurrency) {
			const w = watcher;
			const comparison = await compare({
				runners,
				concurrency,
				events: options.e2eEvents[concurrency],
				repetitions: options.repetitions[concurrency],
				eventsFor,
				between: () => w.quiet(300, 60_000),
				log,
				label: 'queue mode',
			});
			const { runs } = comparison;
			endToEnd[`c${concurrency}`] = {
				...comparison,
				oursOverMinimal: pairedMedian(runs, (r) => r.gitlab.eventsPerSecond / r.minimal.eventsPerSecond),
				addedLatencyMs: {
					p50: pairedMedian(runs, (r) => r.gitlab.latencyMs.p50 - r.minimal.latencyMs.p50),
					p99: pairedMedian(runs, (r) => r.gitlab.latencyMs.p99 - r.minimal.latencyMs.p99),
				},
			};
			if (concurrency === 1) perNodeMs = await perNodeBreakdown(h, workflowAt(h, PATHS.gitlab), options.e2eEvents[1] * options.repetitions[1]);
		}

		const hints = new Set<string>();
		const [latest] = await h.n8n.executions({ workflowId: workflowAt(h, PATHS.gitlab), status: ['success'] }, 1);
		if (latest) for (const m of JSON.stringify(await h.n8n.execution(latest.id)).matchAll(/State store: ([^"\\]+)/g)) hints.add(m[1]);
		return {
			workers: WORKERS,
			workerConcurrency: WORKER_CONCURRENCY,
			endToEnd,
			perNodeMs,
			executionsPerWorker: Object.fromEntries(workers.map((w) => [w.name, new Set(w.executionsStarted()).size])),
			stateStore: [...hints],
		};
	} finally {
		watcher?.stop();
		for (const worker of workers) await worker.stop().catch(() => undefined);
		await h?.stop();
		await redis?.stop().catch(() => undefined);
		await postgres?.stop().catch(() => undefined);
	}
}
