import { candidates, identitiesOf, identitiesOfIds, identityOfId, mentionedIn, type Identity } from '../people';
import { clip, field, lookup, looseRecord, looseString, optionalString, requireNumber, requireRecord, requireString } from '../read';
import type { Color, Handled, Handler } from '../handler';
import { attributesTarget, fill, labelsOf, names, newlyAdded, objectWord, threadKey } from './common';

const COLORS: Record<string, Color> = { open: 'open', reopen: 'open', close: 'closed' };

/** Issues and work items (tasks, epics, incidents…): the same payload shape, told apart by `object_attributes.type`. */
export const handleIssue: Handler = (context) => {
	const { payload, project, rules, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	const iid = requireNumber(field(attributes, 'iid'), 'object_attributes.iid');
	const action = requireString(field(attributes, 'action'), 'object_attributes.action');
	const title = clip(optionalString(field(attributes, 'title'), 'object_attributes.title'), 500);
	const kindName = looseString(field(attributes, 'type'));
	const type = kindName ? kindName.toLowerCase().replace(/\s+/g, '_') : context.kind === 'work_item' ? 'work_item' : 'issue';
	const assignees: Identity[] = Array.isArray(field(payload, 'assignees'))
		? identitiesOf(field(payload, 'assignees'))
		: identitiesOfIds(field(attributes, 'assignee_ids'));
	const author = identityOfId(field(attributes, 'author_id'));
	const labels = labelsOf(field(payload, 'labels') ?? field(attributes, 'labels'));

	const result: Handled = {
		action,
		template: `issue:${action}`,
		target: attributesTarget(type, attributes, iid, title, null),
		reference: `#${iid}`,
		labels,
		candidates: [],
		values: { object: objectWord(type, words) },
		// Issues and work items share one iid sequence per project, and comments on either name them `Issue`.
		threadKey: threadKey(project, 'issue', iid),
		color: lookup(COLORS, action) ?? 'neutral',
		fields: [['labels', labels.join(words.listSeparator)]],
	};
	const updatedAt = looseString(field(attributes, 'updated_at'));
	if (updatedAt) result.dedupe = { id: result.target.id ?? iid, version: updatedAt };

	switch (action) {
		case 'open': {
			const description = clip(looseString(field(attributes, 'description')), 100_000);
			result.candidates = [
				...candidates('assignee', assignees),
				...(rules.notifyMentions ? candidates('mentioned', mentionedIn(description)) : []),
			];
			break;
		}
		case 'update': {
			const added = newlyAdded(looseRecord(field(payload, 'changes')), 'assignees');
			if (!added.length) return { ...result, skip: `filtered: ${context.kind} update without new assignees` };
			result.candidates = candidates('assignee', added);
			result.values.changes = fill(words.assigned, { names: names(added, words) });
			break;
		}
		case 'close':
		case 'reopen':
			result.candidates = [...candidates('author', [author]), ...candidates('assignee', assignees)];
			break;
		default:
			result.candidates = candidates('author', [author]);
	}
	return result;
};
