import { escapeInline } from '../../text';
import { candidates, identityOfId } from '../people';
import { clip, field, lookup, looseId, looseRecord, looseString, requireRecord, requireString } from '../read';
import type { Handled, Handler } from '../handler';
import { fill, objectWord, threadKey } from './common';
import { noteableOf, type Noteable } from './note';

const PARENT_KEYS: Record<string, string> = { MergeRequest: 'merge_request', Issue: 'issue', WorkItem: 'issue', Commit: 'commit', Snippet: 'snippet' };

const EMOJI_NAME = /^[a-z0-9_+-]{1,64}$/i;

/** Emoji reactions: the owner of the reacted-to note, issue, merge request or snippet is told. */
export const handleEmoji: Handler = (context) => {
	const { payload, project, rules, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	const action = requireString(field(attributes, 'action'), 'object_attributes.action');
	const type = requireString(field(attributes, 'awardable_type'), 'object_attributes.awardable_type');
	const name = looseString(field(attributes, 'name')) ?? '';
	const emoji = EMOJI_NAME.test(name) ? `:${name}:` : escapeInline(clip(name, 64));
	const awardedOn = looseString(field(attributes, 'awarded_on_url'));

	let owner;
	let values;
	let noteable: Noteable;
	if (type === 'Note') {
		const note = requireRecord(field(payload, 'note'), 'note');
		owner = identityOfId(field(note, 'author_id'));
		const parentType = requireString(field(note, 'noteable_type'), 'note.noteable_type');
		const parentKey = lookup(PARENT_KEYS, parentType);
		if (parentKey && looseRecord(field(payload, parentKey))) {
			noteable = noteableOf(context, parentType, 'emoji on a note on');
			values = { object: fill(words.commentOn, { object: objectWord(noteable.target.type, words) }) };
		} else {
			// Not every emoji payload carries the commented object; the note alone still names its author.
			const noteId = looseId(field(note, 'id')) ?? looseId(field(attributes, 'awardable_id'));
			noteable = {
				target: { type: 'note', id: noteId ?? null, iid: null, title: null, url: looseString(field(note, 'url')) ?? null, state: null, draft: null },
				reference: noteId !== undefined ? `#note_${noteId}` : '',
				labels: [],
				threadKey: threadKey(project, 'note', noteId),
				people: [],
			};
			values = { object: fill(words.commentOn, { object: objectWord(parentType.toLowerCase(), words) }) };
		}
	} else {
		noteable = noteableOf(context, type, 'emoji on');
		owner = noteable.people.find((person) => person.role === 'author' || person.role === 'commit_author')?.identity;
		values = { object: objectWord(noteable.target.type, words) };
	}

	const result: Handled = {
		action,
		target: { ...noteable.target, url: awardedOn ?? noteable.target.url },
		reference: noteable.reference,
		labels: noteable.labels,
		candidates: candidates('awardable_owner', [owner]),
		values: { ...values, emoji },
		threadKey: noteable.threadKey,
		color: 'neutral',
		fields: [],
	};
	const id = looseId(field(attributes, 'id'));
	if (id !== undefined) result.dedupe = { id, version: looseString(field(attributes, 'updated_at')) ?? '' };
	if (action === 'revoke' && !rules.emojiRevoke) return { ...result, skip: 'filtered: emoji revoke' };
	return result;
};
