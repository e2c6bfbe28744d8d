import { isRecord } from '../util';
import { splitArgs, splitFirstWord } from './args';

export type CommandKind = 'outgoing_webhook' | 'slash_command';

export interface ParsedCommand {
	kind: CommandKind;
	/** The trigger word (`!ticket`) or slash command (`/deploy`) as the user typed it. */
	command: string;
	/** The words after the command, split like a shell (quotes respected). */
	args: string[];
	/** The text after the command, exactly as typed (trimmed). */
	argsText: string;
	/** Outgoing webhook: the whole post message. Slash command: the text after the command (what Mattermost sends). */
	text: string;
	user: { id: string; name: string };
	channel: { id: string; name: string };
	team: { id: string; domain: string };
	post_id: string;
	root_id: string;
	response_url: string;
	trigger_id: string;
	/** Milliseconds since the epoch, when Mattermost sent a timestamp (outgoing webhooks only). */
	timestamp?: number;
	/** The request fields without the token. */
	raw: Record<string, unknown>;
}

type Fields = Record<string, unknown>;

/** A form field as one string: form decoding gives arrays for repeated keys, JSON may give numbers. */
export function fieldString(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) return value.length > 0 ? fieldString(value[0]) : '';
	return '';
}

/**
 * Mattermost sends `timestamp` as seconds in form-encoded outgoing webhooks and as milliseconds (a number) in JSON
 * ones. Anything below 1e11 cannot be a millisecond time after 1973, so it is read as seconds.
 */
export function normaliseTimestamp(value: unknown): number | undefined {
	const text = fieldString(value).trim();
	if (!/^\d{1,16}(\.\d+)?$/.test(text)) return undefined;
	const number = Number(text);
	if (!Number.isFinite(number) || number <= 0) return undefined;
	return Math.round(number < 1e11 ? number * 1000 : number);
}

/**
 * The request's fields: the body when it is an object with fields (POST, JSON or form-encoded), otherwise the query
 * string (slash commands configured as GET). Body fields win over query fields of the same name.
 */
export function requestFields(body: unknown, query: unknown): Fields {
	const fromQuery = isRecord(query) ? query : {};
	const fromBody = isRecord(body) ? body : {};
	const fields: Fields = {};
	for (const source of [fromQuery, fromBody]) {
		for (const key of Object.keys(source)) {
			// Assigning `__proto__` would replace the object's prototype; Mattermost never sends such a field.
			if (key !== '__proto__') fields[key] = source[key];
		}
	}
	return fields;
}

/** The fields with every token removed, so the secret never reaches execution data. */
export function withoutToken(fields: Fields): Fields {
	const copy: Fields = {};
	for (const key of Object.keys(fields)) {
		if (key.toLowerCase() === 'token' || key === '__proto__') continue;
		copy[key] = fields[key];
	}
	return copy;
}

/**
 * Reads an outgoing-webhook or slash-command request into one shape. Slash commands are recognised by their
 * `command` field (`/name`); everything else is treated as an outgoing webhook. Never throws; missing fields become
 * empty strings.
 */
export function parseCommandRequest(body: unknown, query?: unknown): ParsedCommand {
	const fields = requestFields(body, query);
	const get = (name: string) => fieldString(fields[name]);
	const slashCommand = get('command').trim();
	const kind: CommandKind = slashCommand.startsWith('/') ? 'slash_command' : 'outgoing_webhook';
	const text = get('text');

	let command: string;
	let argsText: string;
	if (kind === 'slash_command') {
		command = slashCommand;
		argsText = text.trim();
	} else {
		const triggerWord = get('trigger_word').trim();
		const { first, rest } = splitFirstWord(text);
		// With "first word starts with" triggers Mattermost reports the configured prefix (`!tick`), not the word
		// typed (`!ticket`); the typed word is what a workflow wants to branch on.
		if (!triggerWord || first.startsWith(triggerWord)) {
			command = first;
			argsText = rest;
		} else {
			command = triggerWord;
			argsText = text.trim();
		}
	}

	const parsed: ParsedCommand = {
		kind,
		command,
		args: splitArgs(argsText),
		argsText,
		text,
		user: { id: get('user_id'), name: get('user_name') },
		channel: { id: get('channel_id'), name: get('channel_name') },
		team: { id: get('team_id'), domain: get('team_domain') },
		post_id: get('post_id'),
		root_id: get('root_id'),
		response_url: get('response_url'),
		trigger_id: get('trigger_id'),
		raw: withoutToken(fields),
	};
	const timestamp = normaliseTimestamp(fields.timestamp);
	if (timestamp !== undefined) parsed.timestamp = timestamp;
	return parsed;
}

/**
 * True when the command is one of the accepted ones (trigger words or slash commands, compared without letter
 * case; a leading `/` is optional for slash commands). An empty list accepts everything.
 */
export function isAcceptedCommand(parsed: Pick<ParsedCommand, 'command' | 'kind' | 'raw'>, accepted: string[]): boolean {
	if (accepted.length === 0) return true;
	const candidates = [parsed.command, fieldString(parsed.raw.trigger_word)]
		.map((value) => value.trim().toLowerCase())
		.filter(Boolean);
	return accepted.some((entry) => {
		const wanted = entry.trim().toLowerCase();
		if (!wanted) return false;
		return candidates.some(
			(candidate) =>
				candidate === wanted ||
				(parsed.kind === 'slash_command' && candidate.replace(/^\//, '') === wanted.replace(/^\//, '')),
		);
	});
}
