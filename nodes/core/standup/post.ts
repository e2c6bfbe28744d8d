/**
 * What the day's post carries: its state (the post's props are the state, so a restart or another queue-mode worker
 * sees the same) and the signed Fill in my standup button.
 */
import { buildActions, signContext, type PostAction } from '../mattermost';
import type { Rec } from '../util';
import { ROOT_PROP, type RootState } from './messages';

export const FILL_IN = 'fillIn';
export const SAVE_ANSWER = 'saveAnswer';

/** The Fill in my standup button, its context signed so the Interaction Trigger accepts its clicks. */
export function fillInButton(url: string, secret: string, root: string, date: string): PostAction[] {
	return buildActions(
		[{ label: 'Fill in my standup', id: FILL_IN, style: 'primary' }],
		() => url,
		({ id }) => signContext(secret, { action: id, value: '', root, date }),
	);
}

export const rootState = (post: { props?: unknown } | undefined): RootState | undefined => {
	const state = (post?.props as Rec | undefined)?.[ROOT_PROP] as RootState | undefined;
	return state && typeof state === 'object' && typeof state.date === 'string' ? state : undefined;
};
