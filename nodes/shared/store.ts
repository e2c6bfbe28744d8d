/**
 * Which store a node's state goes to (see nodes/core/state), and the node parameter that chooses it.
 *
 * Automatic (the default): in regular mode the instance store (this n8n's memory, a compact copy in the workflow's
 * static data); in queue mode (EXECUTIONS_MODE=queue) n8n's own Redis from QUEUE_BULL_REDIS_*, because there each
 * worker has its own memory and n8n 2.40 starts worker executions without the workflow's static data. Redis: the
 * Redis of a credential, for several regular-mode mains or a Redis of its own.
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeProperties,
} from 'n8n-workflow';

import { instanceStore, nodeScope, type Store } from '../core/state';
import type { RedisSettings } from './redis-store';

/** The Redis store in its own bundle file (see redis-store.ts); the build requires import() here. */
const redisModule = async () => await import('./redis-store');

export const stateStoreProperty: INodeProperties = {
	displayName: 'State Store',
	name: 'stateStore',
	type: 'options',
	default: 'automatic',
	options: [
		{
			name: 'Automatic',
			value: 'automatic',
			description: "Regular mode: this n8n's memory and the workflow's static data. Queue mode: n8n's own Redis (QUEUE_BULL_REDIS_*).",
		},
		{ name: 'Redis', value: 'redis', description: 'The Redis of a credential, shared by every n8n that uses it' },
	],
	description:
		'Where the node remembers deliveries, drafts, threads and sent messages. Automatic needs no setup; the store used is shown as a hint on the output.',
};

/** Books an earlier version kept in static data as `{ v, x }` objects, under these keys: read once, then removed. */
const LEGACY: Record<string, string> = {
	gitlabDeliveries: 'gitlabDeliveries',
	gitlabObjects: 'gitlabObjects',
	recipientCache: 'recipientCache',
	threads: 'threads',
	sent: 'sent',
	lookups: 'lookups',
	channels: 'channels',
};

/** The Redis a State Store credential (mattermostDevopsRedisApi) points at. */
export function credentialSettings(c: ICredentialDataDecryptedObject): RedisSettings {
	const settings: RedisSettings = {
		host: String(c.host ?? 'localhost'),
		port: Number(c.port ?? 6379),
		db: Number(c.database ?? 0),
		username: c.user ? String(c.user) : undefined,
		password: c.password ? String(c.password) : undefined,
	};
	if (c.ssl === true) settings.tls = { rejectUnauthorized: c.skipTlsVerification !== true };
	return settings;
}

/**
 * The store of this node in this workflow (call `flush()` when the node has run), after checking that it can be
 * reached: a node that cannot remember must not send on a guess, so an unreachable Redis fails the execution.
 */
export async function openStore(ctx: IExecuteFunctions): Promise<Store> {
	const scope = nodeScope(ctx.getWorkflow().id, ctx.getNode().name);
	const chosen = ctx.getNodeParameter('stateStore', 0, 'automatic') as string;
	const redis = await redisModule();
	const queueRedis = chosen === 'redis' ? undefined : redis.queueModeRedis();
	let store: Store;
	if (chosen === 'redis' || queueRedis) {
		const settings = queueRedis ?? credentialSettings(await ctx.getCredentials('mattermostDevopsRedisApi'));
		const origin = chosen === 'redis' ? 'from its State Store credential' : "n8n's queue-mode Redis, QUEUE_BULL_REDIS_*";
		store = await redis.redisStore(
			settings,
			scope,
			(reason) =>
				new NodeOperationError(ctx.getNode(), `The state store, ${redis.describeRedis(settings)}, could not be reached: ${reason}`, {
					description: `The node keeps its state there (${origin}) and sends nothing without it. Check that Redis runs and that every n8n process can reach it.`,
				}),
		);
	} else {
		store = instanceStore(scope, ctx.getWorkflowStaticData('node'), { legacy: LEGACY });
	}
	ctx.addExecutionHints({ message: `State store: ${store.where}`, location: 'outputPane' });
	return store;
}

/** Checks a State Store credential: connects to its Redis and asks PING. */
export async function mattermostDevopsRedisTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		await (await redisModule()).redisStore(credentialSettings(credential.data ?? {}), 'credential-test', (reason) => new Error(reason));
		return { status: 'OK', message: 'Redis answers' };
	} catch (error) {
		return { status: 'Error', message: `Could not reach Redis: ${(error as Error).message}` };
	}
}
