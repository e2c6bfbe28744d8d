import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { neutraliseMessage, readSubmission } from '../../../../core/mattermost';
import { ANSWER_PROP, answerMessage, answersFrom, questionFields, rootState, standupDay, zonedInstant } from '../../../../core/standup';
import { jsonValue } from '../../../../core/util';
import { fail } from '../../item';
import type { ExecutionState } from '../../execution';
import { readContext, readQuestions, readSchedule } from '../params';
import { summarize } from '../summary';
import { noStandupPost, readThread } from '../thread';

/**
 * Puts a submitted answer into the day's thread: a reply by the bot naming the person (no mention), or an edit of
 * their earlier reply. After the window closed, the summary is written again so a late answer counts. Mattermost
 * itself asks for the required fields; a submission without them (not made in Mattermost's dialog) posts nothing
 * and outputs the field `errors`.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, state: ExecutionState): Promise<INodeExecutionData[]> {
	const questions = readQuestions(this, itemIndex);
	const schedule = readSchedule(this, itemIndex);
	const { root: rootId, date } = readContext(this, itemIndex);
	const userId = String(this.getNodeParameter('userId', itemIndex, '') ?? '').trim();
	let submission: unknown;
	try {
		submission = jsonValue(this.getNodeParameter('submission', itemIndex, {}));
	} catch (error) {
		fail(this, itemIndex, `Submission is not valid JSON: ${(error as Error).message}`);
	}
	const { errors } = readSubmission(questionFields(questions), submission);
	if (errors) return [{ json: { errors } }];
	const answers = answersFrom(questions, (submission ?? {}) as Record<string, unknown>).map((a) => neutraliseMessage(a, []).message);

	const session = await state.session();
	const call = { itemIndex };
	const me = await session.me(call);
	const user = await session.user({ kind: 'id', value: userId, raw: userId }, call);
	let root = await session.api.getPost(rootId, call).catch(() => undefined);
	const current = rootState(root);
	if (!root || current?.date !== date) noStandupPost(this, itemIndex);
	const thread = await readThread(session, itemIndex, root.id, me.id);
	const message = answerMessage(user.username, questions, answers);
	const props = { [ANSWER_PROP]: { user_id: user.id, username: user.username, answers } };
	const earlier = thread.replies.get(user.id);
	const reply = earlier
		? await session.api.patchPost({ id: earlier.id, message, props: { ...earlier.props, ...props } }, call)
		: await session.api.createPost({ channel_id: root.channel_id, root_id: root.id, message, props }, call);
	const saved = earlier ? 'edited' : 'created';

	let summaryUpdated = false;
	if (current.closed) {
		const all = [...thread.answers.filter((a) => a.userId !== user.id), { userId: user.id, username: user.username, answers }];
		const closesAt = zonedInstant(date, schedule.closesAt, schedule.timeZone);
		const { message: summary } = await summarize(this, itemIndex, session, root, schedule, date, all, closesAt);
		// Only the text: without props Mattermost keeps the post's own, its button included.
		root = await session.api.patchPost({ id: root.id, message: summary }, call);
		summaryUpdated = true;
	}
	const late = standupDay(schedule, new Date()).date !== date || current.closed === true;
	return [{ json: { saved, post_id: reply.id, root_id: root.id, date, user: { id: user.id, username: user.username }, answers, late, summaryUpdated } as IDataObject }];
}
