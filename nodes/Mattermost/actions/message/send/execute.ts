import { createHash } from 'node:crypto';
import type { Channel } from '@mattermost/types/channels';
import type { Post } from '@mattermost/types/posts';
import type { UserProfile } from '@mattermost/types/users';
import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameterResourceLocator,
} from 'n8n-workflow';

import {
	AttachmentError,
	deliver,
	neutraliseMessage,
	parseAttachments,
	parseUserList,
	safeMessageParts,
	type Attachment,
	type DeliveryPort,
	type UserReference,
} from '../../../../core/mattermost';
import { mattermostErrorId, POST_KEY_PROP, type MattermostSession } from '../../../transport';
import { attachmentsFromUi, fail, jsonValue, mattermostId, type ExecutionState } from '../../common';
import { withButtons } from './buttons';

const MAX_FILES = 10;
/** The server refuses a reply whose root is gone (deleted by someone or by a retention policy). */
const DEAD_ROOT_ERROR = 'api.post.create_post.root_id.app_error';
const PRIORITY_OFF_ERROR = 'api.post.post_priority.priority_post_not_allowed_for_user.request_error';
const ARCHIVED_CHANNEL_ERROR = 'api.post.create_post.can_not_post_to_deleted.error';
/** Room for the multipart framing around one file (boundaries, headers, channel_id) within MaxFileSize. */
const MULTIPART_OVERHEAD = 1024;

type SendTo = 'channel' | 'direct' | 'group';

interface Target {
	channelId: string;
	sentTo: IDataObject;
}

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

async function resolveTargets(
	ctx: IExecuteFunctions,
	session: MattermostSession,
	itemIndex: number,
	sendTo: SendTo,
	state: ExecutionState,
): Promise<Target[]> {
	if (sendTo === 'channel') {
		const locator = ctx.getNodeParameter('channel', itemIndex) as INodeParameterResourceLocator;
		const value = String(locator.value ?? '').trim();
		if (!value) fail(ctx, itemIndex, 'No channel given');
		const channelId = locator.mode === 'name' ? (await session.channelByName(value, itemIndex)).id : mattermostId(ctx, itemIndex, value, 'Channel ID');
		return [{ channelId, sentTo: { type: 'channel', channelId } }];
	}
	const refs = state.userReferences.get(itemIndex) ?? parseUserList(ctx.getNodeParameter('users', itemIndex));
	if (refs.length === 0) fail(ctx, itemIndex, 'No users given');
	await session.prefetch(refs, itemIndex);
	// Every user is resolved before anything is sent, so a wrong name fails the item without partial delivery.
	const users: UserProfile[] = [];
	for (const ref of refs) users.push(await session.user(ref, itemIndex));
	const who = (u: UserProfile) => ({ id: u.id, username: u.username });
	if (sendTo === 'group') {
		const channel = await session.groupChannel(users.map((u) => u.id), itemIndex);
		return [{ channelId: channel.id, sentTo: { type: 'group', channelId: channel.id, users: users.map(who) } }];
	}
	const targets: Target[] = [];
	for (const user of users) {
		const channel: Channel = await session.directChannel(user.id, itemIndex);
		targets.push({ channelId: channel.id, sentTo: { type: 'direct', channelId: channel.id, user: who(user) } });
	}
	return targets;
}

/**
 * One request per file, as the web app uploads: Mattermost limits a whole upload request to MaxFileSize, so files
 * that each fit could fail together. Every file is checked against the limit before the first one is sent.
 */
async function uploadFiles(
	ctx: IExecuteFunctions,
	session: MattermostSession,
	itemIndex: number,
	channelId: string,
	names: string[],
): Promise<string[]> {
	if (names.length === 0) return [];
	const { maxFileSize } = await session.settings();
	const files = [];
	for (const name of names) {
		const binary = ctx.helpers.assertBinaryData(itemIndex, name);
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
		const fileName = binary.fileName ?? name;
		if (buffer.length + MULTIPART_OVERHEAD > maxFileSize) {
			fail(
				ctx,
				itemIndex,
				`File '${fileName}' (binary property ${name}) is ${buffer.length} bytes; this Mattermost accepts uploads up to ${maxFileSize} bytes`,
				'Raise System Console > Environment > File Storage > Maximum File Size (FileSettings.MaxFileSize), or send a smaller file.',
			);
		}
		files.push({ buffer, fileName, mimeType: binary.mimeType });
	}
	const ids: string[] = [];
	for (const file of files) {
		const form = new FormData();
		// Mattermost reads channel_id before the files; the order matters.
		form.append('channel_id', channelId);
		form.append('files', new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }), file.fileName);
		const uploaded = await session.client.forItem(itemIndex).uploadFile(form);
		ids.push(...uploaded.file_infos.map((info) => info.id));
	}
	return ids;
}

