/**
 * The delivery protocol of Send Message, for one message to one channel: exactly one post per idempotency key and
 * one thread per thread key, whichever execution, process or worker gets there first.
 *
 *   claim the key → wait while another execution holds it → on a miss, read the channel back (a post may exist
 *   whose record was lost) → post → record, or release the claim when posting failed.
 *
 * Mattermost is reached through a small port, so the protocol runs the same against the real server, the stand-in
 * and an in-memory fake with a fake clock.
 */
import { openBook, type BookSpec, type Store } from '../state';
import type { ClaimBookOptions } from './claims';
import { IDEMPOTENCY_PROP, RECOVERY_PAGE_SIZE, recoverFromPosts, SentBook, THREAD_KEY_PROP } from './delivery';
import { statusLine, ThreadBook, withStatusLine } from './threads';

/** A post as the protocol reads it back from Mattermost. */
export interface MadePost {
	id: string;
	channel_id: string;
	root_id: string;
	create_at?: number;
	message?: string;
}

export interface NewPost {
	channel_id: string;
	message: string;
	pending_post_id?: string;
	root_id?: string;
	props?: Record<string, unknown>;
	file_ids?: string[];
	metadata?: { priority: { priority: string } };
}

/** The Mattermost calls the protocol makes, and how it waits. */
export interface DeliveryPort {
	createPost(post: NewPost): Promise<MadePost>;
	/** GET channels/{id}/posts: the channel's newest posts. */
	getPosts(channelId: string, page: number, perPage: number): Promise<{ order?: unknown; posts?: unknown }>;
	getPost(postId: string): Promise<{ id: string; message: string; create_at: number }>;
	patchPost(patch: { id: string; message: string }): Promise<unknown>;
	sleep(ms: number): Promise<void>;
	/** What a failed createPost means for the protocol (from the server's error id). */
	refusal(error: unknown): Refusal | undefined;
}

/**
 * Refusals the protocol answers itself: message priority is off on the server (post again without the label), the
 * thread's root was deleted (forget it and start a new thread).
 */
export type Refusal = 'priorityOff' | 'deadRoot';

export const PRIORITY_OFF_WARNING =
	'Sent without its priority label: message priority is off on this server (System Console > Site Configuration > Posts > Message Priority, ServiceSettings.PostPriority)';
export const THREAD_RESTARTED_WARNING = 'The thread root of this thread key was deleted in Mattermost; this message started a new thread';

/** Channels whose recent posts were read back (per process, or per execution when it repeats a failed one). */
export interface ChannelsRead {
	has(channelId: string): boolean;
	add(channelId: string): unknown;
	delete(channelId: string): unknown;
}

