import { HANDLERS } from './registry';
import { LANGUAGES } from './templates';

export interface EventKind {
	/** GitLab's `object_kind`. */
	kind: string;
	label: string;
	/** Actions with a default template of their own. */
	actions: string[];
	/** Whether other actions (a pipeline's other statuses, say) have a default template too (`kind:*`). */
	otherActions: boolean;
}

/** The kinds the formatter handles, in the registry's order, with the actions their English templates name. */
export function eventKinds(): EventKind[] {
	const keys = Object.keys(LANGUAGES.en.templates);
	return Object.entries(HANDLERS).map(([kind, entry]) => {
		const prefix = `${entry.templates ?? kind}:`;
		const actions = keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
		return { kind, label: entry.label, actions: actions.filter((action) => action !== '*'), otherActions: actions.includes('*') };
	});
}
