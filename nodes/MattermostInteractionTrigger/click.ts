import { NodeOperationError, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { buildDialog, clockTime, fillLine, markPost, signContext, verifyContext, withoutSignature } from '../core/mattermost';
import { parseSecretList, weakSecretReason } from '../core/secrets';
import { formFieldsFrom } from '../shared/form-fields';
import { MattermostApi } from '../shared/mattermost-api';
import { dialogSubmitted, REFUSED } from './dialog';

/** Mattermost waits 30 s (by default) for the whole answer; two tries of 8 s each leave room for n8n itself. */
const CALL = { retries: 1, timeoutMs: 8_000 };

/** The Mattermost DevOps API credential, which only some answers need, or an error saying which. */
function needsMattermost(ctx: IWebhookFunctions, what: string): void {
	if (!ctx.getNode().credentials?.mattermostDevopsApi) {
		throw new NodeOperationError(ctx.getNode(), `${what} needs a Mattermost DevOps API credential`, {
			description: 'Select the credential of the bot that posts the buttons in this trigger.',
		});
	}
}

/**
 * A click on a button or menu made by Send Message → Buttons (or a dialog it opened, see ./dialog): only a context
 * signed with the credential's secret starts the workflow; the answer Mattermost shows comes from the node's options
 * or from the workflow, within its timeout.
 */
export async function clicked(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const credentials = await this.getCredentials('mattermostInteractionApi');
	const secrets = parseSecretList(credentials.secret);
	// The Secure Webhook Trigger's rule, checked here because n8n never runs the credential test on its own: a
	// guessable secret would let anyone sign a click.
	const weak = weakSecretReason(secrets);
	if (weak) {
		throw new NodeOperationError(this.getNode(), `The Mattermost Interaction API credential cannot protect this trigger: ${weak}`, {
			description: 'Put a long random secret (e.g. from openssl rand -hex 32) into the credential. Buttons signed with the old secret stop working.',
		});
	}
	const body = (this.getBodyData() ?? {}) as IDataObject;
	if (body.type === 'dialog_submission') return await dialogSubmitted(this, secrets, body);
	if (!verifyContext(secrets, body.context)) {
		res.status(401).json({ error: { message: REFUSED } });
		return { noWebhookResponse: true };
	}
	const context = withoutSignature(body.context);
	const { action, value: buttonValue, ...rest } = context;
	const value = body.type === 'select' ? String(rest.selected_option ?? '') : String(buttonValue ?? '');
	delete rest.selected_option;
	const user = { id: String(body.user_id ?? ''), username: String(body.user_name ?? '') };
	const item: IDataObject = {
		action: String(action ?? ''),
		value,
		context: rest as IDataObject,
		user,
		channel_id: String(body.channel_id ?? ''),
		team_id: String(body.team_id ?? ''),
		post_id: String(body.post_id ?? ''),
		trigger_id: String(body.trigger_id ?? ''),
	};
	const workflowData = [this.helpers.returnJsonArray([item])];
	if (this.getNodeParameter('responseMode', 'onReceived') !== 'onReceived') return { workflowData };
	if (this.getNodeParameter('openDialog', false) === true) {
		// The trigger_id lives for Mattermost's integration timeout in total: the dialog is opened right here. Its
		// state carries the click, signed, because dialog state is visible to the user and comes back on submission.
		const { trigger_id: triggerId, ...click } = item;
		const dialog = buildDialog({
			title: String(this.getNodeParameter('dialogTitle', 'Details')),
			fields: formFieldsFrom(this.getNodeParameter('formFields', {})),
			state: JSON.stringify(signContext(secrets[0], click)),
		});
		needsMattermost(this, 'Open a Dialog');
		const url = this.getNodeWebhookUrl('default') ?? '';
		await new MattermostApi(this).openDialog({ trigger_id: String(triggerId), url, dialog } as unknown as IDataObject, CALL);
		res.status(200).json({});
		return { noWebhookResponse: true };
	}

	const fill = (template: string) =>
		fillLine(template, { user: user.username, action: String(item.action), value, time: clockTime(new Date(), this.getTimezone()) });
	const answer: IDataObject = {};
	const note = String(this.getNodeParameter('ephemeralText', '') ?? '');
	if (note) answer.ephemeral_text = fill(note);
	if (this.getNodeParameter('updatePost', false) === true) {
		needsMattermost(this, 'Update the Post');
		const post = await new MattermostApi(this).getPost(String(item.post_id), CALL);
		const line = fill(String(this.getNodeParameter('appendLine', '') ?? ''));
		const current = post as unknown as { message: string; props: Record<string, unknown> };
		// Without props Mattermost keeps the post's own, buttons included; the props it hands out lack their URLs.
		const update = this.getNodeParameter('removeButtons', true) === true ? markPost(current, line) : { message: markPost(current, line).message };
		answer.update = update as unknown as IDataObject;
	}
	res.status(200).json(answer);
	return { noWebhookResponse: true, workflowData };
}
