/** The day's post and its answers, read back from Mattermost: the thread is the state. */
import type { Post } from '@mattermost/types/posts';
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { ANSWER_PROP, type Answer } from '../../../core/standup';
import type { MattermostSession } from '../../../shared/mattermost-api';

export interface Thread {
	answers: Answer[];
	/** The bot's reply per user id, to edit when the person answers again. */
	replies: Map<string, Post>;
}

/** The answers in the day's thread: the bot's replies that carry an answer, oldest first. */
export async function readThread(session: MattermostSession, itemIndex: number, rootId: string, botId: string): Promise<Thread> {
	const list = await session.api.getPostThread(rootId, { itemIndex });
	const replies = new Map<string, Post>();
	const posts = Object.values(list.posts ?? {}).sort((a, b) => a.create_at - b.create_at);
	for (const post of posts) {
		const answer = (post.props as IDataObject | undefined)?.[ANSWER_PROP] as IDataObject | undefined;
		if (post.user_id !== botId || post.root_id !== rootId || !answer || typeof answer.user_id !== 'string' || post.delete_at) continue;
		replies.set(answer.user_id, post);
	}
	const answers = [...replies.values()].map((post) => {
		const a = (post.props as IDataObject)[ANSWER_PROP] as IDataObject;
		return { userId: String(a.user_id), username: String(a.username ?? ''), answers: Array.isArray(a.answers) ? a.answers.map(String) : [] };
	});
	return { answers, replies };
}

export function noStandupPost(ctx: IExecuteFunctions, itemIndex: number): never {
	throw new NodeOperationError(ctx.getNode(), `The standup post of this button no longer exists (item ${itemIndex})`, { itemIndex });
}
