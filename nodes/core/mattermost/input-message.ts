import { isRecord } from '../util';

/**
 * What Send Message takes from an input item when its Message Source is "From Input Item": the `message` the GitLab
 * Event Formatter and the Recipient Resolver put on each item, and for a direct message the `mattermost` user the
 * resolver found. The node reads them from the item itself, so the bundled workflow needs no expression per field
 * (each one costs n8n an evaluation in its expression isolate).
 */
export interface InputMessage {
	text: string;
	attachments: unknown[];
	threadKey: string;
	/** Per recipient for a direct message: one delivery of one event is one post in each person's DM channel. */
	idempotencyKey: string;
	/** The Mattermost user id of a direct message's recipient. */
	userId?: string;
}

/** Bad input, with the item field at fault (as users see it in n8n's output: `message.text`, `mattermost.id`). */
export class InputMessageError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
	}
}

const optionalText = (value: unknown, field: string): string => {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') throw new InputMessageError(`${field} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`, field);
	return value.trim();
};

export function inputMessage(json: unknown, direct: boolean): InputMessage {
	const message = isRecord(json) ? json.message : undefined;
	if (!isRecord(message)) {
		throw new InputMessageError('The input item has no message object', 'message');
	}
	const text = message.text === undefined || message.text === null ? '' : message.text;
	if (typeof text !== 'string') throw new InputMessageError('message.text must be text', 'message.text');
	const attachments = message.attachments ?? [];
	if (!Array.isArray(attachments)) throw new InputMessageError('message.attachments must be a list', 'message.attachments');
	const result: InputMessage = {
		text,
		attachments,
		threadKey: optionalText(message.threadKey, 'message.threadKey'),
		idempotencyKey: optionalText(message.idempotencyKey, 'message.idempotencyKey'),
	};
	if (!direct) return result;

	const user = isRecord(json) ? json.mattermost : undefined;
	const userId = isRecord(user) ? user.id : undefined;
	if (typeof userId !== 'string' || !userId.trim()) {
		throw new InputMessageError('The input item names no recipient', 'mattermost.id');
	}
	result.userId = userId.trim();
	if (result.idempotencyKey) result.idempotencyKey = `${result.idempotencyKey}/to:${result.userId}`;
	return result;
}
