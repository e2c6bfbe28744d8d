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
	IDEMPOTENCY_PROP,
	neutraliseMessage,
	RECOVERY_PAGE_SIZE,
	recoverFromPosts,
	THREAD_KEY_PROP,
	parseAttachments,
	parseUserList,
	statusLine,
	safeMessageParts,
	withStatusLine,
	type Attachment,
	type UserReference,
} from '../../../../core/mattermost';
import { mattermostErrorId, POST_KEY_PROP, type MattermostSession } from '../../../transport';
import { attachmentsFromUi, fail, jsonValue, mattermostId, type ExecutionState } from '../../common';
import { withButtons } from './buttons';

const MAX_FILES = 10;
/**
 * How often to look whether another execution has created the same thread's root. There is no shorter limit than
 * the thread book's claim timeout (2 min): with retries and timeouts a root can take well over 10 s to create, and a
 * waiter that gave up earlier would start a second thread.
 */
const PENDING_ROOT_POLL_MS = 200;
const PENDING_SENT_POLL_MS = 200;
/** The server refuses a reply whose root is gone (deleted by someone or by a retention policy). */
const DEAD_ROOT_ERROR = 'api.post.create_post.root_id.app_error';
const PRIORITY_OFF_ERROR = 'api.post.post_priority.priority_post_not_allowed_for_user.request_error';
const ARCHIVED_CHANNEL_ERROR = 'api.post.create_post.can_not_post_to_deleted.error';
const PRIORITY_OFF_WARNING =
	'Sent without its priority label: message priority is off on this server (System Console > Site Configuration > Posts > Message Priority, ServiceSettings.PostPriority)';
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
): Promise<Target[]> {
	if (sendTo === 'channel') {
		const locator = ctx.getNodeParameter('channel', itemIndex) as INodeParameterResourceLocator;
		const value = String(locator.value ?? '').trim();
		if (!value) fail(ctx, itemIndex, 'No channel given');
		const channelId = locator.mode === 'name' ? (await session.channelByName(value, itemIndex)).id : mattermostId(ctx, itemIndex, value, 'Channel ID');
		return [{ channelId, sentTo: { type: 'channel', channelId } }];
	}
	const refs = parseUserList(ctx.getNodeParameter('users', itemIndex));
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
 * Rewrites the thread root's status line. Best effort: the reply is already posted, so a refusal (edit time limit,
 * root deleted, no permission) is a warning, never a failed item that a retry would post again. Roots older than
 * the server's PostEditTimeLimit are left alone.
 */
