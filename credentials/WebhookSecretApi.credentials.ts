import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The shared secret(s) a sender (GitLab, Grafana, Alertmanager, …) puts in its webhook requests. n8n receives them
 * rather than sends them, so there is no service to test them against; the Secure Webhook Trigger node checks that
 * the credential holds usable secrets instead (its `testedBy` credential test).
 */
export class WebhookSecretApi implements ICredentialType {
	name = 'webhookSecretApi';

	displayName = 'Webhook Secret API';

	icon: Icon = { light: 'file:webhookSecret.svg', dark: 'file:webhookSecret.dark.svg' };

	// The community rule set requires a URL here and the older base rule set a camelCase docs.n8n.io slug; a
	// community package has no page on docs.n8n.io, so the URL wins.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl =
		'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/docs/nodes/secure-webhook-trigger.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The secret the sender presents: GitLab's Secret token, or the credentials of a Grafana or Alertmanager Bearer authorization (without the word Bearer). Use a long random string, e.g. from <code>openssl rand -hex 32</code>. To rotate, add the new secret on a new line (or after a comma), switch the sender over, then remove the old one.",
		},
	];
}
