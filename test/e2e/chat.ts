/** People clicking in the Mattermost stand-in for the interactive e2e: their tokens, clicks, private notes and posts. */
import { randomBytes } from 'node:crypto';

import type { Harness } from '../../playground/harness';
import type { Post } from '../../playground/standin/mattermost/state';

export type Scenario = (name: string, run: () => Promise<void>) => Promise<void>;

export const actionsOf = (post: Post) =>
	((post.props.attachments as Array<{ actions?: Array<{ id: string; name: string; integration?: { url: string; context: Record<string, unknown> } }> }>) ?? []).flatMap(
		(a) => a.actions ?? [],
	);

export async function openChat(h: Harness) {
	const people = h.world.people;
	const tokens: Record<string, string> = {};
	for (const p of Object.values(people)) if (p.mattermostId) tokens[p.key] = `tok${randomBytes(12).toString('hex')}`;
	await h.mattermost.seed({ tokens: Object.fromEntries(Object.entries(tokens).map(([key, token]) => [token, people[key].mattermostId])) });
	const approvals = h.world.channels.approvals;
	const mm = h.mattermost.url;
	const asUser = async (key: string, path: string, body: unknown) => {
		const res = await fetch(`${mm}/api/v4${path}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[key]}` },
			body: JSON.stringify(body),
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};
	const click = async (key: string, post: Post, actionId: string, selected?: string) =>
		await asUser(key, `/posts/${post.id}/actions/${actionId}`, selected ? { selected_option: selected } : {});
	const ephemerals = async () => await h.mattermost.control<Array<{ user_id: string; message: string }>>('GET', 'ephemerals');
	const postById = async (id: string) => (await h.mattermost.posts()).find((p) => p.id === id)!;
	return { h, people, tokens, approvals, mm, asUser, click, ephemerals, postById };
}

export type Chat = Awaited<ReturnType<typeof openChat>>;
