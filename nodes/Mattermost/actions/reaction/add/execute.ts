import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fail, itemCall, mattermostId } from '../../item';
import type { ExecutionState } from '../../execution';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ExecutionState,
): Promise<INodeExecutionData[]> {
	const postId = String(this.getNodeParameter('postId', itemIndex) ?? '').trim();
	const emojiName = String(this.getNodeParameter('emojiName', itemIndex) ?? '')
		.trim()
		.replace(/^:|:$/g, '');
	if (!postId || !emojiName) {
		fail(this, itemIndex, 'Post ID and Emoji Name are both needed');
	}
	mattermostId(this, itemIndex, postId, 'Post ID');
	const session = await state.session();
	// Mattermost accepts reactions only as the token's own user (403 otherwise).
	const call = itemCall(this, itemIndex);
	const me = await session.me(call);
	const reaction = await session.api.addReaction(me.id, postId, emojiName, call);
	return [
		{
			json: {
				user_id: reaction.user_id,
				post_id: reaction.post_id,
				emoji_name: reaction.emoji_name,
				create_at: reaction.create_at,
			},
		},
	];
}
