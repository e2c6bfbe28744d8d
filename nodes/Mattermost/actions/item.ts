import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { isMattermostId } from '../../core/mattermost';
import type { ItemCall } from '../../shared/mattermost-api';

/** Stops the item with an error that names it; every operation reports bad input this way. */
export function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), `${message} (item ${itemIndex})`, { itemIndex, description });
}

/** An id that goes into an API path, checked to be a Mattermost id (so it cannot be `..` or carry a `/`). */
export function mattermostId(ctx: IExecuteFunctions, itemIndex: number, value: string, what: string): string {
	if (!isMattermostId(value)) fail(ctx, itemIndex, `${what} '${value.slice(0, 60)}' is not a Mattermost ID`, 'Mattermost IDs are 26 lower-case letters and digits.');
	return value;
}

/** How the item's Mattermost requests are made: the item, and its Retries and Timeout options where it has them. */
export function itemCall(ctx: IExecuteFunctions, itemIndex: number): ItemCall {
	// By path: reading all of Options would evaluate its expressions once more than the operation does.
	const retries = ctx.getNodeParameter('options.retries', itemIndex, null) as number | null;
	const timeout = ctx.getNodeParameter('options.timeout', itemIndex, null) as number | null;
	return { itemIndex, retries: retries ?? undefined, timeoutMs: timeout === null ? undefined : Number(timeout) * 1000 };
}

/** The item's Post ID parameter, checked to be a Mattermost id. */
export function postIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const postId = String(ctx.getNodeParameter('postId', itemIndex) ?? '').trim();
	if (!postId) fail(ctx, itemIndex, 'No post ID given');
	return mattermostId(ctx, itemIndex, postId, 'Post ID');
}
