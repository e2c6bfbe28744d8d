import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A Redis where the package's nodes keep their state (State Store: Redis), for several regular-mode n8n mains that
 * must agree, or to keep it apart from n8n's own queue-mode Redis. Queue mode needs none: the nodes use n8n's Redis.
 */
export class MattermostDevopsRedisApi implements ICredentialType {
	name = 'mattermostDevopsRedisApi';

	displayName = 'Mattermost DevOps State (Redis) API';

	icon: Icon = { light: 'file:mattermostDevopsRedis.svg', dark: 'file:mattermostDevopsRedis.dark.svg' };

	// See WebhookSecretApi: a community package has no page on docs.n8n.io, so the URL wins.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl = 'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/docs/operations.md#where-the-nodes-keep-their-state';

	properties: INodeProperties[] = [
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost', required: true, description: 'Host name or address of the Redis server' },
		{ displayName: 'Port', name: 'port', type: 'number', default: 6379, description: 'Port of the Redis server' },
		{ displayName: 'Database Number', name: 'database', type: 'number', default: 0, description: 'Redis database index (0-15 on a default Redis)' },
		{ displayName: 'User', name: 'user', type: 'string', default: '', description: 'ACL user name; empty for the default user' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '', description: 'Password; empty when Redis has none' },
		{ displayName: 'SSL', name: 'ssl', type: 'boolean', default: false, description: 'Whether to connect with TLS' },
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'skipTlsVerification',
			type: 'boolean',
			default: false,
			displayOptions: { show: { ssl: [true] } },
			description: 'Whether to connect even if the server certificate cannot be validated',
		},
	];
}
