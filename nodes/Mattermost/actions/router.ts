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
import { createMattermostSession, type MattermostSession } from '../transport';
import { createObjectState } from '../../core/state';
import { recoveredChannels, sentBook, sessionCaches, threadBook, type ExecutionState } from './common';
import * as incomingWebhook from './incomingWebhook';
import * as message from './message';
import * as reaction from './reaction';
import * as standup from './standup';
import * as text from './text';

type Operation = (this: IExecuteFunctions, itemIndex: number, state: ExecutionState) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, { execute: Operation }>> = {
	message: { send: message.send, update: message.update },
	reaction: { add: reaction.add },
	incomingWebhook: { send: incomingWebhook.send },
	standup: { run: standup.run, openForm: standup.openForm, saveAnswer: standup.saveAnswer },
	text: { compose: text.compose },
};

function executionState(ctx: IExecuteFunctions): ExecutionState {
	let session: Promise<MattermostSession> | undefined;
	let threads: ReturnType<typeof threadBook> | undefined;
	let sent: ReturnType<typeof sentBook> | undefined;
	const scope = `${ctx.getWorkflow().id}|${ctx.getNode().name}`;
	const retry = ctx.getMode() === 'retry';
	return {
		nonce: randomBytes(12).toString('hex'),
		retry,
		session: () => (session ??= createMattermostSession(ctx, { caches: sessionCaches(ctx.getWorkflowStaticData('node'), scope) })),
		threads: () => (threads ??= threadBook(ctx.getWorkflowStaticData('node'), scope)),
		sent: () => (sent ??= sentBook(ctx.getWorkflowStaticData('node'), scope)),
		// A retry runs with the static data of the execution it repeats, so it reads every channel it sends to once.
		recovered: retry ? createObjectState({}, 'recovered', { ttlMs: 0, maxEntries: 100000 }) : recoveredChannels(scope),
	};
}

/** Looks up every username/id of the whole input in one batch before the items are sent one by one. */
async function prefetchUsers(ctx: IExecuteFunctions, count: number, state: ExecutionState): Promise<void> {
	const refs: UserReference[] = [];
	for (let i = 0; i < count; i++) {
		try {
			if (ctx.getNodeParameter('resource', i) !== 'message' || ctx.getNodeParameter('operation', i) !== 'send') continue;
			refs.push(...message.send.userReferences.call(ctx, i));
		} catch {
			// A bad item reports its own error when it is sent.
		}
	}
	if (refs.length === 0) return;
	try {
		await (await state.session()).prefetch(refs);
	} catch {
		// Lookups are repeated per item, where a failure is reported against that item.
	}
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const state = executionState(this);
	const output: INodeExecutionData[] = [];
	if (this.getNodeParameter('resource', 0) === 'message' && this.getNodeParameter('operation', 0) === SEND_AND_WAIT_OPERATION) {
		return await message.sendAndWait.execute.call(this, state);
	}
	await prefetchUsers(this, items.length, state);

	for (let i = 0; i < items.length; i++) {
		try {
			const resource = this.getNodeParameter('resource', i) as string;
			const operation = this.getNodeParameter('operation', i) as string;
			const run = operations[resource]?.[operation];
			if (!run) throw new NodeOperationError(this.getNode(), `Unsupported operation ${resource}/${operation}`, { itemIndex: i });
			if (resource === 'message' || resource === 'reaction') {
				const { retries, timeout } = this.getNodeParameter('options', i, {}) as { retries?: number; timeout?: number };
				const { client } = await state.session();
				client.retries = retries;
				client.timeoutMs = timeout === undefined ? undefined : timeout * 1000;
			}
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
