import type { INodeProperties } from 'n8n-workflow';
import { KIND_OPTIONS } from './eventKinds';

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

export const rulesProperty: INodeProperties = {
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
};
