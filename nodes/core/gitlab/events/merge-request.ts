import { candidates, identitiesOf, identitiesOfIds, identityOfId, mentionedIn, type Candidate, type Identity } from '../people';
import {
	clip,
	field,
	looseBoolean,
	looseRecord,
	looseString,
	lookup,
	optionalString,
	requireNumber,
	requireRecord,
	requireString,
	type Rec,
} from '../read';
import type { Color, Handled, Handler } from '../handler';
import { attributesTarget, labelsOf, names, newlyAdded, fill, threadKey } from './common';

/** GitLab's draft title prefixes, including the `WIP:` forms older instances still send. */
export const DRAFT_TITLE = /^\s*(\[draft\]|\(draft\)|draft:|draft\s+-|\[wip\]|wip:)/i;

function isDraftTitle(title: unknown): boolean {
	return typeof title === 'string' && DRAFT_TITLE.test(title);
}

/** Draft flag of an MR object: `draft`, else the older `work_in_progress`, else the title prefix. */
export function isDraft(mr: Rec): boolean {
	return looseBoolean(field(mr, 'draft')) ?? looseBoolean(field(mr, 'work_in_progress')) ?? isDraftTitle(field(mr, 'title'));
}

type Flip = 'ready' | 'draft' | undefined;

/** Whether this update turned the MR from draft to ready (or back), from `changes.draft`, `work_in_progress` or the title. */
function draftFlip(changes: Rec | undefined): Flip {
	for (const key of ['draft', 'work_in_progress']) {
		const change = looseRecord(field(changes, key));
		const before = looseBoolean(field(change, 'previous'));
		const after = looseBoolean(field(change, 'current'));
		if (before === true && after === false) return 'ready';
		if (before === false && after === true) return 'draft';
	}
	const title = looseRecord(field(changes, 'title'));
	if (title) {
		const before = isDraftTitle(field(title, 'previous'));
		const after = isDraftTitle(field(title, 'current'));
		if (before && !after) return 'ready';
		if (!before && after) return 'draft';
	}
	return undefined;
}

const COLORS: Record<string, Color> = {
	open: 'open',
	ready: 'open',
	reopen: 'open',
	merge: 'merged',
	close: 'closed',
	approved: 'success',
	approval: 'success',
	unapproved: 'warning',
	unapproval: 'warning',
};

export const handleMergeRequest: Handler = (context) => {
	const { payload, project, rules, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	const iid = requireNumber(field(attributes, 'iid'), 'object_attributes.iid');
	const rawAction = requireString(field(attributes, 'action'), 'object_attributes.action');
	const title = clip(optionalString(field(attributes, 'title'), 'object_attributes.title'), 500);
	const draft = isDraft(attributes);
	const changes = looseRecord(field(payload, 'changes'));
	const description = clip(looseString(field(attributes, 'description')), 100_000);

	const assignees: Identity[] = Array.isArray(field(payload, 'assignees'))
		? identitiesOf(field(payload, 'assignees'))
		: identitiesOfIds(field(attributes, 'assignee_ids') ?? [field(attributes, 'assignee_id')]);
	const reviewers: Identity[] = Array.isArray(field(payload, 'reviewers'))
		? identitiesOf(field(payload, 'reviewers'))
		: identitiesOfIds(field(attributes, 'reviewer_ids'));
	const author = identityOfId(field(attributes, 'author_id'));
	const mentions = rules.notifyMentions ? candidates('mentioned', mentionedIn(description)) : [];
	const reviewRequest = (): Candidate[] => [
		...candidates('reviewer', reviewers),
		...candidates('assignee', assignees),
		...mentions,
	];

	const readyKey = `ready:${project.id}:${iid}`;
	const result: Handled = {
		action: rawAction,
		target: attributesTarget('merge_request', attributes, iid, title, draft),
		reference: `!${iid}`,
		labels: labelsOf(field(payload, 'labels') ?? field(attributes, 'labels')),
		candidates: [],
		values: {},
		threadKey: threadKey(project, 'merge_request', iid),
		color: 'neutral',
		fields: [],
	};
	const updatedAt = looseString(field(attributes, 'updated_at'));
	if (updatedAt) result.dedupe = { id: result.target.id ?? iid, version: updatedAt };

	switch (rawAction) {
		case 'open':
			if (draft && rules.silentDrafts) return { ...result, skip: 'draft' };
			result.candidates = reviewRequest();
			result.decide = async (objects) => {
				await objects?.set(readyKey, '1');
				return undefined;
			};
			break;
		case 'update': {
			const flip = draftFlip(changes);
			const addedAssignees = newlyAdded(changes, 'assignees');
			const addedReviewers = newlyAdded(changes, 'reviewers');
			if (flip === 'ready') {
				result.action = 'ready';
				result.candidates = reviewRequest();
				if (rules.silentDrafts) {
					// Only the first "ready" of an MR is news; later draft/ready flips stay quiet.
					result.decide = async (objects, delivery) => {
						if (!objects || (await objects.claim(readyKey, delivery.id))) return undefined;
						// The same delivery again (a retry or re-send after its first execution died) still announces;
						// each DM stays single by its idempotency key.
						if ((await objects.get(readyKey)) === delivery.id) return undefined;
						return { skip: 'draft: ready for review was already announced' };
					};
				}
			} else if (rules.silentDrafts && (flip === 'draft' || draft)) {
				return { ...result, skip: 'draft' };
			} else if (addedAssignees.length || addedReviewers.length) {
				result.candidates = [...candidates('reviewer', addedReviewers), ...candidates('assignee', addedAssignees)];
				result.values.changes = [
					addedAssignees.length ? fill(words.assigned, { names: names(addedAssignees, words) }) : '',
					addedReviewers.length ? fill(words.reviewRequested, { names: names(addedReviewers, words) }) : '',
				]
					.filter(Boolean)
					.join('; ');
			} else if (looseString(field(attributes, 'oldrev'))) {
				result.action = 'push';
				if (rules.notifyOnMergeRequestPush) result.candidates = [...candidates('reviewer', reviewers), ...candidates('assignee', assignees)];
			} else {
				return { ...result, skip: 'filtered: merge_request update without new assignees, reviewers or commits' };
			}
			break;
		}
		case 'close':
		case 'reopen':
		case 'merge':
			result.candidates = [...candidates('author', [author]), ...candidates('assignee', assignees)];
			break;
		default:
			result.candidates = candidates('author', [author]);
	}
	result.color = lookup(COLORS, result.action) ?? 'neutral';
	result.fields = [['labels', result.labels.join(words.listSeparator)]];
	return result;
};
