import type { Post } from '@mattermost/types/posts';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { buildDialog, clockTime, fillLine, markPost, readSubmission, signContext, verifyContext, withoutSignature } from '../core/mattermost';
import { parseSecretList } from '../core/secrets';
import { mattermostInteractionSecret } from '../shared/credential-tests';
import { formFieldsProperty } from '../Mattermost/actions/message/sendAndWait/description';
import { formFieldsFrom } from '../Mattermost/actions/message/sendAndWait/form';
import { mattermostRequest } from '../shared/mattermost-api';

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

export const REFUSED = 'This button was not made by this n8n workflow (its signature is missing or wrong), so nothing was done.';

/**
 * Receives clicks on buttons and menus made by Send Message → Buttons, at any time after the post was made (no
 * execution waits for them). Mattermost signs nothing, so only a context signed with the credential's secret starts
 * the workflow; the answer Mattermost shows comes from this node's options or from the workflow, within its timeout.
 */
// Buttons are made by the Mattermost DevOps node with this trigger's URL; there is nothing to register in Mattermost.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class MattermostInteractionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mattermost Interaction Trigger',
		name: 'mattermostInteractionTrigger',
		icon: { light: 'file:mattermostInteractionTrigger.svg', dark: 'file:mattermostInteractionTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["path"]}}',
		description: 'Starts the workflow when someone clicks a button or picks from a menu on a Mattermost post',
		defaults: { name: 'Mattermost Interaction Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'mattermostInteractionApi', required: true, testedBy: 'mattermostInteractionSecret' },
			// Only Update the Post and Open a Dialog talk to Mattermost; n8n cannot show a credential for either of two options.
			{ name: 'mattermostDevopsApi', required: false, displayOptions: { show: { responseMode: ['onReceived'] } } },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter["responseMode"]}}',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName:
					"Put this node's Production URL into the buttons of a Mattermost DevOps node (Send Message → Buttons) and use the same Mattermost Interaction API credential in both. Mattermost must be allowed to reach n8n: for an n8n on a private address, list it in Mattermost's AllowedUntrustedInternalConnections.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'mattermost-interaction',
				required: true,
				placeholder: 'mattermost-interaction',
				description: 'The last part of the webhook URL: https://your-n8n/webhook/&lt;path&gt;',
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{ name: 'Immediately', value: 'onReceived', description: 'Answer at once as set below, then run the workflow' },
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description: "Answer with the first item's JSON from the last node that runs",
					},
					{
						name: "Using 'Respond to Webhook' Node",
						value: 'responseNode',
						description: 'Answer with what a Respond to Webhook node (version 1) sends',
					},
				],
				default: 'onReceived',
				description:
					'When and how to answer Mattermost. Mattermost waits at most its integration timeout (30 seconds by default) and shows "Action failed to execute" after that.',
			},
			{
				displayName:
					'The answer is a JSON object: <code>ephemeral_text</code> (a note only the clicking person sees) and/or <code>update</code> (<code>{"message": "…", "props": {…}}</code>, which replaces the post). <code>{}</code> changes nothing.',
				name: 'answerNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { responseMode: ['lastNode', 'responseNode'] } },
			},
			{
				displayName: 'Private Note',
				name: 'ephemeralText',
				type: 'string',
				default: '',
				placeholder: 'e.g. Thanks, {user}!',
				description:
					'Text only the person who clicked sees. {user}, {action}, {value} and {time} are replaced by their username, the button ID, its value (or the menu choice) and the time.',
				displayOptions: { show: { responseMode: ['onReceived'] } },
			},
			{
				displayName: 'Update the Post',
				name: 'updatePost',
				type: 'boolean',
				default: false,
				description: 'Whether to add a line to the post and remove its buttons (reads the post with a Mattermost DevOps API credential)',
				displayOptions: { show: { responseMode: ['onReceived'] } },
			},
			{
				displayName: 'Line to Add',
				name: 'appendLine',
				type: 'string',
				default: ':eyes: @{user} is on it',
				description: 'Added at the end of the post. Same placeholders as the private note.',
				displayOptions: { show: { responseMode: ['onReceived'], updatePost: [true] } },
			},
			{
				displayName: 'Open a Dialog',
				name: 'openDialog',
				type: 'boolean',
				default: false,
				description:
					'Whether a click opens a Mattermost dialog with the fields below instead of starting the workflow; the workflow starts when the dialog is submitted, with the values as submission (opening needs a Mattermost DevOps API credential for the server address)',
				displayOptions: { show: { responseMode: ['onReceived'] } },
			},
			{
				displayName: 'Dialog Title',
				name: 'dialogTitle',
				type: 'string',
				default: 'Details',
				description: 'Title of the dialog (Mattermost shows at most 24 characters)',
				displayOptions: { show: { responseMode: ['onReceived'], openDialog: [true] } },
			},
			{ ...formFieldsProperty, displayOptions: { show: { responseMode: ['onReceived'], openDialog: [true] } } },
			{
				displayName: 'Remove Buttons',
				name: 'removeButtons',
				type: 'boolean',
				default: true,
				description: 'Whether to remove the buttons and menus, so nobody clicks again',
				displayOptions: { show: { responseMode: ['onReceived'], updatePost: [true] } },
			},
		],
	};

	methods = { credentialTest: { mattermostInteractionSecret } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const credentials = await this.getCredentials('mattermostInteractionApi');
		const secrets = parseSecretList(credentials.secret);
		if (secrets.length === 0) {
			throw new NodeOperationError(this.getNode(), 'The Mattermost Interaction API credential holds no secret');
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
			await mattermostRequest(this, { method: 'POST', path: '/actions/dialogs/open', body: { trigger_id: String(triggerId), url, dialog } as unknown as IDataObject }, CALL);
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
			const post = await mattermostRequest<Post>(this, { method: 'GET', path: `/posts/${encodeURIComponent(String(item.post_id))}` }, CALL);
			const line = fill(String(this.getNodeParameter('appendLine', '') ?? ''));
			const current = post as unknown as { message: string; props: Record<string, unknown> };
			// Without props Mattermost keeps the post's own, buttons included; the props it hands out lack their URLs.
			const update = this.getNodeParameter('removeButtons', true) === true ? markPost(current, line) : { message: markPost(current, line).message };
			answer.update = update as unknown as IDataObject;
		}
		res.status(200).json(answer);
		return { noWebhookResponse: true, workflowData };
	}
}

/**
 * A dialog opened by a click was submitted: its state is the click, signed when the dialog was opened. Field errors
 * keep the dialog open; a valid submission starts the workflow with the click and the values, and closes the dialog.
 */
async function dialogSubmitted(ctx: IWebhookFunctions, secrets: string[], body: IDataObject): Promise<IWebhookResponseData> {
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
