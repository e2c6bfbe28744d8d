import type { INodeProperties } from 'n8n-workflow';

import { ops } from './show';

/** The Fill in my standup button and what the Mattermost Interaction Trigger passes on from it. */
export const interactionProperties: INodeProperties[] = [
	{
		displayName: 'Interaction Trigger URL',
		name: 'buttonUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n.example.com/webhook/standup',
		description: 'Production URL of the Mattermost Interaction Trigger that receives the Fill in my standup button and the dialog (same Mattermost Interaction API credential)',
		displayOptions: ops('run', 'openForm'),
	},
	{
		displayName: 'Trigger ID',
		name: 'triggerId',
		type: 'string',
		default: '={{ $json.trigger_id }}',
		description: 'From the Mattermost Interaction Trigger; Mattermost accepts it for 30 seconds after the click',
		displayOptions: ops('openForm'),
	},
	{
		displayName: 'Button Context',
		name: 'context',
		type: 'json',
		default: '={{ $json.context }}',
		description: 'The context output by the Mattermost Interaction Trigger (which standup the click or the dialog belongs to)',
		displayOptions: ops('openForm', 'saveAnswer'),
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '={{ $json.user.id }}',
		description: 'Who clicked or submitted, from the Mattermost Interaction Trigger',
		displayOptions: ops('openForm', 'saveAnswer'),
	},
	{
		displayName: 'Submission',
		name: 'submission',
		type: 'json',
		default: '={{ $json.submission }}',
		description: 'The dialog fields, from the Mattermost Interaction Trigger',
		displayOptions: ops('saveAnswer'),
	},
];
