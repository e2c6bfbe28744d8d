import type { INodeProperties } from 'n8n-workflow';

import { ops } from './show';

/** When the standup window opens and closes, and on which days. */
export const scheduleProperties: INodeProperties[] = [
	{
		displayName: 'Opens At',
		name: 'opensAt',
		type: 'string',
		default: '09:00',
		description: 'When the questions are posted, in the time zone below (HH:mm)',
		displayOptions: ops('run', 'saveAnswer'),
	},
	{
		displayName: 'Closes At',
		name: 'closesAt',
		type: 'string',
		default: '10:00',
		description: 'When the post becomes the summary (HH:mm). The reminder goes out at 80% of the window.',
		displayOptions: ops('run', 'saveAnswer'),
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: 'Europe/Amsterdam',
		placeholder: 'e.g. America/New_York',
		description: "IANA name of the team's time zone; the window follows its daylight-saving changes",
		displayOptions: ops('run', 'saveAnswer'),
	},
	{
		displayName: 'Working Days',
		name: 'workingDays',
		type: 'string',
		default: 'Mon-Fri',
		placeholder: 'e.g. Mon, Tue, Thu',
		description: 'Days with a standup: names or ranges of Mon … Sun',
		displayOptions: ops('run', 'saveAnswer'),
	},
	{
		displayName: 'Holidays',
		name: 'holidays',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-12-24, 2026-12-25',
		description: 'Dates without a standup (YYYY-MM-DD), separated by commas',
		displayOptions: ops('run', 'saveAnswer'),
	},
];
