import type { UserProfile } from '@mattermost/types/users';
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { parseUserList, type UserReference } from '../../../../core/mattermost';
import type { ItemCall, MattermostSession } from '../../../../shared/mattermost-api';
import { fail, mattermostId } from '../../item';

export type SendTo = 'channel' | 'direct' | 'group';

/** One channel the message goes to, and how the output names it. */
export interface Target {
	channelId: string;
	sentTo: IDataObject;
}

/**
 * The channels of an item: the channel chosen, one DM per user, or one group channel. Every user is resolved before
 * anything is sent, so a wrong name fails the item without partial delivery.
 */
export async function resolveTargets(
	ctx: IExecuteFunctions,
	session: MattermostSession,
	call: ItemCall,
	sendTo: SendTo,
	knownRefs?: UserReference[],
): Promise<Target[]> {
	const { itemIndex } = call;
	if (sendTo === 'channel') {
		const locator = ctx.getNodeParameter('channel', itemIndex) as INodeParameterResourceLocator;
		const value = String(locator.value ?? '').trim();
		if (!value) fail(ctx, itemIndex, 'No channel given');
		const channelId = locator.mode === 'name' ? (await session.channelByName(value, call)).id : mattermostId(ctx, itemIndex, value, 'Channel ID');
		return [{ channelId, sentTo: { type: 'channel', channelId } }];
	}
	const refs = knownRefs ?? parseUserList(ctx.getNodeParameter('users', itemIndex));
	if (refs.length === 0) fail(ctx, itemIndex, 'No users given');
	await session.prefetch(refs, call);
	const users: UserProfile[] = [];
	for (const ref of refs) users.push(await session.user(ref, call));
	const who = (u: UserProfile) => ({ id: u.id, username: u.username });
	if (sendTo === 'group') {
		const channel = await session.groupChannel(users.map((u) => u.id), call);
		return [{ channelId: channel.id, sentTo: { type: 'group', channelId: channel.id, users: users.map(who) } }];
	}
	const targets: Target[] = [];
	for (const user of users) {
		const channel = await session.directChannel(user.id, call);
		targets.push({ channelId: channel.id, sentTo: { type: 'direct', channelId: channel.id, user: who(user) } });
	}
	return targets;
}

/** A channel found by name is remembered for minutes; once it is archived, the next item looks the name up again. */
export async function forgetArchivedChannel(ctx: IExecuteFunctions, session: MattermostSession, itemIndex: number): Promise<void> {
	const locator = ctx.getNodeParameter('channel', itemIndex) as INodeParameterResourceLocator;
	if (locator.mode === 'name') await session.forgetChannelByName(String(locator.value ?? ''), itemIndex);
}
