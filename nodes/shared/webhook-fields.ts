import * as n8nWorkflow from 'n8n-workflow';
import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Webhook description fields read from node parameters (`path`, `responseMode`), declared so that n8n (2.40 on)
 * resolves them from static parameters without the expression engine: each would otherwise be one evaluation in an
 * expression isolate per request. Older n8n 2.x versions lack these helpers and evaluate the same templates.
 */
export function fieldsFromParameters<Name extends string>(...names: Name[]): Record<Name, string> {
	if (typeof n8nWorkflow.webhookDescriptionFields === 'function') {
		return n8nWorkflow.webhookDescriptionFields(Object.fromEntries(names.map((name) => [name, n8nWorkflow.fromParameter(name)]))) as Record<Name, string>;
	}
	return Object.fromEntries(names.map((name) => [name, `={{$parameter["${name}"]}}`])) as Record<Name, string>;
}

/** The Respond choices of the Mattermost triggers: n8n's response modes, worded for what Mattermost does with them. */
export function respondOptions(immediately: string): INodePropertyOptions[] {
	return [
		{ name: 'Immediately', value: 'onReceived', description: immediately },
		{
			name: 'When Last Node Finishes',
			value: 'lastNode',
			description: "Answer with the first item's JSON from the last node that runs",
		},
		{
			name: "Using 'Respond to Webhook' Node",
			value: 'responseNode',
			description: 'Answer with what a Respond to Webhook node (version 1) sends',
		},
	];
}
