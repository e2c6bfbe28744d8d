import { neutraliseChannelMentions } from '../text';
import type { CommandKind } from './parse';

export type SlashResponseType = 'ephemeral' | 'in_channel';

/** `comment` replies in the thread of the trigger post; without it Mattermost posts in the channel. */
export interface OutgoingWebhookReply {
	text: string;
	response_type?: 'comment';
}

export type OutgoingReplyPlace = 'thread' | 'channel';

export interface SlashCommandReply {
	response_type: SlashResponseType;
	text: string;
}

/**
 * The JSON body Mattermost expects in answer to a request, or undefined when there is nothing to say (an empty
 * body makes Mattermost post nothing). Outgoing webhooks get `response_type: "comment"`, which posts the reply in
 * the thread of the triggering post (or no type, to post in the channel: Mattermost drops a `comment` when the
 * trigger post was itself a thread reply); slash commands get `ephemeral` (only the caller sees it) or `in_channel`.
 * `@channel`, `@here` and `@all` are neutralised: the reply often echoes what users typed.
 */
export function buildReply(
	kind: CommandKind,
	text: string,
	slashResponseType: SlashResponseType = 'ephemeral',
	outgoingReplyPlace: OutgoingReplyPlace = 'thread',
): OutgoingWebhookReply | SlashCommandReply | undefined {
	const safe = neutraliseChannelMentions(typeof text === 'string' ? text : '');
	if (!safe.trim()) return undefined;
	if (kind === 'slash_command') {
		return { response_type: slashResponseType === 'in_channel' ? 'in_channel' : 'ephemeral', text: safe };
	}
	return outgoingReplyPlace === 'channel' ? { text: safe } : { text: safe, response_type: 'comment' };
}
