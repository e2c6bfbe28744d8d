/**
 * Send Message → Buttons: buttons and menus whose clicks go to a Mattermost Interaction Trigger, with a context
 * signed by the Mattermost Interaction API credential so the trigger can refuse anything it did not make.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { attachActions, buildActions, InteractiveError, signContext, type ActionInput, type Attachment, type ButtonStyle } from '../../../../core/mattermost';
import { parseSecretList } from '../../../../core/secrets';
import { jsonValue, splitList } from '../../../../core/util';
import { fail } from '../../item';

/** Mattermost's button styles, as Send Message → Buttons and Send and Wait offer them. */
export const BUTTON_STYLES = [
	{ name: 'Danger (Red)', value: 'danger' },
	{ name: 'Default', value: 'default' },
	{ name: 'Primary', value: 'primary' },
	{ name: 'Success (Green)', value: 'success' },
	{ name: 'Warning (Orange)', value: 'warning' },
];

export const buttonsUi: INodeProperties = {
	displayName: 'Buttons',
	name: 'buttonsUi',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Button or Menu',
	default: {},
	description:
		'Buttons and menus under the message. A click goes to a Mattermost Interaction Trigger, which needs the same Mattermost Interaction API credential as this node.',
	options: [
		{
			displayName: 'Button or Menu',
			name: 'button',
			values: [
				{
					displayName: 'Action ID',
					name: 'actionId',
					type: 'string',
					default: '',
					placeholder: 'e.g. acknowledge',
					description: 'Letters and digits; the trigger outputs it as action. Made from the label when empty.',
				},
				{
					displayName: 'Context (JSON)',
					name: 'context',
					type: 'json',
					default: '{}',
					description: 'More data for the trigger (output as context), e.g. the alert labels. Stored in Mattermost with the post, never shown to users.',
				},
				{
					displayName: 'Label',
					name: 'label',
					type: 'string',
					default: '',
					description: 'Text on the button, or of the menu before a choice. An empty label leaves the button out (e.g. an expression that is empty for resolved alerts).',
				},
				{
					displayName: 'Menu Options',
					name: 'options',
					type: 'string',
					default: '',
					placeholder: 'e.g. 1h, 4h, 1d',
					description: 'For a menu: the choices, separated by commas or one per line. The trigger outputs the chosen one as value.',
				},
				{
					displayName: 'Style',
					name: 'style',
					type: 'options',
					options: BUTTON_STYLES,
					default: 'default',
				},
				{
					displayName: 'Trigger URL',
					name: 'url',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://n8n.example.com/webhook/mattermost-interaction',
					description: 'Production URL of the Mattermost Interaction Trigger that receives the click',
				},
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					options: [
						{ name: 'Button', value: 'button' },
						{ name: 'Menu', value: 'select' },
					],
					default: 'button',
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Output as value when the button is clicked' },
			],
		},
	],
};

/** The attachments with the item's buttons added to the last one; unchanged when it has none. */
export async function withButtons(ctx: IExecuteFunctions, itemIndex: number, attachments: Attachment[]): Promise<Attachment[]> {
	// An empty label leaves the button out, so an expression can show a button only for some items.
	const entries = (((ctx.getNodeParameter('buttonsUi', itemIndex, {}) as IDataObject).button as IDataObject[] | undefined) ?? []).filter(
		(entry) => String(entry.label ?? '').trim() !== '',
	);
	if (entries.length === 0) return attachments;
	let secret: string;
	try {
		[secret] = parseSecretList((await ctx.getCredentials('mattermostInteractionApi', itemIndex)).secret);
	} catch {
		fail(ctx, itemIndex, 'Buttons need a Mattermost Interaction API credential', 'Select the same credential as in the Mattermost Interaction Trigger.');
	}
	if (!secret!) fail(ctx, itemIndex, 'The Mattermost Interaction API credential holds no secret');
	const contexts: IDataObject[] = [];
	const urls: string[] = [];
	const inputs: ActionInput[] = entries.map((entry, index) => {
		const url = String(entry.url ?? '').trim();
		if (!/^https?:\/\//i.test(url)) fail(ctx, itemIndex, `buttons[${index}].url must be the http(s) Production URL of a Mattermost Interaction Trigger`);
		let context: unknown;
		try {
			context = jsonValue(entry.context) ?? {};
		} catch (error) {
			fail(ctx, itemIndex, `buttons[${index}].context is not valid JSON: ${(error as Error).message}`);
		}
		if (!context || typeof context !== 'object' || Array.isArray(context)) fail(ctx, itemIndex, `buttons[${index}].context must be a JSON object`);
		urls.push(url);
		contexts.push(context as IDataObject);
		const options = splitList(String(entry.options ?? ''));
		return {
			label: String(entry.label ?? ''),
			id: String(entry.actionId ?? ''),
			type: entry.type === 'select' ? 'select' : 'button',
			style: (entry.style as ButtonStyle | undefined) ?? 'default',
			value: String(entry.value ?? ''),
			options: options.map((o) => ({ text: o, value: o })),
		};
	});
	try {
		const actions = buildActions(
			inputs,
			({ index }) => urls[index],
			({ id, value, index }) => signContext(secret, { ...contexts[index], action: id, value }),
		);
		return attachActions(attachments, actions);
	} catch (error) {
		if (error instanceof InteractiveError) fail(ctx, itemIndex, error.message, `Check the field ${error.field}.`);
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}
