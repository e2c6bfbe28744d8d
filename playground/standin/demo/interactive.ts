/**
 * Buttons, menus and dialogs on the demo page, answered as a person chosen at the top of the page: a click goes
 * through the stand-in exactly as a Mattermost client's POST /posts/{id}/actions/{action} would (the integration is
 * called, its `update` and `ephemeral_text` applied, failures shown as "Action failed to execute"), and the dialogs
 * an integration opened for that person appear as forms that submit like POST /actions/dialogs/submit.
 */
import type { EphemeralPost, OpenedDialog } from '../mattermost/actions';
import type { SeedUser } from '../mattermost/state';
import type { Attachment } from './attachment';
import { escapeHtml } from './html';

export const INTERACTIVE_CSS = `
.att-actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}.att-actions form{margin:0;display:flex;gap:4px}
.att-actions button,.dialog button{border:1px solid #d0d7de;border-radius:4px;background:#fff;padding:4px 12px;font-weight:600;font-size:13px;cursor:pointer;color:#1c58d9}
.att-actions button.primary{background:#1c58d9;color:#fff;border-color:#1c58d9}.att-actions button.success,.att-actions button.good{color:#06d6a0;border-color:#06d6a0}
.att-actions button.danger{color:#d24b4e;border-color:#d24b4e}.att-actions button.warning{color:#ffbc1f;border-color:#ffbc1f}
.att-actions select{border:1px solid #d0d7de;border-radius:4px;padding:3px 6px}
.answer-as{background:#fff;border-bottom:1px solid #e3e4e8;padding:8px 24px;display:flex;gap:8px;align-items:center}
.flash{margin:0 0 12px;padding:8px 12px;border-radius:4px;background:#fde8e8;color:#a4262c}.flash.ok{background:#e6f6ee;color:#1b7a4b}
.ephemeral{border-left:3px solid #8b8f99;padding:4px 10px;margin:4px 0;color:#5d6070;font-size:13px}.ephemeral b{color:#3f4350}
.dialog{border:1px solid #1c58d9;border-radius:6px;padding:12px 16px;margin-bottom:16px;background:#fff;max-width:520px}
.dialog h3{margin:0 0 6px}.dialog label{display:block;font-weight:600;margin-top:8px}.dialog small{display:block;color:#8b8f99;font-weight:normal}
.dialog input[type=text],.dialog textarea,.dialog select{width:100%;box-sizing:border-box;border:1px solid #d0d7de;border-radius:4px;padding:4px 6px;margin-top:2px}
.dialog .error{color:#d24b4e;font-size:12px}
`;

interface Action {
	id?: string;
	name?: string;
	type?: string;
	style?: string;
	options?: Array<{ text?: string; value?: string }>;
}

