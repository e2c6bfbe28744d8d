import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { mattermostInteractionSecret } from '../shared/credential-tests';
import { formFieldsProperty } from '../shared/form-fields';
import { fieldsFromParameters, respondOptions } from '../shared/webhook-fields';
import { clicked } from './click';
import { REFUSED } from './dialog';

export { REFUSED };

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
				...fieldsFromParameters('responseMode', 'path'),
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
				options: respondOptions('Answer at once as set below, then run the workflow'),
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
		return await clicked.call(this);
	}
}
