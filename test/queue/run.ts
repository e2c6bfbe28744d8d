/**
 * `npm run test:queue`: the bundled GitLab workflow, unchanged (State Store: Automatic), in n8n 2.40.7 queue mode as a
 * team that outgrew one n8n runs it: PostgreSQL and Redis from Debian (installed with apt-get when missing) on private
 * loopback ports, one main and two workers sharing the user folder, the packed package. Proves, with executions spread
 * over both workers, that every delivery re-sent several times gives one DM, comments reply in the thread of each
 * person's first DM about the merge request, a draft announces "ready" once (also when drafted and readied again),
 * three copies at once give one DM, and a worker killed with SIGKILL mid-run loses and duplicates nothing once GitLab's
 * re-sends and the operator's retries are done. Figures go to e2e-output/reliability.json under `queueMode`.
 *
 * QUEUE_BUILD=full|bundle|skip (default full), QUEUE_SEED=<n> replays the event mix.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkflows, REPO_ROOT, sleep, startHarness, type Harness } from '../../playground/harness';
import { startRedis, type RedisServer } from '../helpers/redis';
import { check, Scenarios } from '../helpers/scenarios';
import { makeWorld } from '../../playground/harness/world';
import type { HttpEvent } from '../../playground/sample-events';
import { makeDeliveries, type Delivery } from '../reliability/events';
import { Suite } from '../reliability/suite';
import { queueModeEnv, startPostgres, Worker, type Postgres } from './cluster';

const OUT = process.env.QUEUE_OUTPUT ?? join(REPO_ROOT, 'e2e-output');
const SEED = Number(process.env.QUEUE_SEED ?? (process.env.CI ? 20261130 % 1_000_000 : Date.now() % 1_000_000));
const scenarios = new Scenarios(8);

interface QueueFigures {
	seed: number;
	events: number;
	httpRequests: number;
	dmsExpected: number;
	delivered: number;
	lost: number;
	duplicated: number;
	threadsKept: number;
	threadsExpected: number;
	readyDuplicates: number;
	workerKills: number;
	executionsRetried: number;
	executionsPerWorker: Record<string, number>;
	stateStore: string[];
}

/** The same merge request drafted again, then readied again (a new updated_at): neither may announce anything. */
function draftedAndReadiedAgain(ready: Delivery, iid: number): Delivery[] {
	const base = ready.event;
	const again = (id: string, draft: boolean, minute: number): HttpEvent => {
		const json = structuredClone(base.json) as { object_attributes: Record<string, unknown>; changes: Record<string, unknown> };
		json.object_attributes.draft = draft;
		json.object_attributes.work_in_progress = draft;
		json.object_attributes.updated_at = `2026-11-20T11:${String(minute).padStart(2, '0')}:00Z`;
		json.changes = { draft: { previous: !draft, current: draft }, updated_at: { previous: 'x', current: json.object_attributes.updated_at } };
		return { ...base, headers: { ...base.headers, 'Idempotency-Key': id, 'X-Gitlab-Event-UUID': id }, json };
	};
	return [
		{ id: `draft-again-${iid}-${SEED}`, label: `!${iid} drafted again`, event: again(`draft-again-${iid}-${SEED}`, true, 40), expected: [], thread: ready.thread },
		{ id: `ready-again-${iid}-${SEED}`, label: `!${iid} readied again`, event: again(`ready-again-${iid}-${SEED}`, false, 45), expected: [], thread: ready.thread },
	];
}

