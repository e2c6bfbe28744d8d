/**
 * n8n 2.40.7 in queue mode on this machine, as a team that outgrew one n8n runs it: a private PostgreSQL (from Debian,
 * installed with apt-get when missing) and `n8n worker` processes next to the harness's main. Used by the queue-mode
 * suite (test/queue/run.ts) and the benchmark (test/bench/queue.ts).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, waitFor, type Harness } from '../../playground/harness';
import { openLog, spawnTracked, stopProcess } from '../../playground/harness/processes';

/** A private PostgreSQL cluster in a folder of its own, run as the postgres user (PostgreSQL refuses root). */
export interface Postgres {
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

export async function startPostgres(): Promise<Postgres> {
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
export class Worker {
	child?: ChildProcess;
	readonly logFile: string;

	constructor(
		readonly name: string,
		private readonly h: Harness,
		outputDir: string,
		private readonly concurrency = 5,
	) {
		this.logFile = join(outputDir, `n8n-${name}.log`);
	}

	async start(): Promise<void> {
		const log = openLog(this.logFile);
		log.write(`\n=== n8n worker ${this.name} (${new Date().toISOString()})\n`);
		const env = { ...this.h.n8n.env(), N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_ACTIVE: 'false' };
		const child = spawnTracked(this.h.toolchain.node, [this.h.toolchain.n8nBin, 'worker', `--concurrency=${this.concurrency}`], { env, cwd: this.h.n8n.userFolder, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** n8n's settings for queue mode over this PostgreSQL and Redis, on the main and (through its env()) every worker. */
export function queueModeEnv(postgresPort: number, redisPort: number): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		// The main only enqueues; the workers run every execution.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}
