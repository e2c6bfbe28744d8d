import { clip, field, looseId, looseString, optionalString, requireRecord, requireString } from '../read';
import type { Handled, Handler } from '../handler';
import { describedOnly, projectLink, threadKey } from './common';

export const handleMilestone: Handler = (context) => {
	const { payload, project, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	// The action is top-level in milestone payloads; accept it inside object_attributes too, like other kinds.
	const action =
		optionalString(field(payload, 'action'), 'action') ?? requireString(field(attributes, 'action'), 'action');
	const id = looseId(field(attributes, 'id'));
	const iid = looseId(field(attributes, 'iid'));
	const title = clip(looseString(field(attributes, 'title')), 300);
	const url = iid !== undefined ? projectLink(project, `-/milestones/${iid}`) : undefined;

	const result: Handled = {
		action,
		target: {
			type: 'milestone',
			id: id ?? null,
			iid: iid ?? null,
			title: title ?? null,
			url: url ?? null,
			state: looseString(field(attributes, 'state')) ?? null,
			draft: null,
		},
		...describedOnly(attributes, url, words),
		threadKey: threadKey(project, 'milestone', iid ?? id),
		color: action === 'close' ? 'closed' : 'open',
		fields: [],
	};
	const updatedAt = looseString(field(attributes, 'updated_at'));
	if ((id ?? iid) !== undefined && updatedAt) result.dedupe = { id: (id ?? iid) as number, version: updatedAt };
	return result;
};
