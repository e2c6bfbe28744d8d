import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class MattermostDevopsApi implements ICredentialType {
	name = 'mattermostDevopsApi';

	displayName = 'Mattermost DevOps API';

	icon: Icon = { light: 'file:mattermostDevopsApi.svg', dark: 'file:mattermostDevopsApi.dark.svg' };

	// The community rule set wants a URL, the older base rule set a docs.n8n.io slug; this package has no page there.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl = 'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/docs/nodes/mattermost-devops.md#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://chat.example.com',
			description: 'Address of the Mattermost server, without /api/v4',
			required: true,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'A bot account token (recommended) or a personal access token. Messages are posted as this account, so add it to the teams and channels it should post in.',
			required: true,
		},
		{
			displayName:
				'Use a bot account token (Integrations > Bot Accounts). A personal access token needs System Console > Integrations > Enable Personal Access Tokens, and on servers that enforce multi-factor authentication it only works for users with MFA set up; bots are exempt. Add the bot to every team whose members it must message when direct messages are restricted to teammates.',
			name: 'botAccountNotice',
			type: 'notice',
			default: '',
		},
		// The name is fixed by the package's credential contract (and matches n8n's own Mattermost credential); it holds a
		// switch, not a secret.
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			default: false,
			description: 'Whether to connect even if the server certificate cannot be verified (self-signed or internal CA)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// GET users/me/teams needs a valid session, so a wrong token or URL fails here with the server's own message. Not
	// GET users/me: with enforced MFA that one route still answers a personal token of a user without MFA, which
	// every other call then refuses (403 api.context.mfa_required.app_error).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/api/v4',
			url: '/users/me/teams',
			skipSslCertificateValidation: '={{$credentials.allowUnauthorizedCerts}}',
		},
	};
}
