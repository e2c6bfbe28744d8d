import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The token(s) Mattermost puts in outgoing-webhook and slash-command requests. They are secrets n8n receives, not
 * ones it sends, so there is no Mattermost endpoint to test them against; the Mattermost Command Trigger node checks
 * their format instead (its `testedBy` credential test).
 */
export class MattermostCommandTokenApi implements ICredentialType {
	name = 'mattermostCommandTokenApi';

	displayName = 'Mattermost Command Token API';

	icon: Icon = { light: 'file:mattermostCommandToken.svg', dark: 'file:mattermostCommandToken.dark.svg' };

	// The community rule set requires a URL here and the older base rule set a camelCase docs.n8n.io slug; a
	// community package has no page on docs.n8n.io, so the URL wins.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl =
		'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/docs/nodes/mattermost-command-trigger.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Tokens',
			name: 'tokens',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. 9ak3p1xq5bfo8ytc7gm4wzrhne',
			description:
				'The token Mattermost shows after you create the outgoing webhook or slash command (Integrations > Outgoing Webhooks or Slash Commands). Several tokens, for several webhooks or commands sharing this trigger, are separated by commas or new lines.',
		},
	];
}
