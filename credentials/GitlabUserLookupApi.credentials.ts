import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Read-only GitLab access for the Recipient Resolver, to turn the numeric user ids in webhook payloads into
 * usernames and public e-mails. Named apart from n8n's built-in `gitlabApi`, since credential type names are global.
 */
export class GitlabUserLookupApi implements ICredentialType {
	name = 'gitlabUserLookupApi';

	displayName = 'GitLab User Lookup API';

	icon: Icon = { light: 'file:gitlabUserLookupApi.svg', dark: 'file:gitlabUserLookupApi.dark.svg' };

	// A community package links a full URL; the camelCase slug form applies only inside n8n's main repository.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl = 'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/docs/nodes/recipient-resolver.md';

	properties: INodeProperties[] = [
		{
			displayName: 'GitLab Server',
			name: 'server',
			type: 'string',
			default: 'https://gitlab.com',
			description: 'Address of the GitLab instance, without /api/v4',
			required: true,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'A personal, group or project access token with the read_user (or read_api) scope. It is sent as the Private-Token header.',
			required: true,
		},
		// A boolean switch named like the one in n8n's own credentials, not a secret ("cert" trips the name check).
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
				'Private-Token': '={{$credentials.accessToken}}',
			},
		},
	};

	// GET /user answers 401 for a wrong or expired token, so the test fails with GitLab's own message.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.server.replace(/\\/+$/, "")}}/api/v4',
			url: '/user',
			skipSslCertificateValidation: '={{$credentials.allowUnauthorizedCerts}}',
		},
	};
}
