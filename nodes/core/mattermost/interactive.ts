/**
 * Interactive messages: buttons and menus on posts, the outcome written back into a post after an answer, interactive
 * dialogs built from form fields, and the signature that lets the Interaction Trigger tell its own buttons from forged
 * requests (Mattermost signs nothing it sends to an integration; it keeps `integration` off what clients see, so a
 * signature in the action's context is the documented way to authenticate a click).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

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
/** The context key the signature goes in; Mattermost adds `selected_option` to a menu's context, so it is not signed. */
export const SIGNATURE_KEY = 'mmdevops_sig';
const UNSIGNED_KEYS = new Set([SIGNATURE_KEY, 'selected_option']);

/** An action id from a label: its letters and digits, so "Silence 1 h" becomes "Silence1h". */
export function actionIdFrom(label: string): string {
	return label.replace(/[^A-Za-z0-9]/g, '');
}

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

function contextDigest(secret: string, context: Record<string, unknown>): string {
	const signed = Object.fromEntries(Object.entries(context).filter(([key]) => !UNSIGNED_KEYS.has(key)));
	return createHmac('sha256', secret).update(canonical(signed)).digest('hex');
}

/** The context with its signature added (HMAC-SHA256 over the sorted context with the secret). */
export function signContext(secret: string, context: Record<string, unknown>): Record<string, unknown> {
	if (!secret) throw new InteractiveError('The signing secret is empty', 'secret');
	return { ...context, [SIGNATURE_KEY]: contextDigest(secret, context) };
}

/**
 * Whether the context carries a signature made with one of the secrets (several while a secret is being rotated),
 * compared in constant time.
 */
export function verifyContext(secrets: string[], context: unknown): boolean {
	if (!context || typeof context !== 'object' || Array.isArray(context)) return false;
	const presented = (context as Record<string, unknown>)[SIGNATURE_KEY];
	if (typeof presented !== 'string' || !/^[0-9a-f]{64}$/.test(presented)) return false;
	let valid = false;
	for (const secret of secrets) {
		if (!secret) continue;
		const expected = Buffer.from(contextDigest(secret, context as Record<string, unknown>), 'hex');
		if (timingSafeEqual(expected, Buffer.from(presented, 'hex'))) valid = true;
	}
	return valid;
}

/** The context as the workflow should see it: without the signature. */
export function withoutSignature(context: unknown): Record<string, unknown> {
	if (!context || typeof context !== 'object' || Array.isArray(context)) return {};
	const { [SIGNATURE_KEY]: _signature, ...rest } = context as Record<string, unknown>;
	return rest;
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

export interface Answerer {
	id: string;
	username: string;
}

/** Who may answer: nobody listed means anyone who can click (anyone in the channel). */
export function mayAnswer(allowed: Answerer[], userId: string): boolean {
	return allowed.length === 0 || allowed.some((u) => u.id === userId);
}

/** The allowed users as one URL parameter ("id:username,…"), which the resume URL's signature covers. */
export function encodeAnswerers(users: Answerer[]): string {
	return users.map((u) => `${u.id}:${u.username}`).join(',');
}

export function decodeAnswerers(value: unknown): Answerer[] {
	if (typeof value !== 'string' || !value) return [];
	return value.split(',').map((pair) => {
		const [id, username = ''] = pair.split(':');
		return { id, username };
	});
}

export function notForYou(users: Answerer[]): string {
	return `This request is for ${users.map((u) => `@${u.username}`).join(', ')}.`;
}

// --- Interactive dialogs ---------------------------------------------------------------------------------------

export type FormFieldType = 'text' | 'textarea' | 'number' | 'select' | 'bool';

export interface FormField {
	label: string;
	/** Key in the submission and in the node's output; derived from the label when empty. */
	name?: string;
	type: FormFieldType;
	required?: boolean;
	help?: string;
	/** Choices of a select, one per line or comma-separated. */
	options?: string[];
	placeholder?: string;
}

export interface DialogElement {
	display_name: string;
	name: string;
	type: 'text' | 'textarea' | 'select' | 'bool';
	subtype?: 'number';
	optional: boolean;
	help_text?: string;
	placeholder?: string;
	options?: ActionOption[];
}

export interface Dialog {
	callback_id: string;
	title: string;
	introduction_text?: string;
	elements: DialogElement[];
	submit_label: string;
	notify_on_cancel: boolean;
	state: string;
}

/** Mattermost's limits (model.IsValid on dialogs): longer values are cut so the dialog still opens. */
const DIALOG_TITLE_MAX = 24;
const DISPLAY_NAME_MAX = 24;
const HELP_MAX = 150;

const cut = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text);