interface DialogElement {
	name: string;
	display_name?: string;
	type?: string;
	subtype?: string;
	optional?: boolean;
	help_text?: string;
	placeholder?: string;
	options?: Array<{ text?: string; value?: string }>;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

/** The buttons and menus of an attachment, as forms that click as the chosen person. */
export function actionsHtml(attachment: Attachment, postId: string, as: SeedUser | undefined): string {
	const actions = Array.isArray(attachment.actions) ? (attachment.actions as Action[]) : [];
	if (actions.length === 0) return '';
	const forms = actions.map((action) => {
		const common = hidden('post_id', postId) + hidden('action_id', String(action.id ?? '')) + (as ? hidden('as', as.username) : '');
		const disabled = as ? '' : ' disabled title="Choose whom to answer as, at the top of the page"';
		if (action.type === 'select') {
			const options = (action.options ?? []).map((o) => `<option value="${escapeHtml(String(o.value ?? ''))}">${escapeHtml(String(o.text ?? ''))}</option>`);
			return (
				`<form method="post" action="/click">${common}<select name="selected_option" aria-label="${escapeHtml(String(action.name ?? ''))}"${disabled}>` +
				`<option value="" disabled selected>${escapeHtml(String(action.name ?? ''))}</option>${options.join('')}</select>` +
				`<button type="submit"${disabled}>Choose</button></form>`
			);
		}
		return `<form method="post" action="/click">${common}<button type="submit" class="${escapeHtml(String(action.style ?? 'default'))}"${disabled}>${escapeHtml(String(action.name ?? ''))}</button></form>`;
	});
	return `<div class="att-actions">${forms.join('')}</div>`;
}

export function answerAsHtml(users: SeedUser[], as: SeedUser | undefined): string {
	const people = users.filter((u) => !u.is_bot && !u.delete_at);
	const options = people.map((u) => `<option value="${escapeHtml(u.username)}"${u.id === as?.id ? ' selected' : ''}>@${escapeHtml(u.username)}</option>`);
	return (
		`<form class="answer-as" method="get" action="/"><label for="as">Click buttons as</label>` +
		`<select id="as" name="as" onchange="this.form.submit()"><option value="">(nobody: buttons are read-only)</option>${options.join('')}</select>` +
		`<noscript><button type="submit">Use</button></noscript></form>`
	);
}

/** Private notes Mattermost showed the chosen person after their clicks ("Only visible to you"). */
export function ephemeralsHtml(ephemerals: EphemeralPost[], as: SeedUser | undefined): string {
	const mine = as ? ephemerals.filter((e) => e.user_id === as.id).slice(-5) : [];
	return mine.map((e) => `<div class="ephemeral"><b>(Only visible to you)</b> ${escapeHtml(e.message)}</div>`).join('');
}

function elementHtml(element: DialogElement, error: string | undefined): string {
	const name = escapeHtml(element.name);
	const label = `${escapeHtml(String(element.display_name ?? element.name))}${element.optional ? ' <small style="display:inline">(optional)</small>' : ''}`;
	const help = element.help_text ? `<small>${escapeHtml(element.help_text)}</small>` : '';
	const placeholder = element.placeholder ? ` placeholder="${escapeHtml(element.placeholder)}"` : '';
	let input: string;
	if (element.type === 'textarea') input = `<textarea name="${name}" rows="3"${placeholder}></textarea>`;
	else if (element.type === 'bool') input = `<input type="checkbox" name="${name}" value="true">`;
	else if (element.type === 'select') {
		const options = (element.options ?? []).map((o) => `<option value="${escapeHtml(String(o.value ?? ''))}">${escapeHtml(String(o.text ?? ''))}</option>`);
		input = `<select name="${name}"><option value=""></option>${options.join('')}</select>`;
	} else input = `<input type="text" name="${name}"${element.subtype === 'number' ? ' inputmode="decimal"' : ''}${placeholder}>`;
	return `<label>${label}${input}${help}${error ? `<span class="error">${escapeHtml(error)}</span>` : ''}</label>`;
}

/** The dialogs integrations opened for the chosen person (newest first), as forms. */
export function dialogsHtml(dialogs: OpenedDialog[], as: SeedUser | undefined, errors: Record<string, string> = {}): string {
	if (!as) return '';
	return dialogs
		.map((d, index) => ({ d, index }))
		.filter(({ d }) => d.user_id === as.id)
		.reverse()
		.map(({ d, index }) => {
			const dialog = d.dialog as { title?: string; introduction_text?: string; elements?: DialogElement[]; submit_label?: string };
			const fields = (dialog.elements ?? []).map((e) => elementHtml(e, errors[e.name])).join('');
			return (
				`<form class="dialog" method="post" action="/dialog">${hidden('dialog', String(index))}${hidden('as', as.username)}` +
				`<h3>${escapeHtml(String(dialog.title ?? ''))}</h3>${dialog.introduction_text ? `<p>${escapeHtml(dialog.introduction_text)}</p>` : ''}` +
				`${fields}<p><button type="submit" name="cancel" value="true">Cancel</button> <button type="submit">${escapeHtml(String(dialog.submit_label ?? 'Submit'))}</button></p></form>`
			);
		})
		.join('');
}

/** What a submitted dialog form holds, in the shape of a dialog submission (checkboxes as booleans). */
export function submissionFrom(dialog: OpenedDialog, form: URLSearchParams): Record<string, string | boolean> {
	const elements = ((dialog.dialog as { elements?: DialogElement[] }).elements ?? []);
	const submission: Record<string, string | boolean> = {};
	for (const element of elements) {
		if (element.type === 'bool') submission[element.name] = form.get(element.name) === 'true';
		else if (form.get(element.name)) submission[element.name] = form.get(element.name)!;
	}
	return submission;
}
