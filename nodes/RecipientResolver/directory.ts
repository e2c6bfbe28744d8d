import { NodeApiError, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';
import type { ChannelRef, Directory, GitlabUser, MattermostUser } from '../core/recipients';
import { encodePathSegment } from '../core/text';
import { mattermostRequest } from '../Mattermost/transport';

/** The members page size Mattermost allows at most. */
const PER_PAGE = 200;

function httpStatus(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown } | null)?.httpCode;
	return code === undefined || code === null ? undefined : String(code);
}

/** People on Mattermost, through the package's shared transport (authentication, retries on 429 and 5xx). */
export function mattermostDirectory(ctx: IExecuteFunctions): Omit<Directory, 'gitlabUserById'> {
	return {
		async usersByUsernames(usernames) {
			return (await mattermostRequest(ctx, { method: 'POST', path: '/users/usernames', body: usernames })) as MattermostUser[];
		},
		async userByEmail(email) {
			try {
				return (await mattermostRequest(ctx, { method: 'GET', path: `/users/email/${encodePathSegment(email)}` })) as MattermostUser;
			} catch (error) {
				// 403: the token may not see e-mails (Show Email Address off and not an admin); that step then finds nobody.
				if (httpStatus(error) === '404' || httpStatus(error) === '403') return null;
				throw new NodeApiError(ctx.getNode(), error as JsonObject);
			}
		},
		async channelMemberIds({ team, channel }: ChannelRef) {
			const found = (await mattermostRequest(ctx, {
				method: 'GET',
				path: `/teams/name/${encodePathSegment(team)}/channels/name/${encodePathSegment(channel)}`,
			})) as { id: string };
			const ids: string[] = [];
			for (let page = 0; ; page++) {
				const users = (await mattermostRequest(ctx, {
					method: 'GET',
					path: '/users',
					qs: { in_channel: found.id, page, per_page: PER_PAGE },
				})) as MattermostUser[];
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
