import { NodeApiError, NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';
import type { ChannelRef, Directory, GitlabUser, MattermostUser } from '../core/recipients';
import { MattermostApi } from '../shared/mattermost-api';

/** The members page size Mattermost allows at most. */
const PER_PAGE = 200;

/** A request's answer or its error, so a caller can turn some errors into clearer ones and pass the rest on. */
async function settled<T>(promise: Promise<unknown>): Promise<{ value: T } | { error: unknown }> {
	return await promise.then(
		(value) => ({ value: value as T }),
		(error: unknown) => ({ error }),
	);
}

function httpStatus(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown } | null)?.httpCode;
	return code === undefined || code === null ? undefined : String(code);
}

const EMAILS_HIDDEN =
	'This Mattermost hides e-mail addresses from the token, so matching people by e-mail finds nobody: use usernames or ids (a mapping table), or turn on System Console > Users and Teams > Show Email Address (PrivacySettings.ShowEmailAddress).';

/** People on Mattermost, through the package's Mattermost API (authentication, retries on 429 and 5xx). */
export function mattermostDirectory(ctx: IExecuteFunctions): Omit<Directory, 'gitlabUserById'> {
	const api = new MattermostApi(ctx);
	let warnedEmailsHidden = false;
	return {
		async usersByUsernames(usernames) {
			return (await api.getProfilesByUsernames(usernames, {})) as MattermostUser[];
		},
		async userByEmail(email) {
			try {
				return (await api.getUserByEmail(email, {})) as MattermostUser;
			} catch (error) {
				if (httpStatus(error) === '404') return null;
				// 403 even for existing people: the token may not see e-mails (Show Email Address off and not an admin).
				// That step then finds nobody, which the output pane and the log say once.
				if (httpStatus(error) === '403') {
					if (!warnedEmailsHidden) {
						warnedEmailsHidden = true;
						ctx.logger.warn(EMAILS_HIDDEN);
						ctx.addExecutionHints({ message: EMAILS_HIDDEN, location: 'outputPane' });
					}
					return null;
				}
				throw new NodeApiError(ctx.getNode(), error as JsonObject);
			}
		},
		async channelMemberIds({ team, channel }: ChannelRef) {
			const name = `${team}/${channel}`;
			const found = await settled<{ id: string }>(api.getChannelByNameAndTeamName(team, channel, {}));
			if ('error' in found) {
				if (httpStatus(found.error) !== '404') throw found.error;
				throw new NodeOperationError(ctx.getNode(), `Opt-in channel ${name} not found, or it is private and the bot is not a member`, {
					description: 'Check the team and channel names (as in the channel URL), and add the bot to the channel.',
				});
			}
			const ids: string[] = [];
			for (let page = 0; ; page++) {
				// Deactivated members are listed too unless asked otherwise; they are never recipients.
				const answer = await settled<MattermostUser[]>(api.getProfilesInChannel(found.value.id, page, PER_PAGE, { active: true }, {}));
				if ('error' in answer) {
					if (httpStatus(answer.error) !== '403') throw answer.error;
					throw new NodeOperationError(ctx.getNode(), `The bot is not a member of the opt-in channel ${name}, so Mattermost will not list its members`, {
						description: `Add the bot to ${name} (Mattermost shows a channel's members only to its members, public channels included).`,
					});
				}
				const users = answer.value;
				for (const user of users) ids.push(user.id);
				if (users.length < PER_PAGE) return ids;
			}
		},
	};
}

/** `GET /api/v4/users/:id` on GitLab; a user that does not exist (404) is no error, just nobody. */
export async function gitlabLookup(ctx: IExecuteFunctions): Promise<(id: number) => Promise<GitlabUser | null>> {
	const credentials = await ctx.getCredentials<{ server: string; allowUnauthorizedCerts?: boolean }>('gitlabUserLookupApi');
	const base = `${String(credentials.server).replace(/\/+$/, '')}/api/v4`;
	return async (id) => {
		const request: IHttpRequestOptions = {
			method: 'GET',
			url: `${base}/users/${id}`,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
		};
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'gitlabUserLookupApi', request)) as {
			statusCode: number;
			body: unknown;
		};
		if (response.statusCode === 404) return null;
		if (response.statusCode >= 200 && response.statusCode < 300) return response.body as GitlabUser;
		const body = (response.body ?? {}) as JsonObject;
		const said = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : '';
		throw new NodeApiError(ctx.getNode(), body, {
			httpCode: String(response.statusCode),
			message: `GitLab answered ${response.statusCode} when asked for user ${id}${said ? `: ${said}` : ''}`,
		});
	};
}
