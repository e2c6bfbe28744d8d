import type { IWebhookFunctions } from 'n8n-workflow';
import type { OutgoingReplyPlace, SlashResponseType } from '../core/commands';
import { splitList } from '../core/util';

/** Which commands start the workflow and whose posts never do. */
export function commandFilterOf(ctx: IWebhookFunctions): { accepted: string[]; ignoreBots: boolean; ignoreUsers: string } {
	const ignoreBots = ctx.getNodeParameter('ignoreBots', true) as boolean;
	return {
		accepted: splitList(ctx.getNodeParameter('acceptedCommands', '') as string),
		ignoreBots,
		ignoreUsers: ignoreBots ? (ctx.getNodeParameter('ignoreUsers', '') as string) : '',
	};
}

/** The answer given at once when Respond is Immediately. */
export function acknowledgementOf(ctx: IWebhookFunctions): {
	acknowledgement: string;
	slashResponseType: SlashResponseType;
	outgoingReplyPlace: OutgoingReplyPlace;
} {
	return {
		acknowledgement: ctx.getNodeParameter('acknowledgement', '') as string,
		slashResponseType: ctx.getNodeParameter('slashResponseType', 'ephemeral') as SlashResponseType,
		outgoingReplyPlace: ctx.getNodeParameter('outgoingReplyPlace', 'thread') as OutgoingReplyPlace,
	};
}
