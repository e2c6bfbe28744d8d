import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { stateStoreProperty } from '../shared/store';

import * as incomingWebhook from './actions/incomingWebhook';
import * as message from './actions/message';
import * as reaction from './actions/reaction';
import { router } from './actions/router';
import { credentialTest, listSearch } from './methods';

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
		credentials: [
			{
				name: 'mattermostDevopsApi',
				required: true,
				displayOptions: { show: { resource: ['message', 'reaction'] } },
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
				],
				default: 'message',
			},
			...message.description,
			...reaction.description,
			...incomingWebhook.description,
			{ ...stateStoreProperty, displayOptions: { show: { resource: ['message', 'reaction'] } } },
		],
	};

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions) {
		return await router.call(this);
	}
}
