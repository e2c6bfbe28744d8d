import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { readSubmission, verifyContext, withoutSignature } from '../core/mattermost';
import { formFieldsFrom } from '../shared/form-fields';

export const REFUSED = 'This button was not made by this n8n workflow (its signature is missing or wrong), so nothing was done.';

/**
 * A dialog opened by a click was submitted: its state is the click, signed when the dialog was opened. Field errors
 * keep the dialog open; a valid submission starts the workflow with the click and the values, and closes the dialog.
 */
export async function dialogSubmitted(ctx: IWebhookFunctions, secrets: string[], body: IDataObject): Promise<IWebhookResponseData> {
	const res = ctx.getResponseObject();
	let state: unknown;
	try {
		state = JSON.parse(String(body.state ?? ''));
	} catch {
		state = undefined;
	}
	if (!verifyContext(secrets, state)) {
		res.status(401).json({ error: REFUSED });
		return { noWebhookResponse: true };
	}
	const click = withoutSignature(state) as IDataObject;
	// Mattermost opens the dialog only for the person who clicked; a submission by anyone else was not made there.
	if ((click.user as IDataObject | undefined)?.id !== body.user_id) {
		res.status(401).json({ error: REFUSED });
		return { noWebhookResponse: true };
	}
	if (body.cancelled === true) {
		res.status(200).json({});
		return { noWebhookResponse: true };
	}
	const fields = ctx.getNodeParameter('formFields', {}) as IDataObject;
	// A dialog opened by a later node (the standup's Open Answer Form) has fields this trigger does not know: the
	// values go to the workflow as submitted, and that node's counterpart checks them.
	const { values, errors } = Array.isArray(fields.field) && fields.field.length
		? readSubmission(formFieldsFrom(fields), body.submission)
		: { values: (body.submission && typeof body.submission === 'object' ? body.submission : {}) as IDataObject, errors: undefined };
	if (errors) {
		res.status(200).json({ errors });
		return { noWebhookResponse: true };
	}
	const item: IDataObject = { ...click, submission: values, trigger_id: '' };
	res.status(200).json({});
	return { noWebhookResponse: true, workflowData: [ctx.helpers.returnJsonArray([item])] };
}
