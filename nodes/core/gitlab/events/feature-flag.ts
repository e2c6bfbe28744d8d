import { clip, field, looseId, looseString, requireBoolean, requireRecord } from '../read';
import type { Handled, Handler } from '../handler';
import { describedOnly, projectLink, threadKey } from './common';

export const handleFeatureFlag: Handler = (context) => {
	const { payload, project, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	const active = requireBoolean(field(attributes, 'active'), 'object_attributes.active');
	const id = looseId(field(attributes, 'id'));
	const name = clip(looseString(field(attributes, 'name')), 300);
	const url = projectLink(project, id !== undefined ? `-/feature_flags/${id}/edit` : '-/feature_flags');

	// No timestamp in these payloads: only an Idempotency-Key can tell a repeated delivery from a real second toggle.
	const result: Handled = {
		action: active ? 'activate' : 'deactivate',
		target: { type: 'feature_flag', id: id ?? null, iid: null, title: name ?? null, url: url ?? null, state: active ? 'active' : 'inactive', draft: null },
		...describedOnly(attributes, url, words),
		threadKey: threadKey(project, 'feature_flag', id ?? name),
		color: active ? 'success' : 'closed',
		fields: [],
	};
	return result;
};
