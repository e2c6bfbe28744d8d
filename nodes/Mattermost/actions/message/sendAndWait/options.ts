import type { INodeProperties } from 'n8n-workflow';

import { blockChannelMentionsOption } from '../../options';

/** Send and Wait for Response's Options: mentions, Limit Wait Time (see ./expiry) and the thread to ask in. */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		blockChannelMentionsOption,
		{
			displayName: 'Limit Wait Time',
			name: 'limitWaitTime',
			type: 'fixedCollection',
			default: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'hours' } },
			description:
				'Whether to stop waiting after some time. At the limit the post says it expired, its buttons are removed and the node outputs { timedOut: true }.',
			options: [
				{
					displayName: 'Values',
					name: 'values',
					values: [
						{
							displayName: 'Limit Type',
							name: 'limitType',
							type: 'options',
							default: 'afterTimeInterval',
							options: [
								{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Wait for a certain amount of time' },
								{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Wait until a date and time' },
							],
						},
						{
							displayName: 'Amount',
							name: 'resumeAmount',
							type: 'number',
							displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							typeOptions: { minValue: 0, numberPrecision: 2 },
							default: 1,
							description: 'The time to wait',
						},
						{
							displayName: 'Unit',
							name: 'resumeUnit',
							type: 'options',
							displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							options: [
								{ name: 'Minutes', value: 'minutes' },
								{ name: 'Hours', value: 'hours' },
								{ name: 'Days', value: 'days' },
							],
							default: 'hours',
							description: 'Unit of the interval value',
						},
						{
							displayName: 'Max Date and Time',
							name: 'maxDateAndTime',
							type: 'dateTime',
							displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
							default: '',
							description: 'Continue execution after the specified date and time',
						},
					],
				},
			],
		},
		{
			displayName: 'Reply To Post ID',
			name: 'rootId',
			type: 'string',
			default: '',
			description: 'ID of a root post in the same channel to ask in its thread; takes precedence over the thread key',
		},
	],
};
