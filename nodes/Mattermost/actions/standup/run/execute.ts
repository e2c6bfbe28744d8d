import type { Post } from '@mattermost/types/posts';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { clockTime } from '../../../../core/mattermost';
import { expectedToday, fillInButton, notAnswered, reminderMessage, rootMessage, ROOT_PROP, rootState, standupDay, zonedInstant, type RootState } from '../../../../core/standup';
import type { ExecutionState } from '../../execution';
import { buttonUrl, readAway, readQuestions, readSchedule, signingSecret } from '../params';
import { members, summarize } from '../summary';
import { readThread } from '../thread';

/**
 * One look at the clock: what the standup needs now. Everything it has done is read back from Mattermost (the
 * day's post carries `{ date, reminded, closed }` in its props), so running it every minute, on any worker or
 * after a restart, posts, reminds and summarizes exactly once.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, state: ExecutionState): Promise<INodeExecutionData[]> {
	const schedule = readSchedule(this, itemIndex);
	const questions = readQuestions(this, itemIndex);
	readAway(this, itemIndex);
	const url = buttonUrl(this, itemIndex);
	const day = standupDay(schedule, new Date());
	const closes = clockTime(day.closesAt, schedule.timeZone);
	const result = (action: string, more: IDataObject = {}): INodeExecutionData[] => [{ json: { action, date: day.date, phase: day.phase, ...more } }];
	if (day.phase === 'off') return result('nothing', { reason: day.reason });
	if (day.phase === 'before') return result('nothing', { reason: `the window opens at ${clockTime(day.opensAt, schedule.timeZone)}` });

	// Only a cache, so the afternoon's ticks ask Mattermost nothing; without it the post's props say the same.
	const cache = this.getWorkflowStaticData('node');
	if (day.phase === 'closed' && cache.standupClosed === day.date) return result('nothing', { reason: 'the summary is posted' });

	const session = await state.session();
	const call = { itemIndex };
	const { api } = session;
	const me = await session.me(call);
	const channel = await session.channelByName(String(this.getNodeParameter('channel', itemIndex, '')), call);
	const since = zonedInstant(day.date, 0, schedule.timeZone).getTime();
	const recent = await api.getPostsSince(channel.id, since, call);
	let root: Post | undefined = Object.values(recent.posts ?? {}).find(
		(p) => p.user_id === me.id && !p.root_id && !p.delete_at && rootState(p)?.date === day.date,
	);
	const done: string[] = [];
	if (!root) {
		if (day.phase === 'closed') return result('nothing', { reason: 'the window closed without a standup post' });
		const secret = await signingSecret(this, itemIndex);
		const posted = await api.createPost({ channel_id: channel.id, message: rootMessage(day.date, questions, closes), props: { [ROOT_PROP]: { date: day.date } } }, call);
		// The button's context names the post, so the post gets its button once it has an id.
		root = await api.patchPost({ id: posted.id, props: { ...posted.props, attachments: [{ actions: fillInButton(url, secret, posted.id, day.date) }] } }, call);
		done.push('posted');
	}
	const current = rootState(root) as RootState;
	const postId = root.id;
	// Mattermost hands posts out without their buttons' URLs, and a patch replaces all props: the button is made anew.
	const rootProps = async (next: RootState) => ({ [ROOT_PROP]: next, attachments: [{ actions: fillInButton(url, await signingSecret(this, itemIndex), postId, day.date) }] });
	let reminded: string[] = [];
	let missing: string[] | undefined;
	if (day.phase === 'remind' && !current.reminded) {
		const { answers } = await readThread(session, itemIndex, root.id, me.id);
		const everyone = await members(this, itemIndex, session, channel.id);
		const expected = expectedToday(everyone.map((u) => u.username), readAway(this, itemIndex), day.date);
		reminded = notAnswered(expected, answers.map((a) => a.username));
		const secret = await signingSecret(this, itemIndex);
		for (const username of reminded) {
			const user = everyone.find((u) => u.username === username)!;
			const dm = await session.directChannel(user.id, call);
			await api.createPost({ channel_id: dm.id, message: reminderMessage(day.date, closes), props: { attachments: [{ actions: fillInButton(url, secret, root.id, day.date) }] } }, call);
		}
		root = await api.patchPost({ id: root.id, props: await rootProps({ ...current, reminded: true }) }, call);
		done.push('reminded');
	}
	if (day.phase === 'closed' && !current.closed) {
		const { answers } = await readThread(session, itemIndex, root.id, me.id);
		const summary = await summarize(this, itemIndex, session, root, schedule, day.date, answers, day.closesAt);
		missing = summary.missing;
		root = await api.patchPost({ id: root.id, message: summary.message, props: await rootProps({ ...current, reminded: true, closed: true }) }, call);
		done.push('summarized');
	}
	if (day.phase === 'closed') cache.standupClosed = day.date;
	return result(done.join(', ') || 'nothing', { post_id: root.id, channel_id: channel.id, ...(done.includes('reminded') ? { reminded } : {}), ...(missing ? { missing } : {}) });
}
