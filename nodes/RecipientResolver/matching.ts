import type { INodeProperties } from 'n8n-workflow';

/** Steps 2 to 4: how people without a mapping are found on Mattermost. */
export const matchingProperties: INodeProperties[] = [
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
];