export interface DeliveryBooks {
	sent: SentBook;
	threads: ThreadBook;
	read: ChannelsRead;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Thread roots (30 days, at most 5,000, plus one claim trace each: see ClaimBook.claim). The newest 3,000 survive a
 * restart of a regular-mode n8n; an older thread is found again by reading the channel back, as long as its root is
 * among the channel's newest posts.
 */
export const THREAD_BOOK: BookSpec = { name: 'threads', ttlMs: 30 * DAY_MS, maxEntries: 2 * 5000, persist: 3000 };
/**
 * Idempotency keys already posted (channel + key → post, 7 days, at most 20,000 plus their claim traces). Memory only
 * in the instance store: after a restart every channel is read back once before its first post, which finds the keys
 * on the posts themselves.
 */
export const SENT_BOOK: BookSpec = { name: 'sent', ttlMs: 7 * DAY_MS, maxEntries: 2 * 20000, persist: 0 };

export function deliveryBooks(store: Store, read: ChannelsRead, options: ClaimBookOptions = {}): DeliveryBooks {
	return {
		threads: new ThreadBook(openBook(store, THREAD_BOOK), options),
		sent: new SentBook(openBook(store, SENT_BOOK), options),
		read,
	};
}

export interface Delivery {
	channelId: string;
	/** The message split into posts (one empty part for a message of attachments or files only). */
	parts: string[];
	/** Props of the last part (the caller's props and attachments). */
	props: Record<string, unknown>;
	idempotencyKey?: string;
	/** Reply in the thread kept for this key (the first message with it becomes the root). */
	threadKey?: string;
	/** Reply to this post instead (wins over the thread key). */
	rootId?: string;
	priority?: string;
	/** The server's client config says message priority is off: a new root goes out without the label. */
	priorityOff?: boolean;
	/** A stable pending_post_id for each part, so the server drops a repeated POST it already handled. */
	pendingPostId(part: number): string;
	/** Uploads the files once the message is sure to be posted; their ids go on the last part. */
	uploadFiles?(): Promise<string[]>;
	/**
	 * Write the reply's first line as the thread root's status line: the root's size limit in runes and the server's
	 * PostEditTimeLimit in seconds (-1: none).
	 */
	statusLine?: { maxRunes: number; editTimeLimitSeconds: number };
}

export type Delivered =
	| { reused: true; postId: string; rootId: string }
	| { reused: false; posts: MadePost[]; fileIds: string[]; warnings: string[]; threadRestarted: boolean };

/**
 * How often a waiting execution looks again at a claim another execution holds. It waits as long as the claim lives
 * (2 minutes): with retries and timeouts a post can take well over 10 s, and a waiter that gave up earlier would
 * post a second time.
 */
export const CLAIM_POLL_MS = 200;

/**
 * Reads the channel's newest posts back once and learns the idempotency keys and thread roots in their props that
 * the books do not know (made by an execution that died before recording, or in another process).
 */
async function readBack(port: DeliveryPort, books: DeliveryBooks, channelId: string): Promise<void> {
	const { sent, roots } = recoverFromPosts(await port.getPosts(channelId, 0, RECOVERY_PAGE_SIZE));
	for (const [key, post] of sent) if ((await books.sent.lookup(channelId, key)).state === 'none') await books.sent.record(channelId, key, post);
	for (const [threadKey, rootId] of roots) {
		if ((await books.threads.lookup(channelId, threadKey)).state === 'none') await books.threads.record(channelId, threadKey, rootId);
	}
	books.read.add(channelId);
}

/**
 * Waits until the value of `key` is made (returned) or this caller holds the claim on it (undefined). A claim that
 * disappears without a value means its holder failed or died: the post it was making may exist with the answer lost,
 * so the channel is read back again before this caller claims.
 */
async function made<T>(
	port: DeliveryPort,
	books: DeliveryBooks,
	channelId: string,
	lookup: () => Promise<{ state: 'made'; value: T } | { state: 'pending' } | { state: 'none' }>,
	claim: () => Promise<boolean>,
	tried: () => Promise<boolean>,
): Promise<T | undefined> {
	let waited = false;
	for (;;) {
		let found = await lookup();
		// Read back when this process never read the channel, or when a claim on the key came to nothing (its holder,
		// here or in another worker, may have posted before it failed or died).
		if (found.state === 'none' && (waited || !books.read.has(channelId) || (await tried()))) {
			await readBack(port, books, channelId);
			found = await lookup();
		}
		if (found.state === 'made') return found.value;
		if (found.state === 'none' && (await claim())) return undefined;
		waited = true;
		await port.sleep(CLAIM_POLL_MS);
	}
}

/**
 * Rewrites the thread root's status line. Best effort: the reply is already posted, so a refusal (edit time limit,
 * root deleted, no permission) is a warning, never a failure that a retry would post again. Roots older than the
 * server's PostEditTimeLimit are left alone.
 */
async function updateStatusLine(
	port: DeliveryPort,
	rootId: string,
	message: string,
	limits: { maxRunes: number; editTimeLimitSeconds: number },
): Promise<string | undefined> {
	try {
		const root = await port.getPost(rootId);
		if (limits.editTimeLimitSeconds !== -1 && Date.now() > root.create_at + limits.editTimeLimitSeconds * 1000) {
			return `Thread root status line not updated: the root is older than this server's edit time limit (ServiceSettings.PostEditTimeLimit = ${limits.editTimeLimitSeconds} s)`;
		}
		const updated = withStatusLine(root.message, statusLine(message), limits.maxRunes);
		if (updated !== root.message) await port.patchPost({ id: rootId, message: updated });
		return undefined;
	} catch (error) {
		return `Thread root status line not updated: ${(error as Error).message}`;
	}
}

/** Posts one message to one channel at most once, in its thread; see the file comment for the protocol. */
export async function deliver(port: DeliveryPort, books: DeliveryBooks, delivery: Delivery): Promise<Delivered> {
	const { channelId, idempotencyKey, threadKey } = delivery;
	if (idempotencyKey) {
		const earlier = await made(
			port,
			books,
			channelId,
			async () => {
				const found = await books.sent.lookup(channelId, idempotencyKey);
				return found.state === 'sent' ? { state: 'made' as const, value: found } : found;
			},
			() => books.sent.claim(channelId, idempotencyKey),
			() => books.sent.tried(channelId, idempotencyKey),
		);
		if (earlier) return { reused: true, postId: earlier.postId, rootId: earlier.rootId };
	}
	const threaded = Boolean(threadKey) && !delivery.rootId;
	let rootId = delivery.rootId || undefined;
	let rootClaimed = false;
	let delivered = false;
	const warnings: string[] = [];
	let threadRestarted = false;
	const findRoot = async () => {
		if (!threaded || !threadKey) return;
		rootId = await made(
			port,
			books,
			channelId,
			async () => {
				const found = await books.threads.lookup(channelId, threadKey);
				return found.state === 'root' ? { state: 'made' as const, value: found.rootId } : found;
			},
			() => books.threads.claim(channelId, threadKey),
			() => books.threads.tried(channelId, threadKey),
		);
		rootClaimed = rootId === undefined;
	};
	try {
		await findRoot();
		let isReply = Boolean(rootId);
		const fileIds = delivery.uploadFiles ? await delivery.uploadFiles() : [];
		let priority = delivery.priority;
		// Replies carry no priority, so only a new root needs the setting.
		if (priority && !isReply && delivery.priorityOff) {
			priority = undefined;
			warnings.push(PRIORITY_OFF_WARNING);
		}
		const posts: MadePost[] = [];
		for (let part = 0; part < delivery.parts.length; part++) {
			const last = part === delivery.parts.length - 1;
			const post: NewPost = { channel_id: channelId, message: delivery.parts[part], pending_post_id: delivery.pendingPostId(part) };
			if (rootId) post.root_id = rootId;
			const markers: Record<string, unknown> = {};
			if (idempotencyKey) markers[IDEMPOTENCY_PROP] = idempotencyKey;
			// The thread key on the root lets a later read-back find the thread when the book lost it.
			if (part === 0 && !rootId && threaded) markers[THREAD_KEY_PROP] = threadKey;
			// Priority labels are allowed on root posts only.
			if (part === 0 && !rootId && priority) post.metadata = { priority: { priority } };
			// Attachments and files go on the last part, so a split message reads in order with its card at the end.
			const props = last ? { ...delivery.props, ...markers } : markers;
			if (Object.keys(props).length) post.props = props;
			if (last && fileIds.length) post.file_ids = fileIds;
			const attempt = await port.createPost(post).then(
				(made) => ({ made }),
				(error: unknown) => ({ error }),
			);
			if ('error' in attempt) {
				const refusal = port.refusal(attempt.error);
				if (refusal === 'priorityOff' && post.metadata) {
					// The setting changed since the client config was read: the same post once more, without the label.
					priority = undefined;
					warnings.push(PRIORITY_OFF_WARNING);
					part -= 1;
					continue;
				}
				if (refusal === 'deadRoot' && part === 0 && threaded && threadKey && rootId && !threadRestarted) {
					// The thread's root was deleted: forget it, so this message and the next ones start a new thread.
					if ((await books.threads.lookup(channelId, threadKey)).state === 'root') await books.threads.release(channelId, threadKey);
					rootId = undefined;
					await findRoot();
					isReply = Boolean(rootId);
					threadRestarted = true;
					part -= 1;
					continue;
				}
				throw attempt.error;
			}
			const created = attempt.made;
			posts.push(created);
			if (part === 0 && !rootId && threaded && threadKey) {
				// The first part of a new thread is its root: record it at once so the other parts reply to it.
				await books.threads.record(channelId, threadKey, created.id);
				rootId = created.id;
			}
		}
		if (idempotencyKey) await books.sent.record(channelId, idempotencyKey, { postId: posts[0].id, rootId: posts[0].root_id });
		delivered = true;
		if (isReply && threaded && rootId && delivery.statusLine) {
			const warning = await updateStatusLine(port, rootId, delivery.parts[0] ?? '', delivery.statusLine);
			if (warning) warnings.push(warning);
		}
		if (threadRestarted) warnings.push(THREAD_RESTARTED_WARNING);
		return { reused: false, posts, fileIds, warnings, threadRestarted };
	} finally {
		// A claim that never became a value is given up, so the next message can make it.
		if (rootClaimed && threadKey && (await books.threads.lookup(channelId, threadKey)).state === 'pending') {
			await books.threads.release(channelId, threadKey);
		}
		if (idempotencyKey && (await books.sent.lookup(channelId, idempotencyKey)).state === 'pending') {
			await books.sent.release(channelId, idempotencyKey);
		}
		// A failure may leave a post whose answer was lost: read the channel again before the next message here.
		if (!delivered) books.read.delete(channelId);
	}
}
