import { markdownLink } from '../../text';
import { clip, field, looseId, looseString, requireString } from '../read';
import type { Color, Handled, Handler } from '../handler';
import { quotedExcerpt, threadKey } from './common';

/** Releases are channel news: no one in particular is told by default. */
export const handleRelease: Handler = (context) => {
	const { payload, project, words } = context;
	const action = requireString(field(payload, 'action'), 'action');
	const tag = clip(looseString(field(payload, 'tag')), 200);
	const name = clip(looseString(field(payload, 'name')), 300);
	const url = looseString(field(payload, 'url'));
	const id = looseId(field(payload, 'id'));

	const result: Handled = {
		action,
		target: { type: 'release', id: id ?? null, iid: null, title: name ?? tag ?? null, url: url ?? null, state: null, draft: null },
		reference: tag ?? name ?? '',
		labels: [],
		candidates: [],
		values: {
			tag: markdownLink(tag ?? '', url),
			description: quotedExcerpt(clip(looseString(field(payload, 'description')), 100_000), url, words),
		},
		threadKey: threadKey(project, 'release', tag ?? id),
		color: ((action === 'create' ? 'success' : action === 'delete' ? 'closed' : 'neutral') as Color),
		fields: [],
	};
	// Releases carry no update time, so only create and delete (once each per release) are recognisable repeats.
	if (action !== 'update' && id !== undefined) result.dedupe = { id, version: looseString(field(payload, 'created_at')) ?? '' };
	return result;
};
