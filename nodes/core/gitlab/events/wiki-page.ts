import { clip, field, looseString, requireRecord, requireString } from '../read';
import type { Handled, Handler } from '../handler';
import { quotedExcerpt, threadKey } from './common';

export const handleWikiPage: Handler = (context) => {
	const { payload, project, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	const action = requireString(field(attributes, 'action'), 'object_attributes.action');
	const slug = clip(looseString(field(attributes, 'slug')), 300);
	const title = clip(looseString(field(attributes, 'title')), 300);
	const url = looseString(field(attributes, 'url'));
	const version = looseString(field(attributes, 'version_id'));

	const result: Handled = {
		action,
		target: { type: 'wiki_page', id: slug ?? null, iid: null, title: title ?? slug ?? null, url: url ?? null, state: null, draft: null },
		reference: '',
		labels: [],
		candidates: [],
		values: { description: quotedExcerpt(clip(looseString(field(attributes, 'message')), 100_000), url, words) },
		threadKey: threadKey(project, 'wiki_page', slug),
		color: action === 'delete' ? 'closed' : 'neutral',
		fields: [],
	};
	if (slug && version) result.dedupe = { id: slug, version };
	return result;
};
