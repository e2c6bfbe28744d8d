import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { buildDialog, signContext } from '../../../../core/mattermost';
import { questionFields, rootState, SAVE_ANSWER } from '../../../../core/standup';
import { fail } from '../../item';
import type { ExecutionState } from '../../execution';
import { buttonUrl, readContext, readQuestions, signingSecret } from '../params';
import { noStandupPost, readThread } from '../thread';

/**
 * Opens the answer dialog for the person who clicked, filled with their earlier answer when they answer again.
 * Mattermost's trigger_id lives for its integration timeout (30 s by default), so this runs straight after the click.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, state: ExecutionState): Promise<INodeExecutionData[]> {
	const questions = readQuestions(this, itemIndex);
	const { root, date } = readContext(this, itemIndex);
	const url = buttonUrl(this, itemIndex);
	const triggerId = String(this.getNodeParameter('triggerId', itemIndex, '') ?? '').trim();
	const userId = String(this.getNodeParameter('userId', itemIndex, '') ?? '').trim();
	if (!triggerId) fail(this, itemIndex, 'No Trigger ID: this node answers a click received by a Mattermost Interaction Trigger');
	const session = await state.session();
	const call = { itemIndex };
	const me = await session.me(call);
	const post = await session.api.getPost(root, call).catch(() => undefined);
	if (!post || rootState(post)?.date !== date) noStandupPost(this, itemIndex);
	const earlier = (await readThread(session, itemIndex, root, me.id)).answers.find((a) => a.userId === userId);
	const secret = await signingSecret(this, itemIndex);
	const dialog = buildDialog({
		title: `Standup ${date}`,
		submitLabel: earlier ? 'Update' : 'Save',
		fields: questionFields(questions),
		// Signed like a click the Interaction Trigger received, so its submission is accepted from this person only.
		state: JSON.stringify(signContext(secret, { action: SAVE_ANSWER, value: '', context: { root, date }, user: { id: userId, username: '' } })),
	});
	const elements = dialog.elements.map((element, i) => (earlier?.answers[i] ? { ...element, default: earlier.answers[i] } : element));
	await session.api.openDialog({ trigger_id: triggerId, url, dialog: { ...dialog, elements } } as unknown as IDataObject, { itemIndex, retries: 1, timeoutMs: 8_000 });
	return [{ json: { dialog: 'opened', date, post_id: root, user_id: userId, answeredBefore: Boolean(earlier) } }];
}
