import {
	NodeOperationError,
	WAIT_INDEFINITELY,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	attachActions,
	deliver,
	encodeAnswerers,
	InteractiveError,
	n8nWaitTill,
	pendingPostId,
	safeMessageParts,
	type Delivered,
	type PostAction,
} from '../../../../core/mattermost';
import { fail, itemCall, mattermostId } from '../../item';
import type { ExecutionState } from '../../execution';
import { deliveryPort } from '../delivery';
import { startExpiryTimer } from './expiry';
import { allowedUsers, answerActions, targetChannel, waitTillFrom } from './params';

/**
 * Posts the question with its buttons and puts the execution to wait. One question per execution (for the first
 * item), as n8n's own send-and-wait nodes do: the answer resumes the whole execution. The question goes where Send
 * Message would put it, through the same delivery protocol: in the thread of its thread key (starting the thread
 * when the key has none yet), or as a reply to Reply To Post ID.
 */
export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const message = String(this.getNodeParameter('message', 0, '') ?? '');
	if (!message.trim()) fail(this, 0, 'No message given', 'The question is the message people answer with the buttons.');
	const expiresAt = waitTillFrom(this, options);
	const rootId = String(options.rootId ?? '').trim();
	if (rootId) mattermostId(this, 0, rootId, 'Reply To Post ID');
	const threadKey = String(this.getNodeParameter('threadKey', 0, '') ?? '').trim();
	const channelId = await targetChannel(this, state);
	const who = encodeAnswerers(await allowedUsers(this, state));
	let actions: PostAction[];
	try {
		actions = answerActions(this, who);
	} catch (error) {
		if (error instanceof InteractiveError) fail(this, 0, error.message, `Check the field ${error.field}.`);
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: 0 });
	}

	const session = await state.session();
	const call = itemCall(this, 0);
	const me = await session.me(call);
	const seed = [state.nonce, this.getExecutionId(), this.getNode().id, 0, channelId];
	const delivered = await deliver(deliveryPort(session, call), await state.books(), {
		channelId,
		parts: safeMessageParts(message, await session.maxPostSize(call), options.blockChannelMentions !== false),
		props: { attachments: attachActions([], actions) },
		threadKey: threadKey || undefined,
		rootId: rootId || undefined,
		pendingPostId: (part) => pendingPostId(me.id, [...seed, part]),
	});
	// Without an idempotency key a delivery always posts (never reuses); the buttons are on its last post.
	const { posts } = delivered as Extract<Delivered, { reused: false }>;
	const question = posts[posts.length - 1];

	// What the node outputs when n8n itself ends the wait (the process that posted restarted before the limit, so
	// its timer is gone): n8n then passes the items it was waiting with through, so those become { timedOut: true }.
	this.getExecuteData().data = {
		main: [[{ json: { timedOut: true, post_id: question.id, channel_id: channelId }, pairedItem: { item: 0 } }]],
	};
	if (expiresAt === WAIT_INDEFINITELY) {
		await this.putExecutionToWait(WAIT_INDEFINITELY);
	} else {
		await startExpiryTimer(this, question.id, expiresAt);
		await this.putExecutionToWait(new Date(n8nWaitTill(expiresAt.getTime())));
	}
	return [this.getInputData()];
}
