/**
 * The Redis store against a real redis-server (Debian's, on a private port), and the Automatic store choosing it in
 * queue mode: what every n8n process and worker then shares.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { instanceStore, KEY_PREFIX, openBook, type BookSpec } from '../../nodes/core/state';
import { queueRedisSettings, redisStore } from '../../nodes/shared/redis-store';
import { GitlabEventFormatter } from '../../nodes/GitlabEventFormatter/GitlabEventFormatter.node';
import { startRedis, type RedisServer } from '../helpers/redis';
import { freePort } from '../../playground/harness/ports';
import { PACKAGE, runWorkflow } from '../helpers/workflow-execute';
import { fixture } from './gitlab-helpers';

const BOOK: BookSpec = { name: 'dedupe', ttlMs: 60_000, maxEntries: 10, persist: 0 };
const fail = (reason: string) => new Error(reason);

let redis: RedisServer;
beforeAll(async () => {
	redis = await startRedis();
}, 30_000);
afterAll(async () => {
	await redis?.stop();
});

const settings = () => ({ host: '127.0.0.1', port: redis.port, db: 0 });

describe('Redis store', () => {
	it('lets exactly one of many concurrent claims win, and only after expiry claims again', async () => {
		const book = openBook(await redisStore(settings(), 'scope-claims', fail), BOOK);
		const results = await Promise.all(Array.from({ length: 20 }, () => book.claim('delivery-1', '1')));
		expect(results.filter(Boolean)).toHaveLength(1);
		expect(await book.claim('short', '~pending', 50)).toBe(true);
		expect(await book.claim('short', '~pending', 50)).toBe(false);
		await new Promise((r) => setTimeout(r, 120));
		expect(await book.get('short')).toBeUndefined();
		expect(await book.claim('short', '~pending', 50)).toBe(true);
	});

	it('keeps values, deletes them, and namespaces every key under the package prefix, node scope and book', async () => {
		const store = await redisStore(settings(), 'scope-keys', fail);
		const book = openBook(store, BOOK);
		await book.set('a', 'root-1');
		expect(await book.get('a')).toBe('root-1');
		const other = openBook(await redisStore(settings(), 'scope-other', fail), BOOK);
		expect(await other.get('a')).toBeUndefined();
		await book.delete('a');
		expect(await book.get('a')).toBeUndefined();
		await book.set('b', 'x');
		const { default: Redis } = await import('ioredis');
		const raw = new Redis({ host: '127.0.0.1', port: redis.port });
		const keys = await raw.keys('*scope-keys*');
		await raw.quit();
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatch(new RegExp(`^${KEY_PREFIX}:scope-keys:dedupe:[\\w-]{8}$`));
	});

	it('an unreachable Redis is an error naming the host, not a guess', async () => {
		const port = await freePort();
		await expect(redisStore({ host: '127.0.0.1', port, db: 0 }, 'scope-down', (reason) => new Error(`Redis at 127.0.0.1:${port}: ${reason}`))).rejects.toThrow(
			`Redis at 127.0.0.1:${port}`,
		);
	}, 30_000);

	it("reads n8n's queue-mode settings, the _FILE variants and TLS, with n8n's defaults", () => {
		expect(queueRedisSettings({})).toEqual({ host: 'localhost', port: 6379, db: 0, username: undefined, password: undefined });
		expect(queueRedisSettings({ QUEUE_BULL_REDIS_HOST: 'redis.internal', QUEUE_BULL_REDIS_PORT: '6380', QUEUE_BULL_REDIS_DB: '2', QUEUE_BULL_REDIS_TLS: 'true', QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: 'false' })).toMatchObject({
			host: 'redis.internal',
			port: 6380,
			db: 2,
			tls: { rejectUnauthorized: false },
		});
		const file = join(tmpdir(), `redis-password-${process.pid}`);
		writeFileSync(file, 's3cret\n');
		expect(queueRedisSettings({ QUEUE_BULL_REDIS_PASSWORD_FILE: file }).password).toBe('s3cret');
	});

	it('the instance store and the Redis store answer alike', async () => {
		for (const store of [instanceStore('scope-alike', {}), await redisStore(settings(), 'scope-alike', fail)]) {
			const book = openBook(store, BOOK);
			expect(await book.claim('k', 'v')).toBe(true);
			expect(await book.get('k')).toBe('v');
			expect(await book.claim('k', 'w')).toBe(false);
		}
	});
});

describe('Automatic store in queue mode', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
	});

	const delivery = (): INodeExecutionData => ({
		json: { headers: { 'x-gitlab-event': 'Merge Request Hook', 'idempotency-key': 'queue-1' }, params: {}, query: {}, body: fixture('merge_request_open') as IDataObject },
	});
	/** A fresh module registry is a fresh process: a worker with its own memory and its own Redis connection. */
	const workerNode = () => {
		let node: INodeType | undefined;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			node = new (require('../../nodes/GitlabEventFormatter/GitlabEventFormatter.node').GitlabEventFormatter)();
		});
		return node as INodeType;
	};
	/** One execution on a worker: n8n 2.40 starts it without the workflow's static data. */
	const onWorker = (node: INodeType = new GitlabEventFormatter()) =>
		runWorkflow({
			workflowId: 'queue-wf',
			nodeTypes: [node],
			nodes: [{ name: 'Format', type: `${PACKAGE}.gitlabEventFormatter`, parameters: {} }],
			connections: { Start: { main: [[{ node: 'Format', type: 'main', index: 0 }]] } },
			input: [delivery()],
			staticData: {},
		});

	it("uses n8n's Redis, so a delivery re-sent to another worker is a duplicate there, and says so in a hint", async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
		process.env.QUEUE_BULL_REDIS_PORT = String(redis.port);
		const first = await onWorker(workerNode());
		expect(first.error).toBeUndefined();
		expect(first.output('Format', 0)).toHaveLength(1);
		const hints = first.run.data.resultData.runData.Format[0].hints ?? [];
		expect(hints.map((h) => h.message)).toContain(`State store: redis 127.0.0.1:${redis.port}/0`);
		const second = await onWorker(workerNode());
		expect(second.output('Format', 0)).toEqual([]);
		expect(second.output('Format', 1)[0].json.skip).toBe('duplicate');
	});

	it('fails the execution with an error naming the host when Redis is down, and formats nothing', async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
		process.env.QUEUE_BULL_REDIS_PORT = String(await freePort());
		const result = await onWorker();
		expect(result.error?.message).toContain(`Redis at 127.0.0.1:${process.env.QUEUE_BULL_REDIS_PORT}`);
		expect(result.output('Format', 0)).toEqual([]);
	}, 30_000);
});