export function fieldName(field: FormField): string {
	const explicit = String(field.name ?? '').trim();
	if (explicit) return explicit;
	return (
		field.label
			.trim()
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^_+|_+$/g, '') || 'field'
	);
}

export function dialogElements(fields: FormField[], where = 'formFields'): DialogElement[] {
	if (fields.length === 0) throw new InteractiveError(`${where} is empty: a form needs at least one field`, where);
	const names = new Set<string>();
	return fields.map((field, index) => {
		const label = String(field.label ?? '').trim();
		if (!label) throw new InteractiveError(`${where}[${index}].label is empty`, `${where}[${index}].label`);
		const name = fieldName(field);
		if (names.has(name)) throw new InteractiveError(`${where}[${index}] uses the name '${name}' twice`, `${where}[${index}].name`);
		names.add(name);
		const element: DialogElement = {
			display_name: cut(label, DISPLAY_NAME_MAX),
			name,
			type: field.type === 'number' ? 'text' : field.type,
			optional: field.required !== true,
		};
		if (field.type === 'number') element.subtype = 'number';
		if (field.help) element.help_text = cut(field.help, HELP_MAX);
		if (field.placeholder) element.placeholder = cut(field.placeholder, HELP_MAX);
		if (field.type === 'select') {
			const options = (field.options ?? []).map((o) => o.trim()).filter(Boolean);
			if (options.length === 0) throw new InteractiveError(`${where}[${index}] is a select without options`, `${where}[${index}].options`);
			element.options = options.map((o) => ({ text: o, value: o }));
		}
		// A yes/no that must be answered would force "yes"; Mattermost shows it as a checkbox.
		if (field.type === 'bool') element.optional = true;
		return element;
	});
}

export function buildDialog(input: { title: string; introduction?: string; submitLabel?: string; fields: FormField[]; state: string }): Dialog {
	const title = cut(String(input.title ?? '').trim() || 'Respond', DIALOG_TITLE_MAX);
	return {
		callback_id: 'mmdevops-form',
		title,
		...(input.introduction ? { introduction_text: input.introduction } : {}),
		elements: dialogElements(input.fields),
		submit_label: String(input.submitLabel ?? '').trim() || 'Submit',
		notify_on_cancel: false,
		state: input.state,
	};
}

/**
 * The submitted values in the shape the fields promise (numbers as numbers, yes/no as booleans), or per-field errors
 * in the shape Mattermost shows next to each field while the dialog stays open.
 */
export function readSubmission(
	fields: FormField[],
	submission: unknown,
): { values: Record<string, string | number | boolean | null>; errors?: Record<string, string> } {
	const raw = submission && typeof submission === 'object' ? (submission as Record<string, unknown>) : {};
	const values: Record<string, string | number | boolean | null> = {};
	const errors: Record<string, string> = {};
	for (const field of fields) {
		const name = fieldName(field);
		const value = raw[name];
		const blank = value === undefined || value === null || value === '';
		if (field.type === 'bool') {
			values[name] = value === true || value === 'true';
			continue;
		}
		if (blank) {
			if (field.required) errors[name] = 'This field is required.';
			values[name] = null;
			continue;
		}
		if (field.type === 'number') {
			const n = Number(value);
			if (!Number.isFinite(n)) errors[name] = 'Enter a number.';
			values[name] = Number.isFinite(n) ? n : null;
			continue;
		}
		if (field.type === 'select' && field.options && !field.options.map((o) => o.trim()).includes(String(value))) {
			errors[name] = 'Choose one of the options.';
		}
		values[name] = String(value);
	}
	return Object.keys(errors).length ? { values, errors } : { values };
}
