import type { INodeTypeDescription } from 'n8n-workflow';
import { GitlabEventFormatter } from '../../nodes/GitlabEventFormatter/GitlabEventFormatter.node';
import { MattermostCommandTrigger } from '../../nodes/MattermostCommandTrigger/MattermostCommandTrigger.node';
import { RecipientResolver } from '../../nodes/RecipientResolver/RecipientResolver.node';
import { SecureWebhookTrigger } from '../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';

/**
 * What saved workflows and users depend on: node type, parameter names, types, defaults, option values and display
 * names, where parameters show. Help texts (description, hint, placeholder) are left out so they can be reworded;
 * everything else must stay exactly as it was when the snapshot was taken, before the nodes were split.
 */
const KEPT = new Set(['displayName', 'name', 'type', 'default', 'required', 'options', 'values', 'value', 'displayOptions', 'typeOptions']);

function shape(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(shape);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value)
			.filter(([key]) => KEPT.has(key))
			.map(([key, inner]) => [key, shape(inner)]),
	);
}

function seen(description: INodeTypeDescription) {
	const { displayName, name, group, version, subtitle, defaults, inputs, outputs, outputNames, credentials, webhooks, usableAsTool } =
		description;
	return {
		// Entries only: what n8n resolves a webhook field with (a symbol key) is not something users see; the fields are.
		node: { displayName, name, group, version, subtitle, defaults, inputs, outputs, outputNames, credentials, webhooks: webhooks?.map((w) => Object.fromEntries(Object.entries(w))), usableAsTool },
		properties: description.properties.map(shape),
	};
}

describe('what users see of the nodes stays the same', () => {
	it.each([
		['GitLab Event Formatter', new GitlabEventFormatter().description],
		['Recipient Resolver', new RecipientResolver().description],
		['Mattermost Command Trigger', new MattermostCommandTrigger().description],
		['Secure Webhook Trigger', new SecureWebhookTrigger().description],
	])('%s: node type, parameters, defaults and options', (_, description) => {
		expect(seen(description)).toMatchSnapshot();
	});
});
