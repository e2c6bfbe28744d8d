/** Send and Wait for Response's parameters, read and checked: when to stop waiting, where to ask, who may answer. */
import {
	WAIT_INDEFINITELY,
	type IDataObject,
	type IExecuteFunctions,
	type INodeParameterResourceLocator,
} from 'n8n-workflow';

import { buildActions, parseUserList, type ActionInput, type Answerer, type ButtonStyle, type PostAction } from '../../../../core/mattermost';
import { splitList } from '../../../../core/util';
import { fail } from '../../item';
import type { ExecutionState } from '../../execution';
import { formFieldsFrom } from '../../../../shared/form-fields';

/** What the resume URL of each button says (covered by n8n's signature, so it cannot be changed by the caller). */
export interface ResumeParams {
	/** approve | decline | choice | form, or expire for the node's own expiry URL (see ./expiry). */
	a: string;
	/** The choice of a button. */
	v?: string;
	/** Who may answer, encoded by encodeAnswerers; absent for anyone. */
	who?: string;
	/** The question post, on the expiry URL. */
	p?: string;
}

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** When to stop waiting, from Limit Wait Time, like n8n's own send-and-wait nodes; WAIT_INDEFINITELY without one. */
export function waitTillFrom(ctx: IExecuteFunctions, options: IDataObject, now = Date.now()): Date {
	const limit = (options.limitWaitTime as IDataObject | undefined)?.values as IDataObject | undefined;
	if (!limit) return WAIT_INDEFINITELY;
	if (limit.limitType === 'atSpecifiedTime') {
		const at = new Date(String(limit.maxDateAndTime ?? ''));
		if (Number.isNaN(at.getTime())) fail(ctx, 0, 'options.limitWaitTime: Max Date and Time is not a valid date');
		return at;
	}
	const amount = Number(limit.resumeAmount ?? 0);
	const unit = UNIT_MS[String(limit.resumeUnit ?? 'hours')];
	if (!Number.isFinite(amount) || amount < 0 || !unit) fail(ctx, 0, 'options.limitWaitTime: the amount must be a number of minutes, hours or days');
	return new Date(now + amount * unit);
}

/** The buttons or menu of the response type, each with the signed resume URL it answers to. */
export function answerActions(ctx: IExecuteFunctions, who: string): PostAction[] {
	const responseType = ctx.getNodeParameter('responseType', 0) as string;
	const urlFor = (params: ResumeParams) => ctx.getSignedResumeUrl({ ...params, ...(who ? { who } : {}) } as Record<string, string>);
	if (responseType === 'approval') {
		const o = ctx.getNodeParameter('approvalOptions', 0, {}) as IDataObject;
		const inputs: ActionInput[] = [
			{ id: 'approve', label: String(o.approveLabel ?? 'Approve'), style: (o.approveStyle as ButtonStyle) ?? 'success', value: 'approve' },
		];
		if ((o.approvalType ?? 'double') === 'double') {
			inputs.push({ id: 'decline', label: String(o.declineLabel ?? 'Decline'), style: (o.declineStyle as ButtonStyle) ?? 'danger', value: 'decline' });
		}
		return buildActions(inputs, ({ value }) => urlFor({ a: value }), () => ({}), 'approvalOptions');
	}
	if (responseType === 'choice') {
		const choices = splitList(String(ctx.getNodeParameter('choices', 0, '') ?? ''));
		if (choices.length === 0) fail(ctx, 0, 'No choices given', 'Fill in Choices, separated by commas or one per line.');
		if (ctx.getNodeParameter('choiceStyle', 0, 'buttons') === 'menu') {
			const label = String(ctx.getNodeParameter('menuLabel', 0, 'Choose…'));
			const menu: ActionInput = { id: 'choose', label, type: 'select', options: choices.map((c) => ({ text: c, value: c })) };
			return buildActions([menu], () => urlFor({ a: 'choice' }), () => ({}), 'choices');
		}
		const buttons: ActionInput[] = choices.map((choice, index) => ({ id: `choice${index}`, label: choice, value: choice }));
		return buildActions(buttons, ({ value }) => urlFor({ a: 'choice', v: value }), () => ({}), 'choices');
	}
	// A form: the button opens a dialog, whose submissions go to the same URL (the body says which it is).
	formFieldsFrom(ctx.getNodeParameter('formFields', 0, {}));
	const label = String(ctx.getNodeParameter('formButtonLabel', 0, 'Respond')).trim() || 'Respond';
	const url = urlFor({ a: 'form' });
	return buildActions([{ id: 'respond', label, style: 'primary' }], () => url, () => ({ url }), 'formButtonLabel');
}

export async function targetChannel(ctx: IExecuteFunctions, state: ExecutionState): Promise<string> {
	const session = await state.session();
	if (ctx.getNodeParameter('sendTo', 0) === 'direct') {
		const [ref] = parseUserList(ctx.getNodeParameter('user', 0, ''));
		if (!ref) fail(ctx, 0, 'No user given');
		const user = await session.user(ref, { itemIndex: 0 });
		return (await session.directChannel(user.id, { itemIndex: 0 })).id;
	}
	const locator = ctx.getNodeParameter('channel', 0) as INodeParameterResourceLocator;
	const value = String(locator.value ?? '').trim();
	if (!value) fail(ctx, 0, 'No channel given');
	return locator.mode === 'name' ? (await session.channelByName(value, { itemIndex: 0 })).id : value;
}

export async function allowedUsers(ctx: IExecuteFunctions, state: ExecutionState): Promise<Answerer[]> {
	if (ctx.getNodeParameter('whoMayAnswer', 0, 'anyone') !== 'listed') return [];
	let refs;
	try {
		refs = parseUserList(ctx.getNodeParameter('allowedUsers', 0, ''));
	} catch (error) {
		fail(ctx, 0, `allowedUsers: ${(error as Error).message}`);
	}
	if (refs.length === 0) fail(ctx, 0, 'No allowed users given', 'List the Mattermost users who may answer, or let anyone in the channel answer.');
	const session = await state.session();
	await session.prefetch(refs, { itemIndex: 0 });
	const users: Answerer[] = [];
	for (const ref of refs) {
		const user = await session.user(ref, { itemIndex: 0 });
		users.push({ id: user.id, username: user.username });
	}
	return users;
}
