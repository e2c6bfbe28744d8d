import { normaliseUsername } from '../people';
import { splitList } from '../util';
import { fieldString } from './parse';
import type { ParsedCommand } from './parse';

/**
 * Why a request must not start the workflow because a bot or integration produced it, or undefined.
 *
 * What Mattermost actually sends: an outgoing-webhook request carries only `token, team_id, team_domain, channel_id,
 * channel_name, timestamp, user_id, user_name, post_id, text, trigger_word, file_ids`, with no sign of whether the
 * author is a bot. Posts made through incoming webhooks and outgoing-webhook replies never trigger outgoing
 * webhooks, but posts made through the REST API do, including a bot's (for example this package's Mattermost node
 * replying with `!ticket ...` in the text). So the dependable check is the author: the bot accounts named in
 * `ignoreUsers` (usernames, with or without `@`, or user ids). Beyond that:
 * - an empty `user_id` means no user wrote it (system or integration posts);
 * - `from_bot` / `from_webhook` (top level or under `props`) are post props that Mattermost itself does not put in
 *   these requests, but relays that forward whole posts do, so they are honoured when present.
 */
export function loopReason(
	parsed: Pick<ParsedCommand, 'user' | 'raw'>,
	ignoreUsers: string[] | string,
): string | undefined {
	if (!parsed.user.id.trim()) return 'the request has no user id, so no person wrote it';
	const props = typeof parsed.raw.props === 'object' && parsed.raw.props !== null ? (parsed.raw.props as Record<string, unknown>) : {};
	for (const flag of ['from_bot', 'from_webhook']) {
		for (const source of [parsed.raw, props]) {
			if (fieldString(source[flag]).toLowerCase() === 'true') return `the post is marked ${flag}`;
		}
	}
	const ignored = (Array.isArray(ignoreUsers) ? ignoreUsers : splitList(ignoreUsers)).map(normaliseUsername);
	const name = parsed.user.name.trim().toLowerCase();
	const id = parsed.user.id.trim().toLowerCase();
	const hit = ignored.find((entry) => entry && (entry === name || entry === id));
	if (hit) return `the author ${parsed.user.name || parsed.user.id} is in the list of ignored users`;
	return undefined;
}
