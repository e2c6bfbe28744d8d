import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { ARCHIVED_CHANNEL_ERROR, deliver, pendingPostId, safeMessageParts, sendOutput } from '../../../../core/mattermost';
import { mattermostErrorId } from '../../../../shared/mattermost-api';
import { fail, itemCall, mattermostId } from '../../item';
import type { ExecutionState } from '../../execution';
import { deliveryPort } from '../delivery';
import { withButtons } from './buttons';
import { readContent } from './content';
import { MAX_FILES, uploadFiles } from './files';
import { forgetArchivedChannel, resolveTargets, type SendTo } from './targets';

export { userReferences } from './content';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ExecutionState,
): Promise<INodeExecutionData[]> {
	const sendTo = this.getNodeParameter('sendTo', itemIndex) as SendTo;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const explicitRoot = String(options.rootId ?? '').trim();
	if (explicitRoot) mattermostId(this, itemIndex, explicitRoot, 'Reply To Post ID');
	const { message, attachments: content, props, threadKey, idempotencyKey } = readContent(this, itemIndex, options, sendTo);
	const attachments = await withButtons(this, itemIndex, content);
	const fileProperties = String(options.binaryProperties ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (fileProperties.length > MAX_FILES) {
		fail(this, itemIndex, `At most ${MAX_FILES} files fit on one post; got ${fileProperties.length} binary properties`);
	}
	if (!message.trim() && attachments.length === 0 && fileProperties.length === 0) {
		fail(this, itemIndex, 'Nothing to send: the message is empty and there are no attachments or files');
	}

	const call = itemCall(this, itemIndex);
	const session = await state.session();
	const me = await session.me(call);
	const parts = message ? safeMessageParts(message, await session.maxPostSize(call), options.blockChannelMentions !== false) : [''];
	const targets = await resolveTargets(this, session, call, sendTo, state.userReferences.get(itemIndex));
	const limits = await session.settings(call);
	const port = deliveryPort(session, call);
	const books = await state.books();
	const seed = [state.nonce, this.getExecutionId(), this.getNode().id, itemIndex];
	const results: INodeExecutionData[] = [];
	for (const { channelId, sentTo } of targets) {
		const delivered = await deliver(port, books, {
			channelId,
			parts,
			props: { ...props, ...(attachments.length ? { attachments } : {}) },
			idempotencyKey: idempotencyKey || undefined,
			threadKey: threadKey || undefined,
			rootId: explicitRoot || undefined,
			priority: options.priority ? String(options.priority) : undefined,
			priorityOff: !limits.postPriority,
			pendingPostId: (part) => pendingPostId(me.id, [...seed, channelId, part]),
			uploadFiles: () => uploadFiles(this, session, call, channelId, fileProperties),
			statusLine: options.updateThreadRoot === true ? { maxRunes: limits.maxPostSize, editTimeLimitSeconds: limits.postEditTimeLimit } : undefined,
		}).catch(async (error: unknown) => {
			if (mattermostErrorId(error) === ARCHIVED_CHANNEL_ERROR && sendTo === 'channel') await forgetArchivedChannel(this, session, itemIndex);
			throw error;
		});
		results.push({ json: sendOutput(delivered, { channelId, sentTo }, { threadKey, idempotencyKey }) as IDataObject });
	}
	return results;
}
