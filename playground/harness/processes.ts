/**
 * Child processes the harness starts, so every one of them is stopped again: on normal exit, on an exception, and on
 * SIGINT/SIGTERM. Each child gets its own process group so its children (n8n's task runner) go with it.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

const running = new Set<ChildProcess>();
let hooksInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** Stops every tracked child right now (SIGKILL): used when the harness itself is going away. */
export function killAllNow(): void {
	for (const child of running) killGroup(child, 'SIGKILL');
	running.clear();
}

/** SIGTERM to every tracked child (n8n then shuts down cleanly), SIGKILL to those still there after `graceMs`. */
export async function stopAll(graceMs = 10_000): Promise<void> {
	await Promise.all([...running].map(async (child) => await stopProcess(child, 'SIGTERM', graceMs)));
}

function installExitHooks(): void {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.on('exit', killAllNow);
	let stopping = false;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (stopping) {
				killAllNow();
				process.exit(130);
			}
			stopping = true;
			process.stderr.write(`\n[harness] ${signal}: stopping ${running.size} child process(es) ...\n`);
			void stopAll().finally(() => process.exit(130));
		});
	}
}

export function track(child: ChildProcess): ChildProcess {
	installExitHooks();
	running.add(child);
	child.once('exit', () => running.delete(child));
	return child;
}

/** Spawns a tracked, detached (own process group) child. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
	return track(spawn(command, args, { ...options, detached: true }));
}

/** Sends `signal` to the child's process group and waits until it exits (SIGKILL after `graceMs`). */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, signal);
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	running.delete(child);
}

/**
 * Runs a command to completion with a hard timeout (a failing `n8n execute`/import can hang instead of exiting).
 * Rejects with the captured output on a non-zero exit or a timeout.
 */
export async function runCommand(
	command: string,
	args: string[],
	options: SpawnOptions & { timeoutMs: number; logTo?: WriteStream; label?: string; allowFailure?: boolean },
): Promise<RunResult> {
	const { timeoutMs, logTo, label = `${command} ${args.join(' ')}`, allowFailure = false, ...spawnOptions } = options;
	const child = spawnTracked(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		logTo?.write(chunk);
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		logTo?.write(chunk);
	});
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGKILL');
	}, timeoutMs);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (c, s) => resolve([c, s]));
	});
	clearTimeout(timer);
	const result = { code, signal, stdout, stderr };
	if (timedOut) throw new Error(`${label}: timed out after ${timeoutMs} ms\n${tail(stdout + stderr)}`);
	if (code !== 0 && !allowFailure) throw new Error(`${label}: exit ${code ?? signal}\n${tail(stdout + stderr)}`);
	return result;
}

export function tail(text: string, lines = 30): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function openLog(file: string): WriteStream {
	return createWriteStream(file, { flags: 'a' });
}
