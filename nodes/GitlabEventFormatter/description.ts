import type { INodeProperties } from 'n8n-workflow';
import { eventKinds, LANGUAGES, PLACEHOLDERS } from '../core/gitlab';
import { stateStoreProperty } from '../shared/store';

const KINDS = eventKinds();

/** Every kind the core handles, from its registry: a new kind shows up here by itself. */
const KIND_OPTIONS = KINDS.map(({ kind, label }) => ({ name: label, value: kind }));

const LANGUAGE_OPTIONS = Object.entries(LANGUAGES)
	.map(([code, pack]) => ({ name: pack.name, value: code }))
	.sort((a, b) => a.name.localeCompare(b.name));

/** The actions of each kind that have a default template, from the English templates. */
const ACTIONS = KINDS.map(
	({ label, actions, otherActions }) => `${label}: ${actions.join(', ')}${otherActions ? ' or any other status' : ''}`,
).join('. ');

const PLACEHOLDER_HINT = `Placeholders: ${PLACEHOLDERS.map((name) => `{${name}}`).join(' ')}. A line whose placeholders all come out empty is left out; {{ and }} give literal braces.`;

const CI_STATUSES = [
	{ name: 'Canceled', value: 'canceled' },
	{ name: 'Created', value: 'created' },
	{ name: 'Failed', value: 'failed' },
	{ name: 'Manual', value: 'manual' },
	{ name: 'Pending', value: 'pending' },
	{ name: 'Running', value: 'running' },
	{ name: 'Skipped', value: 'skipped' },
	{ name: 'Success', value: 'success' },
];

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
	{
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
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'collection',
		placeholder: 'Change Rule',
		default: {},
		description: 'Who is told about what; every rule starts at its default',
		options: [
			{
				displayName: 'Announce Fixed Pipelines',
				name: 'pipelineFixed',
				type: 'boolean',
				default: false,
				description: 'Whether a passing pipeline right after a failed one on the same branch is reported as "fixed"',
			},
			{
				displayName: 'Deliver Comments on Draft Merge Requests',
				name: 'commentsOnDrafts',
				type: 'boolean',
				default: true,
				description: 'Whether comments on a draft merge request are still delivered',
			},
			{
				displayName: 'Deployment Statuses',
				name: 'deploymentStatuses',
				type: 'multiOptions',
				options: CI_STATUSES,
				default: ['failed', 'success'],
				description: 'Deployment results that are reported; others go to Skipped',
			},
			{
				displayName: 'Event Kinds',
				name: 'kinds',
				type: 'multiOptions',
				options: KIND_OPTIONS,
				default: [],
				description: 'Kinds to handle; leave empty to handle every kind. Others go to Skipped.',
			},
			{
				displayName: 'Excerpts of Confidential Comments',
				name: 'confidentialExcerpts',
				type: 'boolean',
				default: false,
				description:
					'Whether DMs about confidential issues and internal comments quote the comment or description. They only ever go to the issue\'s author and assignees, never to a channel or to mentioned people.',
			},
			{
				displayName: 'Job Statuses',
				name: 'jobStatuses',
				type: 'multiOptions',
				options: CI_STATUSES,
				default: ['failed'],
				description: 'Job results that are reported; others go to Skipped',
			},
			{
				displayName: 'Leave Out Bots',
				name: 'excludeBots',
				type: 'boolean',
				default: true,
				description: 'Whether GitLab bot users (project_N_bot…, group_N_bot…, ghost) are left out of the recipients',
			},
			{
				displayName: 'Leave Out the Actor',
				name: 'excludeActor',
				type: 'boolean',
				default: true,
				description:
					'Whether the person who acted is left out of the recipients (whoever started a pipeline, job or deployment is still told how it ended)',
			},
			{
				displayName: 'Notify Mentioned Users',
				name: 'notifyMentions',
				type: 'boolean',
				default: true,
				description: 'Whether people @mentioned in comments, descriptions, commit and tag messages are recipients',
			},
			{
				displayName: 'Notify on Commits Pushed to a Merge Request',
				name: 'notifyOnMergeRequestPush',
				type: 'boolean',
				default: false,
				description: 'Whether assignees and reviewers are told when new commits are pushed to a merge request',
			},
			{
				displayName: 'Pipeline Statuses',
				name: 'pipelineStatuses',
				type: 'multiOptions',
				options: CI_STATUSES,
				default: ['failed'],
				description: 'Pipeline results that are reported; others go to Skipped',
			},
			{
				displayName: 'Report Removed Reactions',
				name: 'emojiRevoke',
				type: 'boolean',
				default: false,
				description: 'Whether removing an emoji reaction is reported',
			},
			{
				displayName: 'Silent Drafts',
				name: 'silentDrafts',
				type: 'boolean',
				default: true,
				description:
					'Whether merge requests opened as draft are skipped and announced once, the first time they are marked ready',
			},
			{
				displayName: 'Skip Actions',
				name: 'skipActions',
				type: 'string',
				default: '',
				placeholder: 'merge_request:approval, note:update',
				description: 'Kind:action pairs to skip, separated by commas; kind:* skips every action of a kind',
			},
			{
				displayName: 'Skip Events Only the Actor Would Hear About',
				name: 'skipOwnActions',
				type: 'boolean',
				default: true,
				description: 'Whether an event is skipped when the actor was its only recipient (say, an author closing their own merge request)',
			},
			{
				displayName: 'Skip System Notes',
				name: 'skipSystemNotes',
				type: 'boolean',
				default: true,
				description: 'Whether GitLab\'s automatic notes ("added 1 commit", "assigned to @x") are skipped',
			},
		],
	},
	stateStoreProperty,
];
