import type { Post } from '@mattermost/types/posts';
import type { UserProfile } from '@mattermost/types/users';
import type { IExecuteFunctions } from 'n8n-workflow';

import { clockTime } from '../../../core/mattermost';
import { expectedToday, notAnswered, parseMembers, summaryMessage, type Answer, type Schedule } from '../../../core/standup';
import type { MattermostSession } from '../../../shared/mattermost-api';
import { readAway, readQuestions } from './params';

/** The members expected to answer: the listed usernames, or the channel's members who are not bots (nor deactivated). */
export async function members(ctx: IExecuteFunctions, itemIndex: number, session: MattermostSession, channelId: string): Promise<UserProfile[]> {
	const listed = parseMembers(ctx.getNodeParameter('members', itemIndex, ''));
	if (listed.length) {
		const users: UserProfile[] = [];
		for (const username of listed) users.push(await session.user({ kind: 'username', value: username, raw: username }, { itemIndex }));
		return users;
	}
	const me = await session.me({ itemIndex });
	const out: UserProfile[] = [];
	const perPage = 200;
	for (let page = 0; ; page++) {
		const batch = await session.api.getProfilesInChannel(channelId, page, perPage, { active: true }, { itemIndex });
		out.push(...batch.filter((u) => !u.is_bot && !u.delete_at && u.id !== me.id));
		if (batch.length < perPage) break;
	}
	return out;
}

/** The summary the day's post becomes after the window closed (and again after a late answer). */
export async function summarize(
	ctx: IExecuteFunctions,
	itemIndex: number,
	session: MattermostSession,
	root: Post,
	schedule: Schedule,
	date: string,
	answers: Answer[],
	closesAt: Date,
): Promise<{ message: string; missing: string[] }> {
	const everyone = await members(ctx, itemIndex, session, root.channel_id);
	const away = readAway(ctx, itemIndex);
	const usernames = everyone.map((u) => u.username);
	const expected = expectedToday(usernames, away, date);
	const missing = notAnswered(expected, answers.map((a) => a.username));
	const awayToday = usernames.filter((u) => !expected.includes(u) && !answers.some((a) => a.username === u));
	const message = summaryMessage({ date, answers, missing, away: awayToday, closedAt: clockTime(closesAt, schedule.timeZone), questionCount: readQuestions(ctx, itemIndex).length });
	return { message, missing };
}
