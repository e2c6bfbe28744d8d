import type { INodeProperties } from 'n8n-workflow';
import { stateStoreProperty } from '../shared/store';

/** Most people one event reaches unless the node says otherwise: a delivery naming hundreds costs hundreds of DMs. */
export const DEFAULT_RECIPIENT_LIMIT = 20;

export const properties: INodeProperties[] = [
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'string',
		default: 'recipients',
		description:
			'Name of the input field holding the GitLab people (dot notation for nested fields), or an expression that returns the list itself. Each entry may have username, ID, email, name and role (or roles); a plain text entry is a username or an e-mail.',
	},
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		default: 'perRecipient',
		options: [
			{
				name: 'One Item per Recipient',
				value: 'perRecipient',
				description: 'One item per Mattermost user, with mattermost, gitlab, roles and the rest of the input item',
			},
			{
				name: 'One Item per Input Item',
				value: 'perInput',
				description: 'The input item plus mattermostUsers, the list of its recipients',
			},
		],
	},
	{
		displayName: 'Use Mapping Table',
		name: 'useMapping',
		type: 'boolean',
		default: true,
		description: 'Whether to look people up in the mapping below first (step 1)',
	},
	{
		displayName: 'Mapping Table',
		name: 'mappingTable',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Mapping',
		default: {},
		description: 'People whose GitLab and Mattermost names differ. Checked first; a mapping is final.',
		displayOptions: { show: { useMapping: [true] } },
		options: [
			{
				name: 'mappings',
				displayName: 'Mapping',
				values: [
					{
						displayName: 'GitLab User',
						name: 'gitlabUser',
						type: 'string',
						default: '',
						placeholder: 'e.g. jdoe, 42 or jane@example.com',
						description: 'A GitLab username, a numeric GitLab user ID, or an e-mail',
					},
					{
						displayName: 'Mattermost Username',
						name: 'mattermostUsername',
						type: 'string',
						default: '',
						placeholder: 'e.g. jane.doe',
						description: 'Their Mattermost username, with or without @',
					},
				],
			},
		],
	},
	{
		displayName: 'Mapping (JSON)',
		name: 'mappingJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { useMapping: [true] } },
		description:
			'More mappings as one JSON object, for example from an expression that reads a file or a sheet: {"jdoe": "jane.doe", "42": "sam", "kim@example.com": "kim"}. Wins over the table for the same GitLab user.',
	},
	{
		displayName: 'Look Up GitLab Users',
		name: 'lookUpGitlabUsers',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask GitLab for the username and public e-mail of people known only by their numeric ID (step 2; needs a GitLab User Lookup API credential)',
	},
	{
		displayName: 'Match Same Username',
		name: 'matchUsername',
		type: 'boolean',
		default: true,
		description: 'Whether a GitLab username is looked up as the same Mattermost username (step 3, one request for all of them)',
	},
	{
		displayName: 'Match E-Mail',
		name: 'matchEmail',
		type: 'boolean',
		default: true,
		description:
			'Whether a real e-mail (GitLab shows non-public ones as [REDACTED]) is looked up on Mattermost (step 4). The Mattermost account must be allowed to see e-mails.',
	},
	{
		displayName: 'Only Members of a Channel',
		name: 'onlyChannelMembers',
		type: 'boolean',
		default: false,
		description: 'Whether only members of one Mattermost channel receive anything, so people opt in by joining it (step 5)',
	},
	{
		displayName: 'Team Name',
		name: 'team',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. engineering',
		description: 'The team as it appears in the Mattermost URL',
		displayOptions: { show: { onlyChannelMembers: [true] } },
	},
	{
		displayName: 'Channel Name',
		name: 'channel',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. gitlab-notifications',
		description: 'The channel as it appears in the Mattermost URL',
		displayOptions: { show: { onlyChannelMembers: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Cache Lookups For (Minutes)',
				name: 'cacheMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description:
					'How long found (and not found) people are remembered across executions, so a burst of events costs one lookup. 0 remembers nothing beyond one execution.',
			},
			{
				displayName: 'Exclude Actor',
				name: 'excludeActor',
				type: 'boolean',
				default: true,
				description:
					'Whether the person who caused the event (event.actor) is left out, reported on Unresolved with reason actor. Whoever started a pipeline, job or deployment (role pipeline_user) still hears how it ended.',
			},
			{
				displayName: 'Muted Event Kinds',
				name: 'mutedKinds',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Muted Kinds',
				default: {},
				description: 'Event kinds individual people do not want to hear about',
				options: [
					{
						name: 'entries',
						displayName: 'Muted Kinds',
						values: [
							{
								displayName: 'Mattermost Username',
								name: 'username',
								type: 'string',
								default: '',
								placeholder: 'e.g. jane.doe',
								description: 'Mattermost username of the person who muted these kinds',
							},
							{
								displayName: 'Event Kinds',
								name: 'kinds',
								type: 'string',
								default: '',
								placeholder: 'e.g. pipeline, merge_request:update',
								description: 'Comma-separated event kinds, or kind:action pairs, this person does not want',
							},
						],
					},
				],
			},
			{
				displayName: 'Muted Users',
				name: 'mutedUsers',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane.doe, sam',
				description: 'Comma-separated Mattermost usernames that never receive anything from this node',
			},
			{
				displayName: 'Recipient Limit per Event',
				name: 'recipientLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_RECIPIENT_LIMIT,
				description:
					'Most people one input item (one event) reaches, in the order they are listed. The rest are neither looked up nor told, and are reported once on Unresolved with reason over_limit. 0 means no limit.',
			},
			{
				displayName: 'Unresolved Output',
				name: 'unresolvedOutput',
				type: 'options',
				default: 'perPerson',
				options: [
					{
						name: 'One Item per Person',
						value: 'perPerson',
						description: 'Every person not reached, with reason and detail (actor, muted and bot included)',
					},
					{
						name: 'One Item per Event',
						value: 'perEvent',
						description:
							'One item per input item that has people who should have been reached and were not (not found, deactivated, ambiguous, not in the channel, over the limit): unreached lists them, detail says why in one text. Made for a single fallback post per event.',
					},
				],
			},
		],
	},
	stateStoreProperty,
];
