import type { INodeProperties } from 'n8n-workflow';

/** Step 1: people whose GitLab and Mattermost names differ. */
export const mappingProperties: INodeProperties[] = [
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
];
