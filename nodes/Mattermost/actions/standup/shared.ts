/**
 * What the standup operations share: the settings read from the node, the day's post and its answers read back from
 * Mattermost (the post's props and the thread are the state, so a restart or another queue-mode worker sees the
 * same), the signed Fill in my standup button, and the summary.
 */
import type { Post } from '@mattermost/types/posts';
import type { UserProfile } from '@mattermost/types/users';
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { buildActions, clockTime, signContext, type PostAction } from '../../../core/mattermost';
import { parseSecretList } from '../../../core/secrets';
import {
	ANSWER_PROP,
	expectedToday,
	notAnswered,
	parseAway,
	parseMembers,
	parseQuestions,
	parseSchedule,
	ROOT_PROP,
	StandupError,
	summaryMessage,
	type Absence,
	type Answer,
	type RootState,
	type Schedule,
} from '../../../core/standup';
import { jsonValue } from '../../../core/util';
import type { MattermostSession } from '../../../shared/mattermost-api';
import { fail } from '../item';

export const FILL_IN = 'fillIn';
export const SAVE_ANSWER = 'saveAnswer';

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

/** The Fill in my standup button, its context signed so the Interaction Trigger accepts its clicks. */
export function fillInButton(url: string, secret: string, root: string, date: string): PostAction[] {
	return buildActions(
		[{ label: 'Fill in my standup', id: FILL_IN, style: 'primary' }],
		() => url,
		({ id }) => signContext(secret, { action: id, value: '', root, date }),
	);
}

export function buttonUrl(ctx: IExecuteFunctions, itemIndex: number): string {
	const url = text(ctx, itemIndex, 'buttonUrl').trim();
	if (!/^https?:\/\//i.test(url)) fail(ctx, itemIndex, 'Interaction Trigger URL must be the http(s) Production URL of a Mattermost Interaction Trigger');
	return url;
}

export const rootState = (post: Pick<Post, 'props'> | undefined): RootState | undefined => {
	const state = (post?.props as IDataObject | undefined)?.[ROOT_PROP] as RootState | undefined;
	return state && typeof state === 'object' && typeof state.date === 'string' ? state : undefined;
};

export interface Thread {
	answers: Answer[];
	/** The bot's reply per user id, to edit when the person answers again. */
	replies: Map<string, Post>;
}

/** The answers in the day's thread: the bot's replies that carry an answer, oldest first. */
export async function readThread(session: MattermostSession, itemIndex: number, rootId: string, botId: string): Promise<Thread> {
	const list = await session.api.getPostThread(rootId, { itemIndex });
	const replies = new Map<string, Post>();
	const posts = Object.values(list.posts ?? {}).sort((a, b) => a.create_at - b.create_at);
	for (const post of posts) {
		const answer = (post.props as IDataObject | undefined)?.[ANSWER_PROP] as IDataObject | undefined;
		if (post.user_id !== botId || post.root_id !== rootId || !answer || typeof answer.user_id !== 'string' || post.delete_at) continue;
		replies.set(answer.user_id, post);
	}
	const answers = [...replies.values()].map((post) => {
		const a = (post.props as IDataObject)[ANSWER_PROP] as IDataObject;
		return { userId: String(a.user_id), username: String(a.username ?? ''), answers: Array.isArray(a.answers) ? a.answers.map(String) : [] };
	});
	return { answers, replies };
}

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

export function noStandupPost(ctx: IExecuteFunctions, itemIndex: number): never {
	throw new NodeOperationError(ctx.getNode(), `The standup post of this button no longer exists (item ${itemIndex})`, { itemIndex });
}
