/**
 * Errors made from Mattermost's answers: what a user needs (HTTP status, Mattermost error id and message, item, what
 * to change) and nothing else. The request options, which hold the Authorization header, never go into them.
 */
import { NodeApiError, type IDataObject, type IN8nHttpFullResponse, type INode, type JsonObject } from 'n8n-workflow';

/**
 * Error ids that come from a server setting or the bot's memberships, with what the user should change. The real
 * server's message for these says little ("You do not have the appropriate permissions") or nothing actionable.
 */
const SETTING_HINTS: Record<string, { says: string; change: string }> = {
	'api.user.get_user_by_email.permissions.app_error': {
		says: 'this server hides e-mail addresses: use usernames or ids',
		change:
			'Mattermost only lets admins look people up by e-mail when System Console > Site Configuration > Users and Teams > Show Email Address (PrivacySettings.ShowEmailAddress) is off. Use usernames or user ids, or turn that setting on.',
	},
	'api.channel.create_channel.direct_channel.team_restricted_error': {
		says: 'this server allows direct messages only between people who share a team, and the bot shares none with this recipient',
		change:
			'Add the bot to the teams of the people it must message, or set System Console > Users and Teams > Enable users to open Direct Message channels with (TeamSettings.RestrictDirectMessage) to "Any user on the Mattermost server". Bots using their own token are not exempt.',
	},
	'api.post.create_post.can_not_post_in_restricted_dm.error': {
		says: 'this server allows direct messages only between people who share a team, and the bot no longer shares one with this recipient',
		change:
			'Add the bot to the teams of the people it must message, or set System Console > Users and Teams > Enable users to open Direct Message channels with (TeamSettings.RestrictDirectMessage) to "Any user on the Mattermost server".',
	},
	'api.context.mfa_required.app_error': {
		says: 'the token belongs to a user without multi-factor authentication on a server that enforces it',
		change:
			'Use a bot account token (bots are exempt), or have the user set up MFA (ServiceSettings.EnforceMultifactorAuthentication is on).',
	},
	'api.file.attachments.disabled.app_error': {
		says: 'file attachments are off on this server',
		change: 'Turn on System Console > Site Configuration > File Sharing and Downloads > Allow File Sharing (FileSettings.EnableFileAttachments), or send without files.',
	},
	'api.file.upload_file.too_large_detailed.app_error': {
		says: 'the upload is larger than this server accepts',
		change: 'Raise System Console > Environment > File Storage > Maximum File Size (FileSettings.MaxFileSize), or send smaller files.',
	},
	'api.post.update_post.permissions_time_limit.app_error': {
		says: 'the post is older than this server lets anyone edit',
		change: 'System Console > Site Configuration > Posts > Message edit time limit (ServiceSettings.PostEditTimeLimit) refuses the edit; raise it or set it to -1 (no limit).',
	},
	'api.post.post_priority.priority_post_not_allowed_for_user.request_error': {
		says: 'message priority is off on this server',
		change: 'Turn on System Console > Site Configuration > Posts > Message Priority (ServiceSettings.PostPriority), or leave Priority empty.',
	},
	'api.post.create_post.can_not_post_to_deleted.error': {
		says: 'the channel is archived',
		change: 'Unarchive the channel or send to another one.',
	},
	'app.channel.get_by_name.missing.app_error': {
		says: 'no such channel, or it is private and the bot is not a member',
		change: 'Check the team and channel names, and add the bot to private channels it must post in.',
	},
};

function header(headers: IDataObject | undefined, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return String(value);
	}
	return undefined;
}

/** The answer's body: JSON when the server says so, text otherwise. */
export function parseBody(response: IN8nHttpFullResponse): unknown {
	const { body } = response;
	if (typeof body === 'string' && /^application\/json/.test(header(response.headers, 'content-type') ?? '')) {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return body;
}

/** Mattermost's AppError shape (`id`, `message`, `detailed_error`, `request_id`) of an error answer. */
export function appError(body: unknown): IDataObject {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : { message: String(body ?? '').trim() };
}

/** The Mattermost error id of an error made by mattermostApiError, if any. */
export function mattermostErrorId(error: unknown): string | undefined {
	const id = (error as { context?: IDataObject } | null)?.context?.mattermostErrorId;
	return typeof id === 'string' ? id : undefined;
}

/** The error of a REST API answer that was not 2xx. */
export function mattermostApiError(
	node: INode,
	status: number,
	body: unknown,
	request: { method: string; path: string },
	itemIndex?: number,
	note?: string,
): NodeApiError {
	const answer = appError(body);
	const serverMessage = typeof answer.message === 'string' && answer.message ? answer.message : `HTTP ${status}`;
	const id = typeof answer.id === 'string' ? answer.id : undefined;
	const route = `${request.method} ${request.path.split('?')[0]}`;
	const details: JsonObject = {
		status_code: status,
		message: serverMessage,
		...(id ? { id } : {}),
		...(typeof answer.detailed_error === 'string' && answer.detailed_error ? { detailed_error: answer.detailed_error } : {}),
		...(typeof answer.request_id === 'string' ? { request_id: answer.request_id } : {}),
		route,
	};
	const where = itemIndex === undefined ? '' : ` (item ${itemIndex})`;
	const hint = id ? SETTING_HINTS[id] : undefined;
	const error = new NodeApiError(node, details, {
		message: `Mattermost answered ${status} to ${route}: ${hint?.says ?? serverMessage}${where}`,
		description: [hint?.change ?? '', id ? `Mattermost error id: ${id}.` : '', note ?? ''].filter(Boolean).join(' ') || undefined,
		httpCode: String(status),
		itemIndex,
	});
	if (id) error.context.mattermostErrorId = id;
	return error;
}
