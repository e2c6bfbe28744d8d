import { neutraliseChannelMentions } from '../text';
import type { CommandKind } from './parse';

export type SlashResponseType = 'ephemeral' | 'in_channel';

export interface OutgoingWebhookReply {
	text: string;
	response_type: 'comment';
}

export interface SlashCommandReply {
	response_type: SlashResponseType;
	text: string;
}

/**
 * The JSON body Mattermost expects in answer to a request, or undefined when there is nothing to say (an empty
 * body makes Mattermost post nothing). Outgoing webhooks get `response_type: "comment"`, which posts the reply in
 * the thread of the triggering post; slash commands get `ephemeral` (only the caller sees it) or `in_channel`.
 * `@channel`, `@here` and `@all` are neutralised: the reply often echoes what users typed.
 */
export function buildReply(
	kind: CommandKind,
	text: string,
	slashResponseType: SlashResponseType = 'ephemeral',
): OutgoingWebhookReply | SlashCommandReply | undefined {
	// Mattermost cuts a long reply into several posts itself, wherever it likes.
	const safe = neutraliseChannelMentions(typeof text === 'string' ? text : '', { serverSplits: true });
	if (!safe.trim()) return undefined;
	if (kind === 'slash_command') {
		return { response_type: slashResponseType === 'in_channel' ? 'in_channel' : 'ephemeral', text: safe };
	}
	return { text: safe, response_type: 'comment' };
}
