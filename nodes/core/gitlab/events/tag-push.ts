import { encodePathSegment, markdownLink } from '../../text';
import { candidates, mentionedIn } from '../people';
import { clip, field, looseString, requireString } from '../read';
import type { Handled, Handler } from '../handler';
import { branchOf, projectLink, quotedExcerpt, threadKey } from './common';

/** Tag pushes: people `@mentioned` in an annotated tag's message are told. */
export const handleTagPush: Handler = (context) => {
	const { payload, project, rules, words } = context;
	const ref = requireString(field(payload, 'ref'), 'ref');
	const tag = branchOf(ref) ?? '';
	const after = looseString(field(payload, 'after')) ?? '';
	const message = clip(looseString(field(payload, 'message')), 100_000);
	const url = projectLink(project, `-/tags/${encodePathSegment(tag)}`);

	const result: Handled = {
		action: /^0+$/.test(after) ? 'delete' : 'create',
		target: { type: 'tag', id: tag, iid: null, title: tag, url: url ?? null, state: null, draft: null },
		reference: tag,
		labels: [],
		candidates: rules.notifyMentions ? candidates('mentioned', mentionedIn(message)) : [],
		values: { tag: markdownLink(tag, url), ref: markdownLink(tag, url), description: quotedExcerpt(message, url, words) },
		threadKey: threadKey(project, 'tag', tag),
		color: 'neutral',
		fields: [],
	};
	if (after) result.dedupe = { id: ref.slice(0, 300), version: after.slice(0, 64) };
	return result;
};
