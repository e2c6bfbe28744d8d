import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The secret that signs the context of buttons and menus (Send Message → Buttons) and that the Mattermost Interaction
 * Trigger checks. Mattermost signs nothing it sends to integrations, so this is what tells a real click on one of
 * this workflow's buttons from a forged request. It never leaves n8n: posts carry only the signature. There is no
 * service to test it against; the Mattermost Interaction Trigger checks that it holds a usable secret instead.
 */
export class MattermostInteractionApi implements ICredentialType {
	name = 'mattermostInteractionApi';

	displayName = 'Mattermost Interaction API';

	icon: Icon = { light: 'file:mattermostInteraction.svg', dark: 'file:mattermostInteraction.dark.svg' };

	// The community rule set requires a URL here and the older base rule set a docs.n8n.io slug; this package has no
	// page on docs.n8n.io.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl =
		'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/docs/nodes/mattermost-interaction-trigger.md#send-message--buttons-and-the-mattermost-interaction-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random string, e.g. from <code>openssl rand -hex 32</code>. Use the same credential in the Mattermost DevOps node that posts the buttons and in the Mattermost Interaction Trigger that receives them. To rotate, put the new secret on the first line and keep the old one on the next line until old posts no longer matter: buttons are signed with the first, clicks are accepted with any.',
		},
	];
}
