import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	ARCHIVED_CHANNEL_ERROR,
	AttachmentError,
	attachmentsFromUi,
	deliver,
	neutraliseMessage,
	parseAttachments,
	parseUserList,
	pendingPostId,
	safeMessageParts,
	sendOutput,
	type Attachment,
	type UserReference,
} from '../../../../core/mattermost';
import { jsonValue } from '../../../../core/util';
import { mattermostErrorId } from '../../../../shared/mattermost-api';
import { fail, itemCall, mattermostId } from '../../item';
import type { ExecutionState } from '../../execution';
import { deliveryPort } from '../delivery';
import { withButtons } from './buttons';
import { MAX_FILES, uploadFiles } from './files';
import { forgetArchivedChannel, resolveTargets, type SendTo } from './targets';

/** The user references of an item (for the batch lookup before the items are sent). */
export function userReferences(this: IExecuteFunctions, itemIndex: number): UserReference[] {
	const sendTo = this.getNodeParameter('sendTo', itemIndex) as SendTo;
	if (sendTo === 'channel') return [];
	return parseUserList(this.getNodeParameter('users', itemIndex));
}

/** Message, attachments and props of an item, checked and made mention-safe. */
export function readContent(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject) {
	let message = ctx.getNodeParameter('message', itemIndex, '') as string;
	let attachments: Attachment[];
	let props: IDataObject = {};
	try {
		const fromUi = ctx.getNodeParameter('attachmentsUi', itemIndex, {}) as IDataObject;
		attachments = [
			...parseAttachments(attachmentsFromUi(fromUi), 'attachments'),
			...parseAttachments(jsonValue(options.attachmentsJson), 'options.attachmentsJson'),
		];
	} catch (error) {
		if (error instanceof AttachmentError) fail(ctx, itemIndex, error.message, `Check the field ${error.field}.`);
		fail(ctx, itemIndex, `options.attachmentsJson is not valid JSON: ${(error as Error).message}`);
	}
	try {
		const parsed = jsonValue(options.props);
		if (parsed !== undefined) {
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it must be a JSON object');
			props = parsed as IDataObject;
		}
	} catch (error) {
		fail(ctx, itemIndex, `options.props is not a valid JSON object: ${(error as Error).message}`);
	}
	if (options.blockChannelMentions !== false) ({ message, attachments } = neutraliseMessage(message, attachments));
	return { message, attachments, props };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ExecutionState,
): Promise<INodeExecutionData[]> {
	const sendTo = this.getNodeParameter('sendTo', itemIndex) as SendTo;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const threadKey = String(this.getNodeParameter('threadKey', itemIndex, '') ?? '').trim();
	const idempotencyKey = String(options.idempotencyKey ?? '').trim();
	const explicitRoot = String(options.rootId ?? '').trim();
	if (explicitRoot) mattermostId(this, itemIndex, explicitRoot, 'Reply To Post ID');
	const { message, attachments: content, props } = readContent(this, itemIndex, options);
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
