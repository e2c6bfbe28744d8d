import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { openBook, type BookSpec, type Store } from '../../core/state';
import type { DeliveryBooks, UserReference } from '../../core/mattermost';
import type { MattermostSession, SessionCaches } from '../../shared/mattermost-api';

/** One operation run on one item. */
export type ItemOperation = (this: IExecuteFunctions, itemIndex: number, state: ExecutionState) => Promise<INodeExecutionData[]>;

/** What every item of one execution shares: the lookups session and the books, all made on first use. */
export interface ExecutionState {
	/** Random per run of the node; part of every pending_post_id. */
	nonce: string;
	/** n8n runs this execution as a retry of a failed or crashed one (its static data may be out of date). */
	retry: boolean;
	session(): Promise<MattermostSession>;
	/** The users each item names, as read before the run (each read evaluates the Users expression again). */
	userReferences: Map<number, UserReference[]>;
	/** The thread book, the sent book and the channels read back, for the delivery protocol. */
	books(): Promise<DeliveryBooks>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Server answers kept between executions: users, the token's own user and MaxPostSize for 10 minutes, like the
 * Recipient Resolver's cache; DM and group channel ids, which never change, for 30 days. A warm node then spends one
 * request per message. Both are cheap to ask again, so the instance store keeps them in memory only.
 */
export const LOOKUPS_BOOK: BookSpec = { name: 'lookups', ttlMs: 10 * 60 * 1000, maxEntries: 2000, persist: 0 };
export const CHANNELS_BOOK: BookSpec = { name: 'channels', ttlMs: 30 * DAY_MS, maxEntries: 5000, persist: 0 };

export function sessionCaches(store: Store): SessionCaches {
	return { lookups: openBook(store, LOOKUPS_BOOK), channels: openBook(store, CHANNELS_BOOK) };
}

const MAX_CHANNELS_READ = 20000;
const channelsRead = new Map<string, Set<string>>();

/**
 * Channels read back since this n8n process started. Only memory: after a restart every channel is read once
 * more, because the last execution before a crash may have posted without recording it.
 */
export function channelsReadInProcess(scope: string): Set<string> {
	let found = channelsRead.get(scope);
	if (!found || found.size > MAX_CHANNELS_READ) channelsRead.set(scope, (found = new Set()));
	return found;
}
