import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { openBook, type BookSpec, type Store } from '../../core/state';
import { isMattermostId, type DeliveryBooks, type UserReference } from '../../core/mattermost';
import type { MattermostSession, SessionCaches } from '../transport';

/** Stops the item with an error that names it; every operation reports bad input this way. */
export function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), `${message} (item ${itemIndex})`, { itemIndex, description });
}

/** An id that goes into an API path, checked to be a Mattermost id (so it cannot be `..` or carry a `/`). */
export function mattermostId(ctx: IExecuteFunctions, itemIndex: number, value: string, what: string): string {
	if (!isMattermostId(value)) fail(ctx, itemIndex, `${what} '${value.slice(0, 60)}' is not a Mattermost ID`, 'Mattermost IDs are 26 lower-case letters and digits.');
	return value;
}

/** What every item of one execution shares: the lookups session and the books, all made on first use. */
export interface ExecutionState {
	/** Random per run of the node; part of every pending_post_id. */
	nonce: string;
	/** n8n runs this execution as a retry of a failed or crashed one (its static data may be out of date). */
	retry: boolean;
	session(): Promise<MattermostSession>;
	/** The users each item names, as read before the run (each read evaluates the Users expression again). */
	userReferences: Map<number, UserReference[]>;
	/** The thread book, the sent book and the channels read back, for the delivery protocol. */
	books(): Promise<DeliveryBooks>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Server answers kept between executions: users, the token's own user and MaxPostSize for 10 minutes, like the
 * Recipient Resolver's cache; DM and group channel ids, which never change, for 30 days. A warm node then spends one
 * request per message. Both are cheap to ask again, so the instance store keeps them in memory only.
 */
export const LOOKUPS_BOOK: BookSpec = { name: 'lookups', ttlMs: 10 * 60 * 1000, maxEntries: 2000, persist: 0 };
export const CHANNELS_BOOK: BookSpec = { name: 'channels', ttlMs: 30 * DAY_MS, maxEntries: 5000, persist: 0 };

export function sessionCaches(store: Store): SessionCaches {
	return { lookups: openBook(store, LOOKUPS_BOOK), channels: openBook(store, CHANNELS_BOOK) };
}

const MAX_CHANNELS_READ = 20000;
const channelsRead = new Map<string, Set<string>>();

/**
 * Channels read back since this n8n process started. Only memory: after a restart every channel is read once
 * more, because the last execution before a crash may have posted without recording it.
 */
export function channelsReadInProcess(scope: string): Set<string> {
	let found = channelsRead.get(scope);
	if (!found || found.size > MAX_CHANNELS_READ) channelsRead.set(scope, (found = new Set()));
	return found;
}

export const blockChannelMentionsOption: INodeProperties = {
	displayName: 'Block Channel-Wide Mentions',
	name: 'blockChannelMentions',
	type: 'boolean',
	default: true,
	description:
		'Whether to neutralise @channel, @all, @here (and &lt;!channel&gt;, &lt;!here&gt;, &lt;!all&gt;) in the message and attachments so input data cannot notify a whole channel. @username mentions still work.',
};

export const attachmentsJsonOption: INodeProperties = {
	displayName: 'Attachments (JSON)',
	name: 'attachmentsJson',
	type: 'json',
	default: '[]',
	description:
		'Message attachments as a JSON array (or an expression giving an array), e.g. from the GitLab Event Formatter. Added after the attachments above.',
};

export const propsOption: INodeProperties = {
	displayName: 'Extra Props (JSON)',
	name: 'props',
	type: 'json',
	default: '{}',
	description: 'Additional post props as a JSON object; attachments set here are replaced by the attachments above',
};

export const retriesOption: INodeProperties = {
	displayName: 'Retries',
	name: 'retries',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 10 },
	default: 3,
	description:
		'How often to repeat a request that hit a rate limit (waiting as the server asks), a server error or a network error. A message is never posted twice.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 15,
	description:
		'How long to wait for Mattermost to answer one request. A request that takes longer is treated like a network error and repeated (within Retries).',
};

export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.message.idempotencyKey }}',
	description:
		'An ID for this message. When the same key is sent to the same channel again (for example by a retried execution or a replayed webhook), the earlier post is reused instead of posting twice. Kept for 7 days.',
};

const text = (name: string, displayName: string, description: string, placeholder?: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
	...(placeholder ? { placeholder } : {}),
});

/** The attachment editor; field names are camelCase here and become Mattermost's snake_case keys. */
export const attachmentsUi: INodeProperties = {
	displayName: 'Attachments',
	name: 'attachmentsUi',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Attachment',
	default: {},
	description: 'Message attachments (cards with a coloured bar, title, fields and images)',
	options: [
		{
			displayName: 'Attachment',
			name: 'attachment',
			values: [
				text('color', 'Color', 'Bar colour: good, warning, danger or a hex colour like #2e7d32', '#2e7d32'),
				text('fallback', 'Fallback', 'Plain-text summary shown in notifications'),
				text('pretext', 'Pretext', 'Text shown above the attachment'),
				text('authorName', 'Author Name', 'Name shown at the top of the attachment'),
				text('authorLink', 'Author Link', 'http(s) link on the author name (needs Author Name)'),
				text('authorIcon', 'Author Icon', 'http(s) URL of a small picture next to the author name'),
				text('title', 'Title', 'Title of the attachment'),
				text('titleLink', 'Title Link', 'http(s) link on the title (needs Title)'),
				{ ...text('text', 'Text', 'Main text (Markdown)'), typeOptions: { rows: 3 } },
				{
					displayName: 'Fields',
					name: 'fields',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: 'Add Field',
					default: {},
					description: 'Small title/value pairs shown in a table',
					options: [
						{
							displayName: 'Field',
							name: 'field',
							values: [
								text('title', 'Title', 'Field title'),
								text('value', 'Value', 'Field value (Markdown)'),
								{
									displayName: 'Short',
									name: 'short',
									type: 'boolean',
									default: false,
									description: 'Whether the field is short enough to sit next to another one',
								},
							],
						},
					],
				},
				text('imageUrl', 'Image URL', 'http(s) URL of a large image'),
				text('thumbUrl', 'Thumbnail URL', 'http(s) URL of a small image on the right'),
				text('footer', 'Footer', 'Small text at the bottom'),
				text('footerIcon', 'Footer Icon', 'http(s) URL of a small picture next to the footer'),
			],
		},
	],
};

const SNAKE: Record<string, string> = {
	authorName: 'author_name',
	authorLink: 'author_link',
	authorIcon: 'author_icon',
	titleLink: 'title_link',
	imageUrl: 'image_url',
	thumbUrl: 'thumb_url',
	footerIcon: 'footer_icon',
};

/** The attachment editor's values in Mattermost's shape (still unchecked). */
export function attachmentsFromUi(value: IDataObject | undefined): IDataObject[] {
	const list = (value?.attachment as IDataObject[] | undefined) ?? [];
	return list.map((entry) => {
		const out: IDataObject = {};
		for (const [key, v] of Object.entries(entry)) {
			if (key === 'fields') {
				const fields = ((v as IDataObject | undefined)?.field as IDataObject[] | undefined) ?? [];
				if (fields.length) out.fields = fields;
			} else {
				out[SNAKE[key] ?? key] = v;
			}
		}
		return out;
	});
}

/** A JSON parameter that may arrive as text or already parsed. */
export function jsonValue(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	if (!value.trim()) return undefined;
	return JSON.parse(value);
}