/**
 * A stable pending_post_id for one post of one execution: the same item, recipient channel and part always get the
 * same id, so when a retry repeats a POST /posts the server already handled (answer lost, connection dropped), it
 * returns the existing post instead of creating a second one. Mattermost remembers these ids for 30 s per user;
 * the retry policy never repeats a post after 25 s. The execution's random nonce keeps two executions (or two
 * runs of the node in one execution) from ever sharing an id, which would silently drop the second message.
 */
function pendingPostId(
	ctx: IExecuteFunctions,
	state: ExecutionState,
	userId: string,
	itemIndex: number,
	channelId: string,
	part: number,
) {
	const digest = createHash('sha256')
		.update([state.nonce, ctx.getExecutionId(), ctx.getNode().id, itemIndex, channelId, part].join('|'))
		.digest('hex')
		.slice(0, 26);
	return `${userId}:${digest}`;
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

	const session = await state.session();
	const me = await session.me(itemIndex);
	const parts = message ? safeMessageParts(message, await session.maxPostSize(), options.blockChannelMentions !== false) : [''];
	const targets = await resolveTargets(this, session, itemIndex, sendTo, state);
	const limits = await session.settings();
	const results: INodeExecutionData[] = [];
	const client = session.client.forItem(itemIndex);
	const port: DeliveryPort = {
		// The pending_post_id again in props, where a repeat can find it by reading the channel (see POST_KEY_PROP).
		createPost: (post) => client.createPost({ ...post, props: { [POST_KEY_PROP]: post.pending_post_id, ...post.props } } as unknown as Post),
		getPosts: (channelId, page, perPage) => client.getPosts(channelId, page, perPage),
		getPost: (postId) => client.getPost(postId),
		patchPost: (patch) => client.patchPost(patch),
		sleep,
		refusal: (error) => {
			const id = mattermostErrorId(error);
			return id === PRIORITY_OFF_ERROR ? 'priorityOff' : id === DEAD_ROOT_ERROR ? 'deadRoot' : undefined;
		},
	};
	const books = await state.books();

	for (const target of targets) {
		const { channelId } = target;
		const delivered = await deliver(port, books, {
			channelId,
			parts,
			props: { ...props, ...(attachments.length ? { attachments } : {}) },
			idempotencyKey: idempotencyKey || undefined,
			threadKey: threadKey || undefined,
			rootId: explicitRoot || undefined,
			priority: options.priority ? String(options.priority) : undefined,
			priorityOff: !limits.postPriority,
			pendingPostId: (part) => pendingPostId(this, state, me.id, itemIndex, channelId, part),
			uploadFiles: () => uploadFiles(this, session, itemIndex, channelId, fileProperties),
			statusLine: options.updateThreadRoot === true ? { maxRunes: limits.maxPostSize, editTimeLimitSeconds: limits.postEditTimeLimit } : undefined,
		}).catch(async (error: unknown) => {
			if (mattermostErrorId(error) === ARCHIVED_CHANNEL_ERROR && sendTo === 'channel') {
				// A channel found by name is remembered for minutes; the next item looks the name up again.
				const locator = this.getNodeParameter('channel', itemIndex) as INodeParameterResourceLocator;
				if (locator.mode === 'name') await session.forgetChannelByName(String(locator.value ?? ''), itemIndex);
			}
			throw error;
		});
		if (delivered.reused) {
			const json: IDataObject = { id: delivered.postId, channel_id: channelId, root_id: delivered.rootId, sentTo: target.sentTo, idempotencyKey, reused: true };
			if (threadKey) json.threadKey = threadKey;
			results.push({ json });
			continue;
		}
		const { posts, fileIds, warnings, threadRestarted } = delivered;
		const first = posts[0];
		const json: IDataObject = {
			id: first.id,
			channel_id: first.channel_id,
			root_id: first.root_id,
			create_at: first.create_at,
			message: first.message,
			sentTo: target.sentTo,
		};
		if (threadKey) json.threadKey = threadKey;
		if (idempotencyKey) json.idempotencyKey = idempotencyKey;
		if (fileIds.length) json.file_ids = fileIds;
		if (posts.length > 1) {
			json.posts = posts.map((p) => ({ id: p.id, channel_id: p.channel_id, root_id: p.root_id, create_at: p.create_at }));
		}
		if (threadRestarted) json.threadRestarted = true;
		if (warnings.length) json.warnings = warnings;
		results.push({ json });
	}
	return results;
}
