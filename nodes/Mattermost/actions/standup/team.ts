import type { INodeProperties } from 'n8n-workflow';

import { ops } from './show';

/** Who is expected to answer, and who is away. */
export const teamProperties: INodeProperties[] = [
	{
		displayName: 'Members',
		name: 'members',
		type: 'string',
		default: '',
		placeholder: 'e.g. ana, bo, cy',
		description: "Usernames expected to answer, separated by commas. Empty: the channel's members who are not bots.",
		displayOptions: ops('run', 'saveAnswer'),
	},
	{
		displayName: 'Away',
		name: 'away',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. ana 2026-12-01 to 2026-12-05',
		description: 'One absence per line: a username and a date or a date range. They are neither reminded nor listed as missing.',
		displayOptions: ops('run', 'saveAnswer'),
	},
];
