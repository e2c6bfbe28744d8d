/**
 * Limit Wait Time (see core/mattermost/expiry): the timer in the process that posted the question, and the node's
 * answer when that timer calls its expiry URL.
 */
import type { Post } from '@mattermost/types/posts';
import { sleep, type IDataObject, type IExecuteFunctions, type IHttpRequestMethods, type IWebhookResponseData } from 'n8n-workflow';

import { clockTime, EXPIRED_ANSWER, expireAt, expiredLine, expiryOutcome, hasAction, markPost } from '../../../../core/mattermost';
import type { ResumeParams } from './params';

type Editable = { message: string; props: Record<string, unknown> };

/**
 * Mattermost calls for the edit, made after the execution has ended. n8n 2.40 can no longer apply the credential
 * then (it fills the credential's header template in the execution's expression sandbox, released at the end), so
 * the token is read now and sent as the credential would send it.
 */
async function mattermostAfterwards(ctx: IExecuteFunctions) {
	const credentials = await ctx.getCredentials('mattermostDevopsApi', 0);
	const base = `${String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '')}/api/v4`;
	const headers = { Authorization: `Bearer ${String(credentials.accessToken ?? '')}`, 'X-Requested-With': 'XMLHttpRequest' };
	return async <T>(method: IHttpRequestMethods, path: string, body?: IDataObject): Promise<T> =>
		(await ctx.helpers.httpRequest({
			method,
			url: `${base}${path}`,
			headers,
			body,
			json: true,
			skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
			timeout: 15_000,
		})) as T;
}

/** Starts the timer of the question post; nothing waits for it, and a failure is logged (without the URL). */
export async function startExpiryTimer(ctx: IExecuteFunctions, postId: string, expiresAt: Date): Promise<void> {
	// Posted nowhere: only this timer knows it, and n8n's signature covers `a` and `p`, so no click URL becomes it.
	const url = ctx.getSignedResumeUrl({ a: 'expire', p: postId } satisfies ResumeParams as Record<string, string>);
	const timeZone = ctx.getTimezone();
	const mattermost = await mattermostAfterwards(ctx);
	const path = `/posts/${encodeURIComponent(postId)}`;
	void expireAt(expiresAt.getTime(), {
		now: () => Date.now(),
		sleep,
		expire: async () => {
			const res = (await ctx.helpers.httpRequest({
				method: 'POST',
				url,
				body: {},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 60_000,
			})) as { statusCode: number; body: unknown };
			return expiryOutcome(res.statusCode, res.body);
		},
		markExpired: async (at) => {
			const post = await mattermost<Editable>('GET', path);
			await mattermost('PUT', `${path}/patch`, markPost(post, expiredLine(clockTime(at, timeZone))) as unknown as IDataObject);
		},
	}).catch((error: unknown) => {
		const reason = String((error as Error)?.message ?? error).replace(/signature=[^&\s"']+/g, 'signature=[redacted]');
		ctx.logger.warn(`Send and Wait for Response: post ${postId} could not be marked as expired: ${reason}`);
	});
}

/**
 * The timer called the expiry URL: the wait ends with { timedOut: true } unless the question was answered. An answered
 * post has no buttons; that is also how a timer left over from an earlier question of this node in the same
 * execution (a loop) is told apart from the current one, whose post it does not name.
 */
export async function expiredWebhook(readPost: (postId: string) => Promise<Post>, postId: string): Promise<IWebhookResponseData> {
	const post = await readPost(postId);
	if (!hasAction(post.props as Record<string, unknown> | undefined)) return { webhookResponse: { timedOut: false } };
	return {
		webhookResponse: { ...EXPIRED_ANSWER },
		workflowData: [[{ json: { timedOut: true, post_id: post.id, channel_id: post.channel_id }, pairedItem: { item: 0 } }]],
	};
}
