import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { stateStoreProperty } from '../shared/store';

import * as incomingWebhook from './actions/incomingWebhook';
import * as message from './actions/message';
import * as reaction from './actions/reaction';
import * as standup from './actions/standup';
import * as text from './actions/text';
import { router } from './actions/router';
import { credentialTest, listSearch } from './methods';

// The only webhook is n8n's resume URL of a waiting Send and Wait execution: there is nothing to register in Mattermost.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class Mattermost implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mattermost DevOps',
		name: 'mattermost',
		icon: { light: 'file:mattermost.svg', dark: 'file:mattermost.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Post to Mattermost channels, direct and group messages and threads; update posts, add reactions, send via incoming webhooks',
		defaults: { name: 'Mattermost DevOps' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Send and Wait for Response: Mattermost calls the buttons' signed resume URLs here (n8n routes them to a waiting
		// execution of this node only).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		waitingNodeTooltip: 'Waiting for an answer in Mattermost',
		credentials: [
			{
				name: 'mattermostDevopsApi',
				required: true,
				displayOptions: { show: { resource: ['message', 'reaction', 'standup'] } },
			},
			{
				// Signs the context of Send Message → Buttons for the Mattermost Interaction Trigger.
				name: 'mattermostInteractionApi',
				required: false,
				testedBy: 'mattermostInteractionSecret',
				// …and the standup's Fill in my standup button and its dialog.
				displayOptions: { show: { resource: ['message', 'standup'], operation: ['send', 'run', 'openForm'] } },
			},
			{
				name: 'mattermostIncomingWebhookApi',
				required: true,
				testedBy: 'mattermostIncomingWebhookTest',
				displayOptions: { show: { resource: ['incomingWebhook'] } },
			},
			// Where the state goes when the State Store is Redis.
			{ name: 'mattermostDevopsRedisApi', required: true, testedBy: 'mattermostDevopsRedisTest', displayOptions: { show: { stateStore: ['redis'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Incoming Webhook', value: 'incomingWebhook', description: 'Post through an incoming webhook URL' },
					{ name: 'Message', value: 'message', description: 'Send messages and update posts with an access token' },
					{ name: 'Reaction', value: 'reaction', description: 'React to posts with emoji' },
					{ name: 'Standup', value: 'standup', description: 'A daily standup in a channel: answers through a dialog, reminders, a summary' },
					{ name: 'Text', value: 'text', description: 'Compose message text from a template and values from outside, shown exactly as they are' },
				],
				default: 'message',
			},
			...message.description,
			...reaction.description,
			...standup.description,
			...incomingWebhook.description,
			...text.description,
			{ ...stateStoreProperty, displayOptions: { show: { resource: ['message', 'reaction', 'standup'] } } },
		],
	};

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions) {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions) {
		return await message.sendAndWaitWebhook.call(this);
	}
}
