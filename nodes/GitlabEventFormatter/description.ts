import type { INodeProperties } from 'n8n-workflow';
import { LANGUAGES } from '../core/gitlab';
import { stateStoreProperty } from '../shared/store';
import { rulesProperty } from './rules';
import { templatesProperty } from './templates';

const LANGUAGE_OPTIONS = Object.entries(LANGUAGES)
	.map(([code, pack]) => ({ name: pack.name, value: code }))
	.sort((a, b) => a.name.localeCompare(b.name));

const STATE_NOTICE =
	'Draft and duplicate memory is kept in the State Store (below). In regular mode that is this n8n\'s memory and the workflow\'s static data, which n8n saves only for published (production) executions, not for manual test runs; in queue mode it is n8n\'s Redis.';

export const properties: INodeProperties[] = [
	{
		displayName: STATE_NOTICE,
		name: 'stateNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: LANGUAGE_OPTIONS,
		default: 'en',
		description: 'Language of the default message templates',
	},
	{
		displayName: 'Layout',
		name: 'layout',
		type: 'options',
		options: [
			{ name: 'Markdown Text', value: 'text', description: 'The whole message as Markdown text' },
			{
				name: 'Attachment Card',
				value: 'attachment',
				description: 'A one-line message plus a colored card with details and fields',
			},
		],
		default: 'text',
		description: 'How the message is laid out',
	},
	templatesProperty,
	rulesProperty,
	stateStoreProperty,
];
