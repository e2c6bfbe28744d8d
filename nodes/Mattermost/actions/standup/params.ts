/** The standup settings read from the node, each error reported against the item and the setting. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseSecretList } from '../../../core/secrets';
import { parseAway, parseQuestions, parseSchedule, StandupError, type Absence, type Schedule } from '../../../core/standup';
import { jsonValue } from '../../../core/util';
import { fail } from '../item';

/** Runs a settings parser and reports its error against the item and the setting. */
export function setting<T>(ctx: IExecuteFunctions, itemIndex: number, read: () => T): T {
	try {
		return read();
	} catch (error) {
		if (error instanceof StandupError) fail(ctx, itemIndex, `${error.field}: ${error.message}`, `Check the standup setting ${error.field}.`);
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

const text = (ctx: IExecuteFunctions, itemIndex: number, name: string) => String(ctx.getNodeParameter(name, itemIndex, '') ?? '');

export function readQuestions(ctx: IExecuteFunctions, itemIndex: number): string[] {
	return setting(ctx, itemIndex, () => parseQuestions(ctx.getNodeParameter('questions', itemIndex, '')));
}

export function readSchedule(ctx: IExecuteFunctions, itemIndex: number): Schedule {
	return setting(ctx, itemIndex, () =>
		parseSchedule({
			timeZone: text(ctx, itemIndex, 'timeZone'),
			opensAt: text(ctx, itemIndex, 'opensAt'),
			closesAt: text(ctx, itemIndex, 'closesAt'),
			workingDays: text(ctx, itemIndex, 'workingDays'),
			holidays: text(ctx, itemIndex, 'holidays'),
		}),
	);
}

export function readAway(ctx: IExecuteFunctions, itemIndex: number): Absence[] {
	return setting(ctx, itemIndex, () => parseAway(ctx.getNodeParameter('away', itemIndex, '')));
}

/** The context a Mattermost Interaction Trigger output: which day's post the click or dialog belongs to. */
export function readContext(ctx: IExecuteFunctions, itemIndex: number): { root: string; date: string } {
	let context: unknown;
	try {
		context = jsonValue(ctx.getNodeParameter('context', itemIndex, {}));
	} catch (error) {
		fail(ctx, itemIndex, `Button Context is not valid JSON: ${(error as Error).message}`);
	}
	const { root, date } = (context ?? {}) as IDataObject;
	if (typeof root !== 'string' || !/^[a-z0-9]{26}$/.test(root) || typeof date !== 'string') {
		fail(ctx, itemIndex, 'Button Context does not name a standup post', 'Connect this node to a Mattermost Interaction Trigger that receives the Fill in my standup button.');
	}
	return { root, date };
}

export async function signingSecret(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	let secret: string | undefined;
	try {
		[secret] = parseSecretList((await ctx.getCredentials('mattermostInteractionApi', itemIndex)).secret);
	} catch {
		fail(ctx, itemIndex, 'The standup button needs a Mattermost Interaction API credential', 'Select the same credential as in the Mattermost Interaction Trigger.');
	}
	if (!secret) fail(ctx, itemIndex, 'The Mattermost Interaction API credential holds no secret');
	return secret;
}

export function buttonUrl(ctx: IExecuteFunctions, itemIndex: number): string {
	const url = text(ctx, itemIndex, 'buttonUrl').trim();
	if (!/^https?:\/\//i.test(url)) fail(ctx, itemIndex, 'Interaction Trigger URL must be the http(s) Production URL of a Mattermost Interaction Trigger');
	return url;
}
