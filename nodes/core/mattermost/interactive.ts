/**
 * Interactive messages: buttons and menus on posts, and the outcome written back into a post after an answer.
 * Who may answer is in ./answerers, dialogs in ./dialogs, the signature of a button's context in ./signature.
 */
import type { Attachment } from './attachments';

export type ButtonStyle = 'default' | 'primary' | 'success' | 'good' | 'warning' | 'danger';

export interface ActionOption {
	text: string;
	value: string;
}

export interface PostAction {
	id: string;
	name: string;
	type: 'button' | 'select';
	style?: ButtonStyle;
	options?: ActionOption[];
	integration: { url: string; context: Record<string, unknown> };
}

/** One button or menu as the user describes it, before it gets its URL and context. */
export interface ActionInput {
	label: string;
	/** Letters and digits only (Mattermost's route takes `[A-Za-z0-9]+`); derived from the label when empty. */
	id?: string;
	type?: 'button' | 'select';
	style?: ButtonStyle;
	value?: string;
	options?: ActionOption[];
}

/** Raised for an action that Mattermost would refuse or never route; `field` names the offending input. */
export class InteractiveError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'InteractiveError';
	}
}

const ACTION_ID = /^[A-Za-z0-9]+$/;
const STYLES: ButtonStyle[] = ['default', 'primary', 'success', 'good', 'warning', 'danger'];
/** An action id from a label: its letters and digits, so "Silence 1 h" becomes "Silence1h". */
export function actionIdFrom(label: string): string {
	return label.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Mattermost actions from the user's buttons and menus. Each gets the URL Mattermost calls (`urlFor`) and a context
 * made by `contextFor` (which may sign it); ids must be unique in the post or the server runs the first one for every
 * click.
 */
export function buildActions(
	inputs: ActionInput[],
	urlFor: (action: { id: string; value: string; index: number }) => string,
	contextFor: (action: { id: string; value: string; index: number }) => Record<string, unknown>,
	where = 'buttons',
): PostAction[] {
	const seen = new Set<string>();
	return inputs.map((input, index) => {
		const field = `${where}[${index}]`;
		const label = String(input.label ?? '').trim();
		if (!label) throw new InteractiveError(`${field}.label is empty`, `${field}.label`);
		const id = String(input.id ?? '').trim() || actionIdFrom(label);
		if (!ACTION_ID.test(id)) {
			throw new InteractiveError(`${field}.id must be letters and digits only (Mattermost routes no other action ids), not '${id}'`, `${field}.id`);
		}
		if (seen.has(id)) throw new InteractiveError(`${field}.id '${id}' is used twice in this post`, `${field}.id`);
		seen.add(id);
		const type = input.type ?? 'button';
		const value = String(input.value ?? '');
		const action: PostAction = { id, name: label, type, integration: { url: urlFor({ id, value, index }), context: {} } };
		if (type === 'select') {
			const options = (input.options ?? []).filter((o) => String(o.text ?? '').trim());
			if (options.length === 0) throw new InteractiveError(`${field} is a menu without options`, `${field}.options`);
			action.options = options.map((o) => ({ text: String(o.text).trim(), value: String(o.value ?? '').trim() || String(o.text).trim() }));
		} else {
			const style = input.style ?? 'default';
			if (!STYLES.includes(style)) throw new InteractiveError(`${field}.style must be one of ${STYLES.join(', ')}`, `${field}.style`);
			action.style = style;
		}
		action.integration.context = contextFor({ id, value, index });
		return action;
	});
}

/** Adds the actions to the post's last attachment, or to a new one when the post has none. */
export function attachActions(attachments: Attachment[], actions: PostAction[]): Attachment[] {
	if (actions.length === 0) return attachments;
	if (attachments.length === 0) return [{ actions }];
	const last = attachments[attachments.length - 1];
	const existing = Array.isArray(last.actions) ? (last.actions as PostAction[]) : [];
	return [...attachments.slice(0, -1), { ...last, actions: [...existing, ...actions] }];
}

/** Attachments without their buttons and menus; attachments that held nothing else are dropped. */
export function removeActions(attachments: unknown): Attachment[] {
	if (!Array.isArray(attachments)) return [];
	const out: Attachment[] = [];
	for (const attachment of attachments as Attachment[]) {
		if (!attachment || typeof attachment !== 'object') continue;
		const { actions: _actions, ...rest } = attachment;
		if (Object.keys(rest).length > 0) out.push(rest);
	}
	return out;
}

/** Whether a post still shows an action with this id, or any action without one (after an answer they are gone). */
export function hasAction(props: Record<string, unknown> | undefined, actionId?: string): boolean {
	const attachments = props?.attachments;
	if (!Array.isArray(attachments)) return false;
	return attachments.some(
		(a) =>
			Array.isArray((a as Attachment)?.actions) &&
			((a as Attachment).actions as PostAction[]).some((x) => x && (actionId === undefined || x.id === actionId)),
	);
}

export interface PostUpdate {
	message: string;
	props: Record<string, unknown>;
}

/**
 * The post after an answer or expiry: its text with the outcome as a last line and its attachments without buttons.
 * Both are sent whole, because Mattermost replaces the post's message and props with what the integration returns.
 */
export function markPost(post: { message?: string; props?: Record<string, unknown> }, line: string): PostUpdate {
	const message = [String(post.message ?? '').trimEnd(), line].filter(Boolean).join('\n\n');
	const props: Record<string, unknown> = { ...(post.props ?? {}) };
	const attachments = removeActions(props.attachments);
	if (attachments.length) props.attachments = attachments;
	else delete props.attachments;
	return { message, props };
}

/** "10:42" in the given time zone (the workflow's), as Mattermost users read a time of day. */
export function clockTime(at: Date, timeZone: string): string {
	try {
		return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(at);
	} catch {
		return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(at);
	}
}

/** Fills {user}, {action}, {value} and {time} in a line the user wrote (e.g. ":eyes: @{user} is on it"). */
export function fillLine(template: string, values: { user: string; action?: string; value?: string; time: string }): string {
	return template.replace(/\{(user|action|value|time)\}/g, (_m, key: keyof typeof values) => String(values[key] ?? ''));
}