async function updateStatusLine(
	session: MattermostSession,
	itemIndex: number,
	rootId: string,
	message: string,
): Promise<string | undefined> {
	try {
		const { postEditTimeLimit, maxPostSize } = await session.settings();
		const root = await session.client.forItem(itemIndex).getPost(rootId);
		if (postEditTimeLimit !== -1 && Date.now() > root.create_at + postEditTimeLimit * 1000) {
			return `Thread root status line not updated: the root is older than this server's edit time limit (ServiceSettings.PostEditTimeLimit = ${postEditTimeLimit} s)`;
		}
		const updated = withStatusLine(root.message, statusLine(message), maxPostSize);
		if (updated !== root.message) await session.client.forItem(itemIndex).patchPost({ id: rootId, message: updated });
		return undefined;
	} catch (error) {
		return `Thread root status line not updated: ${(error as Error).message}`;
	}
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

/**
 * Waits while another execution creates this thread's root; the root id, or undefined to become the root. An
 * execution that fails to make the root forgets that it read the channel, because its post may exist with the answer
 * lost: the channel is then read again before a second root is made.
 */
async function threadRoot(
	state: ExecutionState,
	session: MattermostSession,
	itemIndex: number,
	channelId: string,
	threadKey: string,
): Promise<string | undefined> {
	const threads = state.threads();
	for (;;) {
		let found = threads.lookup(channelId, threadKey);
		if (found.state === 'none' && !state.recovered.has(channelId)) {
			await recoverChannel(state, session, itemIndex, channelId);
			found = threads.lookup(channelId, threadKey);
		}
		if (found.state === 'root') return found.rootId;
		if (found.state === 'none') return undefined;
		await sleep(PENDING_ROOT_POLL_MS);
	}
}

/**
 * Reads the channel's most recent posts back once and learns the idempotency keys and thread roots found in their
 * props, for posts the books do not know: made by an execution that crashed before its static data was saved, or
 * after the static data a retried execution starts from.
 */
async function recoverChannel(state: ExecutionState, session: MattermostSession, itemIndex: number, channelId: string) {
	if (state.recovered.has(channelId)) return;
	const list = await session.client.forItem(itemIndex).getPosts(channelId, 0, RECOVERY_PAGE_SIZE);
	const { sent, roots } = recoverFromPosts(list);
	const book = state.sent();
	for (const [key, post] of sent) if (book.lookup(channelId, key).state === 'none') book.record(channelId, key, post);
	const threads = state.threads();
	for (const [threadKey, rootId] of roots) {
		if (threads.lookup(channelId, threadKey).state === 'none') threads.record(channelId, threadKey, rootId);
	}
	state.recovered.set(channelId, true);
}

/**
 * The post already made with this idempotency key in this channel, or undefined after winning the right to make
 * it (then the caller must record or release the key). Waits while another execution is posting the same key.
 */
async function earlierPost(
	state: ExecutionState,
	session: MattermostSession,
	itemIndex: number,
	channelId: string,
	key: string,
): Promise<{ postId: string; rootId: string } | undefined> {
	const book = state.sent();
	for (;;) {
		let found = book.lookup(channelId, key);
		if (found.state === 'none' && !state.recovered.has(channelId)) {
			await recoverChannel(state, session, itemIndex, channelId);
			found = book.lookup(channelId, key);
		}
		if (found.state === 'sent') return { postId: found.postId, rootId: found.rootId };
		if (found.state === 'none' && book.claim(channelId, key)) return undefined;
		await sleep(PENDING_SENT_POLL_MS);
	}
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
	const targets = await resolveTargets(this, session, itemIndex, sendTo);
	const threads = threadKey && !explicitRoot ? state.threads() : undefined;
	const results: INodeExecutionData[] = [];

	for (const target of targets) {
		const { channelId } = target;
		if (idempotencyKey) {
			const earlier = await earlierPost(state, session, itemIndex, channelId, idempotencyKey);
			if (earlier) {
				const json: IDataObject = { id: earlier.postId, channel_id: channelId, root_id: earlier.rootId, sentTo: target.sentTo, idempotencyKey, reused: true };
				if (threadKey) json.threadKey = threadKey;
				results.push({ json });
				continue;
			}
		}
		let rootId: string | undefined = explicitRoot || undefined;
		let claimed = false;
		let delivered = false;
		const warnings: string[] = [];
		let threadRestarted = false;
		try {
			// Another execution may claim the root between the lookup and the claim; then wait for its root instead.
			const findRoot = async () => {
				while (!rootId && threads && !claimed) {
					rootId = await threadRoot(state, session, itemIndex, channelId, threadKey);
					if (!rootId) claimed = threads.claim(channelId, threadKey);
				}
			};
			await findRoot();
			let isReply = Boolean(rootId);
			const fileIds = await uploadFiles(this, session, itemIndex, channelId, fileProperties);
			let priority = options.priority ? (options.priority as 'important' | 'urgent') : undefined;
			// Replies carry no priority, so only a new root needs the setting.
			if (priority && !isReply && !(await session.settings()).postPriority) {
				priority = undefined;
				warnings.push(PRIORITY_OFF_WARNING);
			}
			const posts: Post[] = [];
			for (let part = 0; part < parts.length; part++) {
				const last = part === parts.length - 1;
				const post: Partial<Post> & { channel_id: string; message: string } = {
					channel_id: channelId,
					message: parts[part],
					pending_post_id: pendingPostId(this, state, me.id, itemIndex, channelId, part),
				};
				if (rootId) post.root_id = rootId;
				// The pending_post_id again, where a repeat can find it by reading the channel (see POST_KEY_PROP).
				const markers: IDataObject = { [POST_KEY_PROP]: post.pending_post_id };
				if (idempotencyKey) markers[IDEMPOTENCY_PROP] = idempotencyKey;
				// The thread key on the root lets a later recovery find the thread when the book lost it.
				if (part === 0 && !rootId && threads) markers[THREAD_KEY_PROP] = threadKey;
				// Priority labels are allowed on root posts only.
				if (part === 0 && !rootId && priority) {
					post.metadata = { priority: { priority } } as Post['metadata'];
				}
				// Attachments and files go on the last part, so a split message reads in order with its card at the end.
				const allProps = last ? { ...props, ...(attachments.length ? { attachments } : {}), ...markers } : markers;
				if (Object.keys(allProps).length) post.props = allProps as Post['props'];
				if (last && fileIds.length) post.file_ids = fileIds;
				const attempt = await session.client
					.forItem(itemIndex)
					.createPost(post as Post)
					.then(
						(made) => ({ made }),
						(error: unknown) => ({ error }),
					);
				if ('error' in attempt) {
					const id = mattermostErrorId(attempt.error);
					if (id === PRIORITY_OFF_ERROR && post.metadata) {
						// The setting changed since the client config was read: the same post once more, without the label.
						priority = undefined;
						warnings.push(PRIORITY_OFF_WARNING);
						part -= 1;
						continue;
					}
					if (id === DEAD_ROOT_ERROR && part === 0 && threads && !explicitRoot && rootId && !threadRestarted) {
						// The thread's root was deleted: forget it, so this message and the next ones start a new thread.
						if (threads.lookup(channelId, threadKey).state === 'root') threads.release(channelId, threadKey);
						rootId = undefined;
						await findRoot();
						isReply = Boolean(rootId);
						threadRestarted = true;
						part -= 1;
						continue;
					}
					if (id === ARCHIVED_CHANNEL_ERROR && sendTo === 'channel') {
						// A channel found by name is remembered for minutes; the next item looks the name up again.
						const locator = this.getNodeParameter('channel', itemIndex) as INodeParameterResourceLocator;
						if (locator.mode === 'name') session.forgetChannelByName(String(locator.value ?? ''), itemIndex);
					}
					throw attempt.error;
				}
				const created = attempt.made;
				posts.push(created);
				if (part === 0 && !rootId && threads) {
					// The first part of a new thread is its root: record it at once so the other parts reply to it.
					threads.record(channelId, threadKey, created.id);
					rootId = created.id;
				}
			}
			if (idempotencyKey) state.sent().record(channelId, idempotencyKey, { postId: posts[0].id, rootId: posts[0].root_id });
			delivered = true;
			if (isReply && threads && options.updateThreadRoot === true && rootId) {
				const warning = await updateStatusLine(session, itemIndex, rootId, message);
				if (warning) warnings.push(warning);
			}
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
			if (threadRestarted) {
				warnings.push('The thread root of this thread key was deleted in Mattermost; this message started a new thread');
				json.threadRestarted = true;
			}
			if (warnings.length) json.warnings = warnings;
			results.push({ json });
		} finally {
			// A claim that never became a root is given up, so the next message can start the thread.
			if (claimed && threads && threads.lookup(channelId, threadKey).state === 'pending') threads.release(channelId, threadKey);
			if (idempotencyKey && state.sent().lookup(channelId, idempotencyKey).state === 'pending') state.sent().release(channelId, idempotencyKey);
			// A failure may leave a post whose answer was lost: read the channel again before the next message here.
			if (!delivered) state.recovered.delete(channelId);
		}
	}
	return results;
}
