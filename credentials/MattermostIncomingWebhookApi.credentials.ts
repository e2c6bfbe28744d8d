import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

export class MattermostIncomingWebhookApi implements ICredentialType {
	name = 'mattermostIncomingWebhookApi';

	displayName = 'Mattermost Incoming Webhook API';

	icon: Icon = { light: 'file:mattermostIncomingWebhookApi.svg', dark: 'file:mattermostIncomingWebhookApi.dark.svg' };

	// The community rule set wants a URL, the older base rule set a docs.n8n.io slug; this package has no page there.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl = 'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/docs/nodes/mattermost-devops.md#credentials';

	properties: INodeProperties[] = [
		// The hook id in the URL is the only thing that authorises posting, so the URL is a secret.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'https://chat.example.com/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx',
			description: 'The incoming webhook URL from Mattermost (Integrations > Incoming Webhooks). Anyone with it can post, so it is kept secret.',
			required: true,
		},
		{
			displayName: 'Default Channel',
			name: 'channel',
			type: 'string',
			default: '',
			placeholder: 'town-square',
			description: 'Channel name (or @username for a direct message) used when the node does not override it. Empty uses the channel the webhook was created for.',
		},
		{
			displayName: 'Default Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'Name shown on the posts; Mattermost shows it only when "Enable integrations to override usernames" is on',
		},
		{
			displayName: 'Default Icon URL',
			name: 'iconUrl',
			type: 'string',
			default: '',
			description: 'Picture shown on the posts; Mattermost shows it only when "Enable integrations to override profile picture icons" is on',
		},
	];
}
