import type { INodeProperties } from 'n8n-workflow';
import { PLACEHOLDERS } from '../core/gitlab';
import { KIND_OPTIONS, KINDS } from './eventKinds';

/** The actions of each kind that have a default template, from the English templates. */
const ACTIONS = KINDS.map(
	({ label, actions, otherActions }) => `${label}: ${actions.join(', ')}${otherActions ? ' or any other status' : ''}`,
).join('. ');

const PLACEHOLDER_HINT = `Placeholders: ${PLACEHOLDERS.map((name) => `{${name}}`).join(' ')}. A line whose placeholders all come out empty is left out; {{ and }} give literal braces.`;

export const templatesProperty: INodeProperties = {
	displayName: 'Message Templates',
	name: 'templates',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Template',
	default: {},
	description: 'Your own wording per event kind and action, replacing the default template in the chosen language',
	options: [
		{
			displayName: 'Template',
			name: 'template',
			values: [
				{
					displayName: 'Event Kind',
					name: 'kind',
					type: 'options',
					options: KIND_OPTIONS,
					default: 'merge_request',
					description: 'The GitLab event kind this template is for',
				},
				{
					displayName: 'Action',
					name: 'action',
					type: 'string',
					default: '*',
					placeholder: 'open',
					description: `The action, or * for every action of the kind. ${ACTIONS}.`,
				},
				{
					displayName: 'Template',
					name: 'template',
					type: 'string',
					typeOptions: { rows: 3 },
					default: '',
					placeholder: '{actor} opened {target} in {project}',
					description: 'Message text with {placeholders}; an unknown placeholder stops the node with an error naming it',
					hint: PLACEHOLDER_HINT,
				},
			],
		},
	],
};
