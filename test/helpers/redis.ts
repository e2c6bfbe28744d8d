/**
 * A private Redis on a free loopback port, from Debian's redis-server (installed with apt-get when missing, as any
 * user of this repository could), with no persistence: for the Redis store's tests and the queue-mode suite.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort, waitFor } from '../../playground/harness/ports';
import { spawnTracked, stopProcess } from '../../playground/harness/processes';

export interface RedisServer {
	port: number;
	stop(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

/** Installs redis-server with apt-get when it is missing (needs root, as the repository's other apt steps). */
export function ensureRedisServer(): string {
	if (!existsSync(REDIS_SERVER)) {
		execFileSync('apt-get', ['update'], { stdio: 'inherit' });
		execFileSync('apt-get', ['install', '-y', 'redis-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	}
	return REDIS_SERVER;
}

const answersPing = (port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
	});

export async function startRedis(): Promise<RedisServer> {
	const binary = ensureRedisServer();
	const port = await freePort();
	const child = spawnTracked(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	await waitFor(`redis-server on port ${port}`, async () => ((await answersPing(port)) ? true : undefined), 15_000, 100);
	return { port, stop: () => stopProcess(child, 'SIGTERM', 5000) };
}
