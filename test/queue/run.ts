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
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, loadWorkflows, REPO_ROOT, sleep, startHarness, waitFor, type Harness } from '../../playground/harness';
import { openLog, spawnTracked, stopProcess } from '../../playground/harness/processes';
import { startRedis, type RedisServer } from '../helpers/redis';
import { check, Scenarios } from '../helpers/scenarios';
import { makeWorld } from '../../playground/harness/world';
import type { HttpEvent } from '../../playground/sample-events';
import { makeDeliveries, type Delivery } from '../reliability/events';
import { Suite } from '../reliability/suite';

const OUT = process.env.QUEUE_OUTPUT ?? join(REPO_ROOT, 'e2e-output');
const SEED = Number(process.env.QUEUE_SEED ?? (process.env.CI ? 20261130 % 1_000_000 : Date.now() % 1_000_000));
const scenarios = new Scenarios(8);

/** A private PostgreSQL cluster in a folder of its own, run as the postgres user (PostgreSQL refuses root). */
interface Postgres {
	port: number;
	stop(): Promise<void>;
}

function postgresBin(): string {
	const find = () => {
		const root = '/usr/lib/postgresql';
		if (!existsSync(root)) return undefined;
		const version = readdirSync(root).sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(join(root, v, 'bin', 'pg_ctl')));
		return version ? join(root, version, 'bin') : undefined;
	};
	let bin = find();
	if (!bin) {
		execFileSync('apt-get', ['update'], { stdio: 'inherit' });
		execFileSync('apt-get', ['install', '-y', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		bin = find();
	}
	if (!bin) throw new Error('PostgreSQL is not installed and apt-get did not install it');
	return bin;
}

async function startPostgres(): Promise<Postgres> {
	const bin = postgresBin();
	const root = process.getuid?.() === 0;
	const dir = mkdtempSync(join(tmpdir(), 'mmdevops-pg-'));
	const as = (command: string, args: string[]) =>
		root ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, command), args, { stdio: 'pipe' });
	if (root) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
		chownSync(dir, uid, gid);
	}
	const port = await freePort();
	as('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
	// In the foreground as a tracked child, so it stops with the suite however the suite ends.
	const serverArgs = ['-D', join(dir, 'data'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off'];
	const child = root
		? spawnTracked('runuser', ['-u', 'postgres', '--', join(bin, 'postgres'), ...serverArgs], { stdio: 'ignore' })
		: spawnTracked(join(bin, 'postgres'), serverArgs, { stdio: 'ignore' });
	await waitFor(
		`PostgreSQL on port ${port}`,
		async () => {
			try {
				as('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'SELECT 1']);
				return true;
			} catch {
				return undefined;
			}
		},
		60_000,
		300,
	);
	as('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE n8n']);
	return {
		port,
		stop: async () => {
			// SIGINT is PostgreSQL's fast shutdown.
			await stopProcess(child, 'SIGINT', 20_000);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** An `n8n worker` sharing the main's user folder, settings and database, with its own task-runner broker port. */
class Worker {
	child?: ChildProcess;
	readonly logFile: string;

	constructor(
		readonly name: string,
		private readonly h: Harness,
	) {
		this.logFile = join(OUT, `n8n-${name}.log`);
	}

	async start(): Promise<void> {
		const log = openLog(this.logFile);
		log.write(`\n=== n8n worker ${this.name} (${new Date().toISOString()})\n`);
		const env = { ...this.h.n8n.env(), N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_ACTIVE: 'false' };
		const child = spawnTracked(this.h.toolchain.node, [this.h.toolchain.n8nBin, 'worker', '--concurrency=5'], { env, cwd: this.h.n8n.userFolder, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout?.pipe(log, { end: false });
		child.stderr?.pipe(log, { end: false });
		this.child = child;
		const before = readFileSync(this.logFile, 'utf8').length;
		await waitFor(`worker ${this.name} ready`, async () => (readFileSync(this.logFile, 'utf8').slice(before).includes('n8n worker is now ready') ? true : undefined), 120_000, 500);
	}

	async kill(): Promise<void> {
		if (this.child) await stopProcess(this.child, 'SIGKILL', 1000);
	}

	async stop(): Promise<void> {
		if (this.child) await stopProcess(this.child, 'SIGTERM', 20_000);
	}

	/** Executions this worker started, from its log ("Worker started execution 12 (job 34)"). */
	executionsStarted(): string[] {
		const text = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
		return [...text.matchAll(/started execution (\d+)/gi)].map((m) => m[1]);
	}
}

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
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(postgres.port),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'postgres',
				DB_POSTGRESDB_PASSWORD: '',
				// The main only enqueues; the two workers run every execution.
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				// A killed worker's jobs count as stalled after seconds, not n8n's default minute and a half.
				QUEUE_WORKER_LOCK_DURATION: '15000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
			},
		});
		const h = harness;
		for (const name of ['worker-1', 'worker-2']) {
			const worker = new Worker(name, h);
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
