/** Mattermost interactive dialogs built from form fields, and their submissions read back into typed values. */
import { InteractiveError, type ActionOption } from './interactive';

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
