/**
 * Answers to Send and Wait for Response. n8n calls this on the main (or webhook) process that receives the click,
 * after it checked the resume URL's signature, so nothing here depends on the memory of the process that posted
 * the question: who may answer comes from the signed URL, the question from the post itself.
 *
 * Mattermost's own User-Agent is `Mattermost-Bot/1.1`; unlike n8n's approval handler this one does not ignore bots,
 * or no click would ever count.
 */
import type { Post } from '@mattermost/types/posts';
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import {
	buildDialog,
	clockTime,
	decodeAnswerers,
	hasAction,
	markPost,
	mayAnswer,
	notForYou,
	readSubmission,
	type Answerer,
} from '../../../../core/mattermost';
import { MattermostApi } from '../../../../shared/mattermost-api';
import { expiredWebhook } from './expiry';
import { formFieldsFrom } from '../../../../shared/form-fields';

/** Mattermost waits 30 s (by default) for the whole answer; two tries of 8 s each leave room for n8n itself. */
const CALL = { retries: 1, timeoutMs: 8_000 };
export const ALREADY_ANSWERED = 'This request has already been answered.';

const hasButtons = (post: Post) => hasAction(post.props as Record<string, unknown> | undefined);

function answered(data: IDataObject, user: Answerer, post: { channel_id: string; post_id: string }, at: Date): INodeExecutionData[][] {
	return [[{ json: { data, user: { ...user }, channel_id: post.channel_id, post_id: post.post_id, respondedAt: at.toISOString() }, pairedItem: { item: 0 } }]];
}

async function submitForm(ctx: IWebhookFunctions, body: IDataObject, allowed: Answerer[], at: Date): Promise<IWebhookResponseData> {
	const userId = String(body.user_id ?? '');
	if (!mayAnswer(allowed, userId)) return { webhookResponse: { error: notForYou(allowed) } };
	if (body.cancelled === true) return { webhookResponse: {} };
	let state: { post_id?: string } = {};
	try {
		state = JSON.parse(String(body.state ?? '{}'));
	} catch {
		return { webhookResponse: { error: 'This form does not belong to a request.' } };
	}
	const postId = String(state.post_id ?? '');
	const fields = formFieldsFrom(ctx.getNodeParameter('formFields', {}));
	const { values, errors } = readSubmission(fields, body.submission);
	if (errors) return { webhookResponse: { errors } };
	const api = new MattermostApi(ctx);
	const post = await api.getPost(postId, CALL);
	if (!hasButtons(post)) return { webhookResponse: { error: ALREADY_ANSWERED } };
	const user = await api.getUser(userId, CALL);
	// A dialog's answer cannot update the post, so the post is edited through the API.
	const update = markPost(post as unknown as { message: string; props: Record<string, unknown> }, `:memo: Answered by @${user.username} at ${clockTime(at, ctx.getTimezone())}`);
	await api.patchPost({ id: postId, ...update }, CALL);
	return {
		webhookResponse: {},
		workflowData: answered(values, { id: user.id, username: user.username }, { channel_id: post.channel_id, post_id: postId }, at),
	};
}

export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const query = this.getQueryData() as IDataObject;
	const body = (this.getBodyData() ?? {}) as IDataObject;
	const allowed = decodeAnswerers(query.who);
	const at = new Date();
	const api = new MattermostApi(this);
	const readPost = async (postId: string) => await api.getPost(postId, CALL);
	if (query.a === 'expire') return await expiredWebhook(readPost, String(query.p ?? ''));
	if (body.type === 'dialog_submission') return await submitForm(this, body, allowed, at);

	const user: Answerer = { id: String(body.user_id ?? ''), username: String(body.user_name ?? '') };
	if (!mayAnswer(allowed, user.id)) return { webhookResponse: { ephemeral_text: notForYou(allowed) } };
	const postId = String(body.post_id ?? '');
	const post = await readPost(postId);
	if (!hasButtons(post)) return { webhookResponse: { ephemeral_text: ALREADY_ANSWERED } };
	const context = (body.context ?? {}) as IDataObject;

	if (query.a === 'form') {
		// The trigger_id lives for Mattermost's integration timeout in total, so the dialog is opened right here.
		const dialog = buildDialog({
			title: String(this.getNodeParameter('formTitle', 'Respond')),
			fields: formFieldsFrom(this.getNodeParameter('formFields', {})),
			state: JSON.stringify({ post_id: postId }),
		});
		await api.openDialog({ trigger_id: String(body.trigger_id ?? ''), url: String(context.url ?? ''), dialog } as unknown as IDataObject, CALL);
		return { webhookResponse: {} };
	}

	const time = clockTime(at, this.getTimezone());
	let data: IDataObject;
	let line: string;
	let confirmation: string;
	if (query.a === 'approve' || query.a === 'decline') {
		const approved = query.a === 'approve';
		data = { approved };
		line = approved ? `:white_check_mark: Approved by @${user.username} at ${time}` : `:x: Declined by @${user.username} at ${time}`;
		confirmation = approved ? 'You approved this request.' : 'You declined this request.';
	} else {
		const choice = String(query.v ?? context.selected_option ?? '');
		if (!choice) return { webhookResponse: { ephemeral_text: 'Choose one of the options.' } };
		data = { choice };
		line = `:ballot_box_with_check: @${user.username} chose **${choice}** at ${time}`;
		confirmation = `You chose ${choice}.`;
	}
	const update = markPost(post as unknown as { message: string; props: Record<string, unknown> }, line);
	return {
		webhookResponse: { update, ephemeral_text: confirmation },
		workflowData: answered(data, user, { channel_id: post.channel_id, post_id: postId }, at),
	};
}
