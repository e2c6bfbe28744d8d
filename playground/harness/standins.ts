/**
 * Stand-ins run as child processes (their own event loop, so load on n8n or on the test never slows them), each on a
 * free loopback port, and are driven over their `/__standin/*` control API.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnTracked, stopProcess } from './processes';
import { REPO_ROOT, pathWithNode, type Toolchain } from './toolchain';

export interface StandinProcessOptions {
	toolchain: Toolchain;
	/** Script under playground/standin, e.g. 'main.ts'. */
	script: string;
	seed: unknown;
	/** Where the seed file is written. */
	workDir: string;
	label: string;
	port?: number;
	args?: string[];
	/** The stand-in's stderr (and request log when it writes one) go here. */
	logFile?: string;
	env?: Record<string, string>;
}

export class StandinProcess {
	constructor(
		readonly label: string,
		readonly url: string,
		private readonly child: ChildProcess,
		/** Everything the stand-in printed on its first line (e.g. `demoUrl`). */
		readonly info: Record<string, unknown> = {},
	) {}

	async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/__standin/${path.replace(/^\/+/, '')}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${this.label} stand-in ${method} /__standin/${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	async requests<T = Record<string, unknown>>(): Promise<T[]> {
		return await this.control<T[]>('GET', 'requests');
	}

	async reset(): Promise<void> {
		await this.control('POST', 'reset');
	}

	async stop(): Promise<void> {
		await stopProcess(this.child, 'SIGTERM', 5_000);
	}
}

type StandinConstructor<T> = new (label: string, url: string, child: ChildProcess, info: Record<string, unknown>) => T;

export async function startStandinProcess<T extends StandinProcess = StandinProcess>(
	options: StandinProcessOptions,
	Control: StandinConstructor<T> = StandinProcess as unknown as StandinConstructor<T>,
): Promise<T> {
	const seedFile = join(options.workDir, `${options.label}-seed.json`);
	writeFileSync(seedFile, JSON.stringify(options.seed, null, 2), { mode: 0o600 });
	const tsxCli = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
	const args = [tsxCli, join(REPO_ROOT, 'playground', 'standin', options.script), '--port', String(options.port ?? 0), '--seed', seedFile, ...(options.args ?? [])];
	const child = spawnTracked(options.toolchain.node, args, {
		cwd: REPO_ROOT,
		env: { ...process.env, PATH: pathWithNode(options.toolchain), ...options.env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
	});
	const lines = createInterface({ input: child.stdout! });
	const info = await new Promise<Record<string, unknown> & { url: string }>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${options.label} stand-in did not print its URL within 60 s\n${stderr}`)), 60_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${options.label} stand-in exited (${code}) before printing its URL\n${stderr}`));
		});
		lines.once('line', (line) => {
			clearTimeout(timer);
			try {
				const parsed = JSON.parse(line) as Record<string, unknown> & { url: string };
				if (typeof parsed.url !== 'string') throw new Error('no url');
				resolve(parsed);
			} catch {
				reject(new Error(`${options.label} stand-in printed "${line}" instead of {"url": ...}`));
			}
		});
	});
	// Keep draining stdout so the child never blocks on a full pipe.
	lines.on('line', () => undefined);
	return new Control(options.label, info.url, child, info);
}
