import { fail, itemCall, postIdOf } from '../../item';
import type { ItemOperation } from '../../execution';

export const execute: ItemOperation = async function (itemIndex, state) {
	const postId = postIdOf(this, itemIndex);
	const emojiName = String(this.getNodeParameter('emojiName', itemIndex) ?? '')
		.trim()
		.replace(/^:|:$/g, '');
	if (!emojiName) fail(this, itemIndex, 'No emoji name given');
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
};
