import { randomBytes } from 'node:crypto';
import {
	NodeApiError,
	NodeOperationError,
	SEND_AND_WAIT_OPERATION,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { UserReference } from '../../core/mattermost';
import { deliveryBooks, type DeliveryBooks } from '../../core/mattermost';
import { nodeScope, type Store } from '../../core/state';
import { createMattermostSession, type MattermostSession } from '../../shared/mattermost-api';
import { openStore } from '../../shared/store';
import { channelsReadInProcess, sessionCaches, type ExecutionState, type ItemOperation } from './execution';
import * as incomingWebhook from './incomingWebhook';
import * as message from './message';
import * as reaction from './reaction';
import * as standup from './standup';
import * as text from './text';


const operations: Record<string, Record<string, { execute: ItemOperation }>> = {
	message: { send: message.send, update: message.update },
	reaction: { add: reaction.add },
	incomingWebhook: { send: incomingWebhook.send },
	standup: { run: standup.run, openForm: standup.openForm, saveAnswer: standup.saveAnswer },
	text: { compose: text.compose },
};

function executionState(ctx: IExecuteFunctions, store: () => Promise<Store>): ExecutionState {
	let session: Promise<MattermostSession> | undefined;
	let books: Promise<DeliveryBooks> | undefined;
	const retry = ctx.getMode() === 'retry';
	return {
		nonce: randomBytes(12).toString('hex'),
		retry,
		userReferences: new Map(),
		session: () => (session ??= store().then((s) => createMattermostSession(ctx, { caches: sessionCaches(s) }))),
		// A retry may repeat an execution whose posts were never recorded, so it reads every channel it sends to once.
		books: () =>
			(books ??= store().then((s) => deliveryBooks(s, retry ? new Set() : channelsReadInProcess(nodeScope(ctx.getWorkflow().id, ctx.getNode().name))))),
	};
}

/** Looks up every username/id of the whole input in one batch before the items are sent one by one. */
async function prefetchUsers(ctx: IExecuteFunctions, count: number, state: ExecutionState): Promise<void> {
	const refs: UserReference[] = [];
	for (let i = 0; i < count; i++) {
		try {
			if (ctx.getNodeParameter('resource', i) !== 'message' || ctx.getNodeParameter('operation', i) !== 'send') continue;
			const itemRefs = message.send.userReferences.call(ctx, i);
			state.userReferences.set(i, itemRefs);
			refs.push(...itemRefs);
		} catch {
			// A bad item reports its own error when it is sent.
		}
	}
	if (refs.length === 0) return;
	try {
		await (await state.session()).prefetch(refs, {});
	} catch {
		// Lookups are repeated per item, where a failure is reported against that item.
	}
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	let store: Promise<Store> | undefined;
	const state = executionState(this, () => (store ??= openStore(this)));
	try {
		if (this.getNodeParameter('resource', 0) === 'message' && this.getNodeParameter('operation', 0) === SEND_AND_WAIT_OPERATION) {
			return await message.sendAndWait.execute.call(this, state);
		}
		return await runItems.call(this, items.length, state);
	} finally {
		// What this execution remembered is written back even when an item failed: its posts were made.
		if (store) await (await store).flush();
	}
}

async function runItems(this: IExecuteFunctions, count: number, state: ExecutionState): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	await prefetchUsers(this, count, state);

	for (let i = 0; i < count; i++) {
		try {
			const resource = this.getNodeParameter('resource', i) as string;
			const operation = this.getNodeParameter('operation', i) as string;
			const run = operations[resource]?.[operation];
			if (!run) throw new NodeOperationError(this.getNode(), `Unsupported operation ${resource}/${operation}`, { itemIndex: i });
			const results = await run.execute.call(this, i, state);
			for (const result of results) output.push({ ...result, pairedItem: { item: i } });
		} catch (error) {
			if (this.continueOnFail()) {
				const message = error instanceof Error ? error.message : String(error);
				const description = (error as { description?: unknown }).description;
				output.push({
					json: { error: message, ...(typeof description === 'string' && description ? { description } : {}) },
					pairedItem: { item: i },
				});
				continue;
			}
			// Both constructors hand back an error that already is one of theirs, so only the item index is added.
			if (error instanceof NodeApiError) {
				error.context.itemIndex = i;
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			}
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
		}
	}
	return [output];
}
