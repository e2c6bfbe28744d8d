import type { INodeProperties } from 'n8n-workflow';

/** Most people one event reaches unless the node says otherwise: a delivery naming hundreds costs hundreds of DMs. */
export const DEFAULT_RECIPIENT_LIMIT = 20;

export const optionsProperty: INodeProperties = {
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
};
