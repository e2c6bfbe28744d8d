/**
 * Message attachments (the Slack-style cards in `props.attachments`) built from user input and checked the way
 * Mattermost's post validation describes them, so a bad colour or link is reported with its field name instead of
 * being dropped silently by the server.
 */
import { neutraliseChannelMentions, safeUrl, type NeutraliseOptions } from '../text';

export interface AttachmentField {
	title: string;
	value: string;
	short: boolean;
}

export interface Attachment {
	fallback?: string;
	color?: string;
	pretext?: string;
	author_name?: string;
	author_link?: string;
	author_icon?: string;
	title?: string;
	title_link?: string;
	text?: string;
	fields?: AttachmentField[];
	image_url?: string;
	thumb_url?: string;
	footer?: string;
	footer_icon?: string;
	[extra: string]: unknown;
}

/** Raised for input that cannot become a valid attachment; `field` names the offending key. */
export class AttachmentError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'AttachmentError';
	}
}

const TEXT_KEYS = ['fallback', 'pretext', 'author_name', 'title', 'text', 'footer'] as const;
const URL_KEYS = ['author_link', 'author_icon', 'title_link', 'image_url', 'thumb_url', 'footer_icon'] as const;
const COLOR = /^(good|warning|danger|#[0-9a-fA-F]{6})$/;
/** Keys Mattermost reads besides the ones checked here; kept as given. */
const PASSTHROUGH_KEYS = ['actions', 'ts'];

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

/**
 * One attachment from a plain object (node parameters, JSON or an upstream node). Empty strings count as absent;
 * colours must be good|warning|danger|#RRGGBB (a bare RRGGBB gets its #); links must be http(s).
 */
export function buildAttachment(input: Record<string, unknown>, where = 'attachment'): Attachment {
	if (!input || typeof input !== 'object' || Array.isArray(input)) {
		throw new AttachmentError(`${where} must be an object`, where);
	}
	const out: Attachment = {};
	for (const key of TEXT_KEYS) {
		const value = input[key];
		if (isBlank(value)) continue;
		if (typeof value === 'object') throw new AttachmentError(`${where}.${key} must be text`, `${where}.${key}`);
		out[key] = String(value);
	}
	if (!isBlank(input.color)) {
		let color = String(input.color).trim();
		if (/^[0-9a-fA-F]{6}$/.test(color)) color = `#${color}`;
		if (!COLOR.test(color)) {
			throw new AttachmentError(
				`${where}.color must be good, warning, danger or #RRGGBB, not '${color}'`,
				`${where}.color`,
			);
		}
		out.color = color;
	}
	for (const key of URL_KEYS) {
		const value = input[key];
		if (isBlank(value)) continue;
		const url = safeUrl(value);
		if (!url) throw new AttachmentError(`${where}.${key} must be an http(s) URL`, `${where}.${key}`);
		out[key] = url;
	}
	if (out.author_link && !out.author_name) {
		throw new AttachmentError(`${where}.author_link needs author_name`, `${where}.author_link`);
	}
	if (out.title_link && !out.title) {
		throw new AttachmentError(`${where}.title_link needs title`, `${where}.title_link`);
	}
	if (!isBlank(input.fields)) {
		if (!Array.isArray(input.fields)) throw new AttachmentError(`${where}.fields must be a list`, `${where}.fields`);
		out.fields = input.fields.map((field, index) => buildField(field, `${where}.fields[${index}]`));
	}
	for (const key of PASSTHROUGH_KEYS) if (!isBlank(input[key])) out[key] = input[key];
	if (Object.keys(out).length === 0) throw new AttachmentError(`${where} is empty`, where);
	return out;
}

function buildField(input: unknown, where: string): AttachmentField {
	if (!input || typeof input !== 'object' || Array.isArray(input)) {
		throw new AttachmentError(`${where} must be an object with title and value`, where);
	}
	const { title, value, short } = input as Record<string, unknown>;
	if (value !== undefined && value !== null && typeof value === 'object') {
		throw new AttachmentError(`${where}.value must be text or a number`, `${where}.value`);
	}
	return {
		title: isBlank(title) ? '' : String(title),
		value: isBlank(value) ? '' : String(value),
		short: short === true || short === 'true',
	};
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A list of attachments from a JSON string, one object or an array; blank gives an empty list. */
export function parseAttachments(input: unknown, where = 'attachments'): Attachment[] {
	if (isBlank(input)) return [];
	const value = typeof input === 'string' ? parseJson(input) : input;
	if (value === undefined) throw new AttachmentError(`${where} is not valid JSON`, where);
	const list = Array.isArray(value) ? value : [value];
	return list.map((item, index) => buildAttachment(item as Record<string, unknown>, `${where}[${index}]`));
}

/**
 * Neutralises channel-wide mentions where Mattermost looks for mentions in an attachment: pretext, text and field
 * values. Titles, names and footers never notify, so they are left as they are.
 */
export function neutraliseAttachment(attachment: Attachment): Attachment {
	const out: Attachment = { ...attachment };
	if (out.pretext) out.pretext = neutraliseChannelMentions(out.pretext);
	if (out.text) out.text = neutraliseChannelMentions(out.text);
	if (out.fields) out.fields = out.fields.map((f) => ({ ...f, value: neutraliseChannelMentions(f.value) }));
	return out;
}

/**
 * Mention safety for everything a post can notify from: the message and its attachments. Give `serverSplits` for
 * text the server cuts into several posts itself (incoming webhooks, command replies).
 */
export function neutraliseMessage(
	message: string,
	attachments: Attachment[],
	options: NeutraliseOptions = {},
): { message: string; attachments: Attachment[] } {
	return { message: neutraliseChannelMentions(message, options), attachments: attachments.map(neutraliseAttachment) };
}
