import type { IDataObject } from 'n8n-workflow';

import { neutraliseMessage, parseAttachments, removeActions, runeLength, type Attachment } from '../../../../core/mattermost';
import { jsonValue } from '../../../../core/util';
import type { PostPatch } from '../../../../shared/mattermost-api';
import { fail, itemCall, postIdOf } from '../../item';
import type { ItemOperation } from '../../execution';

export const execute: ItemOperation = async function (itemIndex, state) {
	const postId = postIdOf(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	let message = this.getNodeParameter('message', itemIndex, '') as string;
	let attachments: Attachment[] | undefined;
	let extraProps: IDataObject | undefined;
	try {
		const rawAttachments = jsonValue(options.attachmentsJson);
		attachments = rawAttachments === undefined ? undefined : parseAttachments(rawAttachments, 'options.attachmentsJson');
		const props = jsonValue(options.props);
		if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) {
			throw new Error('options.props must be a JSON object');
		}
		extraProps = props as IDataObject | undefined;
	} catch (error) {
		fail(this, itemIndex, (error as Error).message);
	}
	if (attachments?.length === 0 && options.attachmentsJson === '[]') attachments = undefined;
	if (options.blockChannelMentions !== false) {
		const safe = neutraliseMessage(message, attachments ?? []);
		message = safe.message;
		if (attachments) attachments = safe.attachments;
	}
	const hasProps = extraProps !== undefined && Object.keys(extraProps).length > 0;
	const appendLine = String(options.appendLine ?? '').trim();
	const removeButtons = options.removeButtons === true;
	if (!message && !attachments && !hasProps && !appendLine && !removeButtons) {
		fail(this, itemIndex, 'Nothing to update: give a message, a line to add, buttons to remove, attachments or props');
	}

	const session = await state.session();
	const call = itemCall(this, itemIndex);
	if (message && runeLength(message) > (await session.maxPostSize(call))) {
		fail(this, itemIndex, `The new message is longer than the server allows (${await session.maxPostSize(call)} characters)`);
	}
	const patch: PostPatch = { id: postId };
	if (message) patch.message = message;
	if (attachments || hasProps || appendLine || removeButtons) {
		const current = await session.api.getPost(postId, call);
		// A patch replaces props as a whole, so the post's other props are read and kept. Props are only sent when
		// they change: the server hands out buttons without their integration, and sending those back would break them.
		if (attachments || hasProps || removeButtons) {
			const props = { ...(current.props ?? {}), ...(extraProps ?? {}), ...(attachments ? { attachments } : {}) } as IDataObject;
			if (removeButtons) {
				const kept = removeActions(props.attachments);
				if (kept.length) props.attachments = kept as unknown as IDataObject[];
				else delete props.attachments;
			}
			patch.props = props as PostPatch['props'];
		}
		if (appendLine) {
			const line = options.blockChannelMentions !== false ? neutraliseMessage(appendLine, []).message : appendLine;
			patch.message = [(message || current.message).trimEnd(), line].filter(Boolean).join('\n\n');
			if (runeLength(patch.message) > (await session.maxPostSize(call))) fail(this, itemIndex, 'The message with the added line is longer than the server allows');
		}
	}
	const updated = await session.api.patchPost(patch, call);
	return [
		{
			json: {
				id: updated.id,
				channel_id: updated.channel_id,
				root_id: updated.root_id,
				create_at: updated.create_at,
				edit_at: updated.edit_at,
				message: updated.message,
			},
		},
	];
};
