import { candidates, identitiesOfIds, identityOf, identityOfCommitAuthor, identityOfId, mentionedIn, type Candidate, type Identity } from '../people';
import {
	clip,
	field,
	looseId,
	looseString,
	optionalString,
	requireNumber,
	requireRecord,
	requireString,
	Unsupported,
	type Rec,
} from '../read';
import type { Handled, Handler, HandlerContext } from '../handler';
import type { GitLabTarget } from '../types';
import { isDraft } from './merge-request';
import { labelsOf, objectWord, projectLink, quotedExcerpt, shortSha, threadKey } from './common';

/** `assignee_ids`, or the older single `assignee_id` with its `assignee` object (the same person). */
function assigneesOf(object: Rec): Identity[] {
	const ids = field(object, 'assignee_ids');
	if (Array.isArray(ids) && ids.length) return identitiesOfIds(ids);
	const single = identityOfId(field(object, 'assignee_id'));
	const named = identityOf(field(object, 'assignee'));
	if (single || named) return [{ ...named, ...single }];
	return [];
}

/** The object a comment (or an emoji on a comment) belongs to, with its recipients. */
export interface Noteable {
	target: GitLabTarget;
	reference: string;
	labels: string[];
	threadKey: string;
	people: Candidate[];
}

export function noteableOf(context: HandlerContext, type: string, path: string): Noteable {
	const { payload, project } = context;
	switch (type) {
		case 'MergeRequest': {
			const mr = requireRecord(field(payload, 'merge_request'), 'merge_request');
			const iid = requireNumber(field(mr, 'iid'), 'merge_request.iid');
			return {
				target: {
					type: 'merge_request',
					id: looseId(field(mr, 'id')) ?? null,
					iid,
					title: clip(looseString(field(mr, 'title')), 500) ?? null,
					url: looseString(field(mr, 'url')) ?? projectLink(project, `-/merge_requests/${iid}`) ?? null,
					state: looseString(field(mr, 'state')) ?? null,
					draft: isDraft(mr),
				},
				reference: `!${iid}`,
				labels: labelsOf(field(mr, 'labels')),
				threadKey: threadKey(project, 'merge_request', iid),
				people: [
					...candidates('author', [identityOfId(field(mr, 'author_id'))]),
					...candidates('assignee', assigneesOf(mr)),
					...candidates('reviewer', identitiesOfIds(field(mr, 'reviewer_ids'))),
				],
			};
		}
		case 'Issue':
		case 'WorkItem': {
			const issue = requireRecord(field(payload, 'issue'), 'issue');
			const iid = requireNumber(field(issue, 'iid'), 'issue.iid');
			const kind = looseString(field(issue, 'type'));
			return {
				target: {
					type: kind ? kind.toLowerCase().replace(/\s+/g, '_') : 'issue',
					id: looseId(field(issue, 'id')) ?? null,
					iid,
					title: clip(looseString(field(issue, 'title')), 500) ?? null,
					url: looseString(field(issue, 'url')) ?? projectLink(project, `-/issues/${iid}`) ?? null,
					state: looseString(field(issue, 'state')) ?? null,
					draft: null,
				},
				reference: `#${iid}`,
				labels: labelsOf(field(issue, 'labels')),
				threadKey: threadKey(project, 'issue', iid),
				people: [
					...candidates('author', [identityOfId(field(issue, 'author_id'))]),
					...candidates('assignee', assigneesOf(issue)),
				],
			};
		}
		case 'Commit': {
			const commit = requireRecord(field(payload, 'commit'), 'commit');
			const sha = requireString(field(commit, 'id'), 'commit.id');
			const message = looseString(field(commit, 'message')) ?? '';
			return {
				target: {
					type: 'commit',
					id: clip(sha, 64) as string,
					iid: null,
					title: clip(message.split('\n')[0], 300) || null,
					url: looseString(field(commit, 'url')) ?? null,
					state: null,
					draft: null,
				},
				reference: shortSha(sha) ?? clip(sha, 12) ?? '',
				labels: [],
				threadKey: threadKey(project, 'commit', sha),
				people: candidates('commit_author', [identityOfCommitAuthor(field(commit, 'author'))]),
			};
		}
		case 'Snippet': {
			const snippet = requireRecord(field(payload, 'snippet'), 'snippet');
			const id = requireNumber(field(snippet, 'id'), 'snippet.id');
			return {
				target: {
					type: 'snippet',
					id,
					iid: null,
					title: clip(looseString(field(snippet, 'title')), 500) ?? null,
					url: looseString(field(snippet, 'url')) ?? null,
					state: null,
					draft: null,
				},
				reference: `$${id}`,
				labels: [],
				threadKey: threadKey(project, 'snippet', id),
				people: candidates('author', [identityOfId(field(snippet, 'author_id'))]),
			};
		}
		default:
			throw new Unsupported(`${path} ${clip(type, 50)}`);
	}
}


export const handleNote: Handler = (context) => {
	const { payload, rules, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	const type = requireString(field(attributes, 'noteable_type'), 'object_attributes.noteable_type');
	// Comment edits exist only since GitLab 16.11; older payloads carry no action.
	const action = optionalString(field(attributes, 'action'), 'object_attributes.action') ?? 'create';
	const noteable = noteableOf(context, type, 'note on');
	const text = clip(looseString(field(attributes, 'note')), 1_000_000);
	const noteUrl = looseString(field(attributes, 'url'));

	const result: Handled = {
		action,
		target: noteable.target,
		reference: noteable.reference,
		labels: noteable.labels,
		candidates: [...noteable.people, ...(rules.notifyMentions ? candidates('mentioned', mentionedIn(text)) : [])],
		values: {
			object: objectWord(noteable.target.type, words),
			note: quotedExcerpt(text, noteUrl, words),
			note_url: noteUrl ?? '',
		},
		threadKey: noteable.threadKey,
		color: 'neutral',
		fields: [['labels', noteable.labels.join(words.listSeparator)]],
	};
	const id = looseId(field(attributes, 'id'));
	const updatedAt = looseString(field(attributes, 'updated_at'));
	if (id !== undefined && updatedAt) result.dedupe = { id, version: updatedAt };
	if (rules.skipSystemNotes && field(attributes, 'system') === true) return { ...result, skip: 'filtered: note system' };
	if (noteable.target.draft === true && rules.silentDrafts && !rules.commentsOnDrafts) return { ...result, skip: 'draft' };
	return result;
};
