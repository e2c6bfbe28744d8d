import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_QUESTIONS } from '../../../core/standup';
import { interactionProperties } from './interaction';
import { scheduleProperties } from './schedule';
import { ops } from './show';
import { teamProperties } from './team';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['standup'] } },
		options: [
			{
				name: 'Post, Remind or Summarize',
				value: 'run',
				action: 'Post remind or summarize the standup',
				description:
					"Run it every minute: posts the questions when the window opens, DMs a reminder at 80% of the window to members who have not answered, and turns the post into a summary when it closes. Reads the day's post and answers back from Mattermost.",
			},
			{
				name: 'Open Answer Form',
				value: 'openForm',
				action: 'Open the standup answer form',
				description: 'After a click on Fill in my standup (from a Mattermost Interaction Trigger): opens a dialog with one field per question',
			},
			{
				name: 'Save Answer',
				value: 'saveAnswer',
				action: 'Save a standup answer',
				description: "After the dialog is submitted: posts the answer in the day's thread, or edits the person's earlier answer; updates the summary after the window closed",
			},
		],
		default: 'run',
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. devops/dev',
		description: 'Team name and channel name of the standup, written team/channel',
		displayOptions: ops('run'),
	},
	{
		displayName: 'Questions',
		name: 'questions',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_QUESTIONS.join('\n'),
		description: 'One per line (up to 24 characters show in the dialog). The last one is optional and its answers are collected as blockers at the top of the summary.',
		displayOptions: ops('run', 'openForm', 'saveAnswer'),
	},
	...scheduleProperties,
	...teamProperties,
	...interactionProperties,
];
