import { SEND_AND_WAIT_OPERATION, type INodeProperties } from 'n8n-workflow';

import { description as sendDescription } from '../send/description';
import { optionsProperty } from './options';
import { responseTypeProperties } from './responseTypes';

const show = { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] };

/** The channel picker and thread key of Send Message, shown for this operation too. */
function fromSend(name: string, extraShow: Record<string, string[]> = {}): INodeProperties {
	const found = sendDescription.find((p) => p.name === name);
	if (!found) throw new Error(`Send Message has no parameter ${name}`);
	return { ...found, displayOptions: { show: { ...show, ...extraShow } } };
}

export const description: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Channel', value: 'channel', description: 'Ask in a public or private channel' },
			{ name: 'Direct Message', value: 'direct', description: 'Ask one user in a direct message' },
		],
		default: 'channel',
		description: 'Where the question goes',
	},
	fromSend('channel', { sendTo: ['channel'] }),
	{
		displayName: 'User',
		name: 'user',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, sendTo: ['direct'] } },
		placeholder: 'e.g. @alice',
		description: 'Mattermost user ID, username (with or without @) or e-mail of the person to ask',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		displayOptions: { show },
		description: 'The question (Markdown). The answer buttons appear below it.',
	},
	{
		...fromSend('threadKey'),
		description:
			'Ask in the thread of this key, as Send Message does: the first message with a key becomes the root post (per channel); later ones reply to it. Empty asks at the top level.',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Approval', value: 'approval', description: 'Approve and Decline buttons, or Approve only' },
			{ name: 'Choice', value: 'choice', description: 'One button per option, or a menu' },
			{ name: 'Form', value: 'form', description: 'A button that opens a Mattermost dialog with the fields below' },
		],
		default: 'approval',
	},
	...responseTypeProperties(show),
	{
		displayName: 'Who May Answer',
		name: 'whoMayAnswer',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Anyone in the Channel', value: 'anyone' },
			{ name: 'Only Listed Users', value: 'listed' },
		],
		default: 'anyone',
		description: 'Anyone else who clicks gets a private note that the request is not for them, and the workflow keeps waiting',
	},
	{
		displayName: 'Allowed Users',
		name: 'allowedUsers',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { ...show, whoMayAnswer: ['listed'] } },
		placeholder: 'e.g. @alice, @bob',
		description: 'Mattermost usernames, e-mails or user IDs, separated by commas',
	},
	{ ...optionsProperty, displayOptions: { show } },
];
