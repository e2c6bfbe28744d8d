import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	AttachmentError,
	attachmentsFromUi,
	InputMessageError,
	inputMessage,
	neutraliseMessage,
	parseAttachments,
	parseUserList,
	type Attachment,
	type InputMessage,
	type UserReference,
} from '../../../../core/mattermost';
import { jsonValue } from '../../../../core/util';
import { fail } from '../../item';
import type { SendTo } from './targets';

/** Define Below: the fields of this node. From Input Item: the `message` (and recipient) on the item. */
export type MessageSource = 'fields' | 'input';

const FROM_INPUT_HELP =
	'Message Source "From Input Item" sends the message the GitLab Event Formatter or the Recipient Resolver put on the item ' +
	'(a direct message goes to the person the Recipient Resolver found: output one item per recipient). ' +
	'Choose "Define Below" to write the message in this node.';

function sourceOf(ctx: IExecuteFunctions, itemIndex: number): MessageSource {
	return ctx.getNodeParameter('messageSource', itemIndex, 'fields') as MessageSource;
}

function fromInput(ctx: IExecuteFunctions, itemIndex: number, sendTo: SendTo): InputMessage {
	try {
		return inputMessage(ctx.getInputData()[itemIndex]?.json, sendTo === 'direct');
	} catch (error) {
		const field = error instanceof InputMessageError ? error.field : 'message';
		fail(ctx, itemIndex, (error as Error).message, `Check the field ${field} of the input item. ${FROM_INPUT_HELP}`);
	}
}

/** The user references of an item (for the batch lookup before the items are sent). */
export function userReferences(this: IExecuteFunctions, itemIndex: number): UserReference[] {
	const sendTo = this.getNodeParameter('sendTo', itemIndex) as SendTo;
	if (sendTo === 'channel') return [];
	if (sendTo === 'direct' && sourceOf(this, itemIndex) === 'input') return parseUserList(fromInput(this, itemIndex, sendTo).userId);
	return parseUserList(this.getNodeParameter('users', itemIndex));
}

/** Message, attachments, props and keys of an item, checked and made mention-safe. */
export function readContent(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject, sendTo: SendTo) {
	const input = sourceOf(ctx, itemIndex) === 'input' ? fromInput(ctx, itemIndex, sendTo) : undefined;
	let message = input ? input.text : (ctx.getNodeParameter('message', itemIndex, '') as string);
	const threadKey = input ? input.threadKey : String(ctx.getNodeParameter('threadKey', itemIndex, '') ?? '').trim();
	const idempotencyKey = input ? input.idempotencyKey : String(options.idempotencyKey ?? '').trim();
	let attachments: Attachment[];
	let props: IDataObject = {};
	try {
		attachments = input
			? parseAttachments(input.attachments, 'message.attachments')
			: [
					...parseAttachments(attachmentsFromUi(ctx.getNodeParameter('attachmentsUi', itemIndex, {}) as IDataObject), 'attachments'),
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
	return { message, attachments, props, threadKey, idempotencyKey };
}
