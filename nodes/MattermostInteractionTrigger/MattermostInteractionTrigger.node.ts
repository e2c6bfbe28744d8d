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

import { clockTime, fillLine, markPost, verifyContext, withoutSignature } from '../core/mattermost';
import { parseSecretList } from '../core/secrets';
import { credentialTest } from '../Mattermost/methods';
import { mattermostRequest } from '../Mattermost/transport';

export const REFUSED = 'This button was not made by this n8n workflow (its signature is missing or wrong), so nothing was done.';

/**
 * A dialog opened for one of this workflow's buttons (e.g. the standup's answer form) is submitted here: its
 * `state` holds a context signed like a button's, and the workflow's answer (`{}`, or `errors` per field) goes back
 * to Mattermost, which keeps the dialog open on errors. Mattermost sends no username with a submission.
 */
function dialogSubmission(ctx: IWebhookFunctions, secrets: string[], body: IDataObject): IWebhookResponseData {
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
	const { action, value, ...context } = withoutSignature(state);
	const item: IDataObject = {
		action: String(action ?? ''),
		value: String(value ?? ''),
		context: context as IDataObject,
		user: { id: String(body.user_id ?? ''), username: '' },
		channel_id: String(body.channel_id ?? ''),
		team_id: String(body.team_id ?? ''),
		post_id: '',
		trigger_id: '',
		submission: (body.submission && typeof body.submission === 'object' ? body.submission : {}) as IDataObject,
		cancelled: body.cancelled === true,
	};
	const workflowData = [ctx.helpers.returnJsonArray([item])];
	if (ctx.getNodeParameter('responseMode', 'onReceived') !== 'onReceived') return { workflowData };
	res.status(200).json({});
	return { noWebhookResponse: true, workflowData };
}

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
			{
				name: 'mattermostDevopsApi',
				required: true,
				displayOptions: { show: { responseMode: ['onReceived'], updatePost: [true] } },
			},
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
				displayName: 'Remove Buttons',
				name: 'removeButtons',
				type: 'boolean',
				default: true,
				description: 'Whether to remove the buttons and menus, so nobody clicks again',
				displayOptions: { show: { responseMode: ['onReceived'], updatePost: [true] } },
			},
		],
	};

	methods = { credentialTest: { mattermostInteractionSecret: credentialTest.mattermostInteractionSecret } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const credentials = await this.getCredentials('mattermostInteractionApi');
		const secrets = parseSecretList(credentials.secret);
		if (secrets.length === 0) {
			throw new NodeOperationError(this.getNode(), 'The Mattermost Interaction API credential holds no secret');
		}
		const body = (this.getBodyData() ?? {}) as IDataObject;
		if (body.type === 'dialog_submission') return dialogSubmission(this, secrets, body);
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

		const fill = (template: string) =>
			fillLine(template, { user: user.username, action: String(item.action), value, time: clockTime(new Date(), this.getTimezone()) });
		const answer: IDataObject = {};
		const note = String(this.getNodeParameter('ephemeralText', '') ?? '');
		if (note) answer.ephemeral_text = fill(note);
		if (this.getNodeParameter('updatePost', false) === true) {
			const post = await mattermostRequest<Post>(this, { method: 'GET', path: `/posts/${encodeURIComponent(String(item.post_id))}` }, { retries: 1, timeoutMs: 8_000 });
			const line = fill(String(this.getNodeParameter('appendLine', '') ?? ''));
			const current = post as unknown as { message: string; props: Record<string, unknown> };
			const update = this.getNodeParameter('removeButtons', true) === true ? markPost(current, line) : { message: [current.message, line].filter(Boolean).join('\n\n'), props: current.props };
			answer.update = update as unknown as IDataObject;
		}
		res.status(200).json(answer);
		return { noWebhookResponse: true, workflowData };
	}
}
