/**
 * Idempotency keys: a caller-chosen id per message (for example a GitLab delivery id plus the recipient). The same
 * key sent to the same channel again (a retried execution, a replayed webhook) reuses the post made the first time.
 *
 * Sent keys live in a store book. It can miss a post that was made: a crash between "post created" and "key
 * recorded" forgets it, and the instance store keeps sent keys in memory only (after a restart they are read back).
 * So every post
 * also carries its key in `props`, and thread roots carry their thread key, and a channel's recent posts can be read
 * back to recover both (see `recoverFromPosts`).
 */
import type { Book } from '../state';
import { ClaimBook, type ClaimBookOptions } from './claims';

/** Post prop holding the message's idempotency key. */
export const IDEMPOTENCY_PROP = 'n8n_idempotency_key';
/** Root post prop holding the thread key the root was created for. */
export const THREAD_KEY_PROP = 'n8n_thread_key';
/** Mattermost's largest page of channel posts; how far back a recovery looks. */
export const RECOVERY_PAGE_SIZE = 200;

export interface SentPost {
	postId: string;
	rootId: string;
}

export type SentLookup = ({ state: 'sent' } & SentPost) | { state: 'pending' } | { state: 'none' };

/** The claim → record / release protocol of the thread book, for "was this message already posted here?". */
export class SentBook extends ClaimBook<SentPost> {
	constructor(book: Book, options: ClaimBookOptions = {}) {
		super(
			book,
			(post) => `${post.postId} ${post.rootId}`,
			(stored) => {
				const [postId, rootId = ''] = stored.split(' ');
				return postId ? { postId, rootId } : undefined;
			},
			options,
		);
	}

	async lookup(channelId: string, key: string): Promise<SentLookup> {
		const found = await this.find(channelId, key);
		return found.state === 'made' ? { state: 'sent', ...found.value } : found;
	}

	async record(channelId: string, key: string, post: SentPost): Promise<void> {
		await this.store(channelId, key, { postId: post.postId, rootId: post.rootId ?? '' });
	}
}

/** The parts of a Mattermost post a recovery reads. */
export interface ListedPost {
	id: string;
	root_id?: string;
	create_at?: number;
	delete_at?: number;
	props?: Record<string, unknown> | null;
}

export interface Recovered {
	/** Idempotency key → the oldest post that carries it. */
	sent: Map<string, SentPost>;
	/** Thread key → the oldest root post created for it. */
	roots: Map<string, string>;
}

/** Reads idempotency keys and thread roots back from a page of a channel's posts (GET channels/{id}/posts). */
export function recoverFromPosts(list: { order?: unknown; posts?: unknown } | null | undefined): Recovered {
	const sent = new Map<string, SentPost & { at: number }>();
	const roots = new Map<string, { id: string; at: number }>();
	const posts = list && typeof list.posts === 'object' && list.posts ? (list.posts as Record<string, ListedPost>) : {};
	for (const post of Object.values(posts)) {
		if (!post || typeof post.id !== 'string' || (post.delete_at ?? 0) > 0) continue;
		const at = Number(post.create_at ?? 0);
		const props = post.props ?? {};
		const key = props[IDEMPOTENCY_PROP];
		if (typeof key === 'string' && key) {
			const known = sent.get(key);
			if (!known || at < known.at) sent.set(key, { postId: post.id, rootId: post.root_id ?? '', at });
		}
		const threadKey = props[THREAD_KEY_PROP];
		if (typeof threadKey === 'string' && threadKey && !post.root_id) {
			const known = roots.get(threadKey);
			if (!known || at < known.at) roots.set(threadKey, { id: post.id, at });
		}
	}
	return {
		sent: new Map([...sent].map(([key, { postId, rootId }]) => [key, { postId, rootId }])),
		roots: new Map([...roots].map(([key, { id }]) => [key, id])),
	};
}
