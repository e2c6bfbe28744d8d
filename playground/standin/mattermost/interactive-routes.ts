/** The interactive routes (api4/integration_action.go) and the handlers they call (see ./actions). */
import { errors } from './http';
import type { SeedUser } from './state';

type Answer = { status: number; json: unknown };

export interface InteractionHandlers {
	doPostAction(postId: string, actionId: string, body: unknown, caller: SeedUser): Promise<Answer>;
	openDialog(body: unknown): Answer;
	submitDialog(body: unknown, caller: SeedUser): Promise<Answer>;
}

/** The routes this module serves, with whether they need a session. */
export function interactiveRoute(method: string, path: string): { kind: 'action' | 'open' | 'submit'; params: Record<string, string>; auth: boolean } | undefined {
	if (method !== 'POST') return undefined;
	const action = /^\/api\/v4\/posts\/([^/]+)\/actions\/([A-Za-z0-9]+)$/.exec(path);
	if (action) return { kind: 'action', params: { post_id: action[1], action_id: action[2] }, auth: true };
	if (path === '/api/v4/actions/dialogs/open') return { kind: 'open', params: {}, auth: false };
	if (path === '/api/v4/actions/dialogs/submit') return { kind: 'submit', params: {}, auth: true };
	return undefined;
}

export async function handleInteractive(
	interactions: InteractionHandlers,
	route: NonNullable<ReturnType<typeof interactiveRoute>>,
	json: unknown,
	caller: SeedUser,
): Promise<Answer> {
	if (route.kind === 'action') {
		if (!/^[a-z0-9]{26}$/.test(route.params.post_id)) throw errors.invalidUrlParam('post_id');
		return await interactions.doPostAction(route.params.post_id, route.params.action_id, json, caller);
	}
	if (route.kind === 'open') return interactions.openDialog(json);
	return await interactions.submitDialog(json, caller);
}
