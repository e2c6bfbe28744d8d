/**
 * The Redis store (queue mode, several mains): every process and worker shares one view, a claim is one atomic
 * `SET key value PX ttl NX`, and expiry is Redis's own. Keys are `mattermost-devops:<node scope>:<book>:<hashed key>`,
 * apart from n8n's `bull:` and `n8n:` keys in the same database.
 *
 * This file and ioredis are built into a bundle file of their own (dist/nodes/shared/redis-store.js) that the nodes
 * load with import() when they open a store: it reads n8n's environment and opens sockets, which the node bundles
 * themselves do not. ioredis itself is only evaluated once a Redis store is used.
 */
import { readFileSync } from 'node:fs';
import type { Redis, RedisOptions } from 'ioredis';

import { hashKey, KEY_PREFIX, type BookSpec, type Store } from '../core/state';

export interface RedisSettings {
	host: string;
	port: number;
	db: number;
	username?: string;
	password?: string;
	tls?: { servername?: string; rejectUnauthorized: boolean };
}

export const describeRedis = (s: RedisSettings) => `Redis at ${s.host}:${s.port} (database ${s.db})`;

/** One connection per Redis per process, shared by every node and execution. */
const clients = new Map<string, Redis>();

let ioredis: Promise<typeof import('ioredis')> | undefined;

async function clientFor(settings: RedisSettings): Promise<Redis> {
	const id = JSON.stringify(settings);
	let client = clients.get(id);
	// A client that gave up reconnecting is replaced, so Redis coming back is noticed by the next execution.
	if (!client || client.status === 'end') {
		const options: RedisOptions = {
			host: settings.host,
			port: settings.port,
			db: settings.db,
			username: settings.username || undefined,
			password: settings.password || undefined,
			tls: settings.tls,
			lazyConnect: true,
			connectTimeout: 5000,
			// A command fails after two reconnection attempts instead of waiting for Redis forever, and a lost
			// connection stops retrying after a few seconds rather than polling a dead host for good.
			maxRetriesPerRequest: 2,
			retryStrategy: (times) => (times > 5 ? null : times * 200),
		};
		const { default: RedisClient } = await (ioredis ??= import('ioredis'));
		client = new RedisClient(options);
		// Errors reach the command that needs Redis; without a listener ioredis would also log every retry.
		client.on('error', () => undefined);
		clients.set(id, client);
	}
	return client;
}

/** n8n's own Redis when n8n runs in queue mode (EXECUTIONS_MODE=queue), where the Automatic store goes. */
export function queueModeRedis(): RedisSettings | undefined {
	// This package is for self-hosted n8n: reading n8n's own environment is how it finds the queue-mode Redis.
	return process.env.EXECUTIONS_MODE === 'queue' ? queueRedisSettings(process.env) : undefined;
}

/** n8n's own Redis settings from QUEUE_BULL_REDIS_* (and their _FILE variants), with n8n's defaults. */
export function queueRedisSettings(env: NodeJS.ProcessEnv): RedisSettings {
	const read = (name: string): string | undefined => {
		const file = env[`${name}_FILE`];
		if (file) return readFileSync(file, 'utf8').trim();
		const value = env[name];
		return value === undefined || value === '' ? undefined : value;
	};
	const settings: RedisSettings = {
		host: read('QUEUE_BULL_REDIS_HOST') ?? 'localhost',
		port: Number(read('QUEUE_BULL_REDIS_PORT') ?? 6379),
		db: Number(read('QUEUE_BULL_REDIS_DB') ?? 0),
		username: read('QUEUE_BULL_REDIS_USERNAME'),
		password: read('QUEUE_BULL_REDIS_PASSWORD'),
	};
	if (read('QUEUE_BULL_REDIS_TLS') === 'true') {
		settings.tls = {
			servername: read('QUEUE_BULL_REDIS_TLS_SERVERNAME'),
			rejectUnauthorized: read('QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE') !== 'false',
		};
	}
	return settings;
}

/**
 * The store of one node (`scope`, from nodeScope()) in this Redis. When Redis cannot be reached, opening it and every
 * operation reject with the error `unavailable` makes of the reason (the node's own error, naming the host).
 */
export async function redisStore(settings: RedisSettings, scope: string, unavailable: (reason: string) => Error): Promise<Store> {
	const client = await clientFor(settings);
	const guard = async <T>(run: () => Promise<T>): Promise<T> => {
		try {
			return await run();
		} catch (error) {
			throw unavailable((error as Error).message);
		}
	};
	if (client.status === 'wait') await guard(() => client.connect());
	await guard(() => client.ping());
	const key = (book: BookSpec, k: string) => `${KEY_PREFIX}:${scope}:${book.name}:${hashKey(k)}`;
	return {
		kind: 'redis',
		where: `redis ${settings.host}:${settings.port}/${settings.db}`,
		get: (book, k) => guard(async () => (await client.get(key(book, k))) ?? undefined),
		set: (book, k, value, ttlMs) =>
			guard(async () => {
				await client.set(key(book, k), value, 'PX', Math.max(1, Math.round(ttlMs ?? book.ttlMs)));
			}),
		claim: (book, k, value, ttlMs) =>
			guard(async () => (await client.set(key(book, k), value, 'PX', Math.max(1, Math.round(ttlMs ?? book.ttlMs)), 'NX')) === 'OK'),
		delete: (book, k) =>
			guard(async () => {
				await client.del(key(book, k));
			}),
		flush: async () => undefined,
	};
}