async function main(): Promise<void> {
	const started = Date.now();
	const build = (process.env.QUEUE_BUILD ?? 'full') as 'full' | 'bundle' | 'skip';
	mkdirSync(OUT, { recursive: true });
	process.stdout.write(`queue-mode seed ${SEED} (QUEUE_SEED=${SEED} to replay)\n`);
	let postgres: Postgres | undefined;
	let redis: RedisServer | undefined;
	let harness: Harness | undefined;
	const workers: Worker[] = [];
	let suite: Suite | undefined;
	const figures: QueueFigures = {
		seed: SEED,
		events: 0,
		httpRequests: 0,
		dmsExpected: 0,
		delivered: 0,
		lost: 0,
		duplicated: 0,
		threadsKept: 0,
		threadsExpected: 0,
		readyDuplicates: 0,
		workerKills: 0,
		executionsRetried: 0,
		executionsPerWorker: {},
		stateStore: [],
	};
	try {
		postgres = await startPostgres();
		redis = await startRedis();
		process.stderr.write(`[queue] PostgreSQL on ${postgres.port}, Redis on ${redis.port}\n`);
		harness = await startHarness({
			outputDir: OUT,
			world: makeWorld({ extraPeople: 8 }),
			workflows: loadWorkflows().filter((w) => w.slug === 'gitlab-notifications'),
			build,
			n8nEnv: {
				...queueModeEnv(postgres.port, redis.port),
				// A killed worker's jobs count as stalled after seconds, not n8n's default minute and a half.
				QUEUE_WORKER_LOCK_DURATION: '15000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
			},
		});
		const h = harness;
		for (const name of ['worker-1', 'worker-2']) {
			const worker = new Worker(name, h, OUT);
			await worker.start();
			workers.push(worker);
		}
		process.stderr.write(`[queue] main ${h.n8n.baseUrl} and ${workers.length} workers ready\n`);
		const s = new Suite(h, SEED);
		suite = s;

		await scenarios.run('Queue mode: every delivery re-sent 3 times → one DM each; comments in each person\'s MR thread; "ready" once', async () => {
			const deliveries = makeDeliveries(h.world, { seed: SEED, mergeRequests: 6, pipelines: 2, firstIid: 100 });
			for (let copy = 0; copy < 3; copy++) {
				const refused = await s.sendAll(deliveries, 4);
				check(refused.length === 0, `n8n refused ${refused.length} deliveries`);
			}
			await s.settle(deliveries.length * 3);
			await s.assertExactlyOnce('after three sends of every delivery');
		});

		await scenarios.run('Queue mode: a merge request drafted and readied again announces nothing more', async () => {
			const readies = s.deliveries.filter((d) => d.ready);
			check(readies.length > 0, 'no "ready" delivery sent yet');
			const again = readies.slice(0, 3).flatMap((ready, n) => draftedAndReadiedAgain(ready, 100 + n));
			const before = (await s.executions()).length;
			for (const delivery of again) {
				check(await s.post(delivery.event), `n8n refused ${delivery.label}`);
				s.deliveries.push(delivery);
				s.figures.eventsSent++;
			}
			await s.settle(before + again.length);
			await s.assertExactlyOnce('after drafting and readying again');
		});

		await scenarios.run('Queue mode: the same delivery 3 times at once → one DM per recipient', async () => {
			await s.sendCopiesAtOnce(SEED + 1);
		});

		await scenarios.run('Queue mode: a worker killed (SIGKILL) mid-run, deliveries re-sent and failed executions retried → nothing lost or duplicated', async () => {
			const deliveries = makeDeliveries(h.world, { seed: SEED + 2, mergeRequests: 5, pipelines: 2, firstIid: 300 });
			// Slow answers keep executions in flight on both workers when one dies.
			await h.mattermost.setFaults({ rate: 0.3, kinds: ['slow'], slowMs: 1500, seed: SEED + 2, paths: ['/api/v4/posts'] });
			let killed = false;
			const killAt = Math.floor(deliveries.length * 0.5);
			const refused = await s.sendAll(deliveries, 4, async (done) => {
				if (!killed && done >= killAt) {
					killed = true;
					await workers[0].kill();
					figures.workerKills++;
				}
			});
			check(killed, 'the worker was not killed');
			const killedAt = Date.now();
			await h.mattermost.setFaults(null);
			await s.replay(refused);
			await workers[0].start();
			// n8n 2.40 does not run a killed worker's executions again ("failed to be processed too many times"), and
			// GitLab got its 200 at once. The team re-sends the deliveries from GitLab once the formatter's in-flight
			// window (2 minutes) has passed, and retries what failed, as an operator would.
			await sleep(Math.max(0, killedAt + 125_000 - Date.now()));
			const before = (await s.executions()).length;
			check((await s.sendAll(deliveries, 4)).length === 0, 'n8n refused a re-sent delivery');
			await s.settle(before + deliveries.length);
			s.restartedAt = killedAt;
			await s.stopZombies().catch(() => 0);
			await s.retryFailed();
			await s.assertExactlyOnce('after the worker was killed, re-sends and retries');
		});
	} catch (error) {
		scenarios.record({ name: 'harness', ok: false, detail: (error as Error).message });
		process.stdout.write(`FAIL  harness\n      ${(error as Error).message}\n`);
	} finally {
		if (suite) {
			await suite.verify().catch(() => undefined);
			const f = suite.figures;
			const threads = new Set(suite.deliveries.filter((d) => d.thread && d.expected.length).flatMap((d) => d.expected.map((u) => `${d.thread}|${u}`)));
			Object.assign(figures, {
				events: f.eventsSent,
				httpRequests: f.httpRequests,
				dmsExpected: f.dmsExpected,
				delivered: f.delivered,
				lost: f.lost,
				duplicated: f.duplicated,
				threadsExpected: threads.size,
				threadsKept: threads.size - f.threadErrors,
				readyDuplicates: f.readyDuplicates,
				executionsRetried: f.executionsRetried,
			});
			for (const worker of workers) figures.executionsPerWorker[worker.name] = new Set(worker.executionsStarted()).size;
			const hinted = new Set<string>();
			// Successful runs only: the kill scenario leaves crashed executions without run data at the top of the list.
			const succeeded = (await suite.executions().catch(() => [])).filter((e) => e.status === 'success');
			for (const e of succeeded.slice(0, 10)) {
				const text = JSON.stringify(await harness?.n8n.execution(e.id).catch(() => ({})));
				for (const m of text.matchAll(/State store: ([^"\\]+)/g)) hinted.add(m[1]);
			}
			figures.stateStore = [...hinted];
			const spread = Object.values(figures.executionsPerWorker);
			await scenarios.run('Queue mode: executions ran on both workers, with the Redis store', async () => {
				check(spread.length === 2 && spread.every((n) => n > 0), `executions per worker: ${JSON.stringify(figures.executionsPerWorker)}`);
				check(figures.stateStore.length > 0 && figures.stateStore.every((w) => w.startsWith('redis ')), `state store hints: ${JSON.stringify(figures.stateStore)}`);
			});
		}
		for (const worker of workers) await worker.stop().catch(() => undefined);
		await harness?.stop();
		await redis?.stop().catch(() => undefined);
		await postgres?.stop().catch(() => undefined);
	}

	const file = join(OUT, 'reliability.json');
	const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
	report.queueMode = { ...figures, scenarios: scenarios.outcomes, passed: scenarios.passed, failed: scenarios.failed, seconds: Math.round((Date.now() - started) / 1000) };
	writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	const rows: Array<[string, string]> = [
		['events sent', String(figures.events)],
		['HTTP deliveries (incl. re-sends)', String(figures.httpRequests)],
		['DMs expected', String(figures.dmsExpected)],
		['delivered', String(figures.delivered)],
		['lost', String(figures.lost)],
		['duplicated', String(figures.duplicated)],
		['threads kept', `${figures.threadsKept} of ${figures.threadsExpected}`],
		['ready DMs twice', String(figures.readyDuplicates)],
		['workers killed (SIGKILL)', String(figures.workerKills)],
		['executions retried', String(figures.executionsRetried)],
		['executions per worker', JSON.stringify(figures.executionsPerWorker)],
		['state store', figures.stateStore.join(', ') || '-'],
	];
	const width = Math.max(...rows.map(([k]) => k.length));
	process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n\n${scenarios.summaryLine()}\n`);
	process.exitCode = scenarios.failed ? 1 : 0;
}

void main();
