import { escapeInline, markdownLink } from '../../text';
import { candidates, identityOf } from '../people';
import { clip, field, isRecord, looseArray, looseNumber, looseRecord, looseString, requireNumber, requireRecord, requireString } from '../read';
import type { Color, Handled, Handler } from '../handler';
import { branchOf, humanDuration, listText, projectLink, threadKey } from './common';

export function statusColor(status: string): Color {
	if (status === 'failed') return 'failed';
	if (status === 'success' || status === 'fixed') return 'success';
	if (status === 'canceled' || status === 'skipped') return 'closed';
	return 'warning';
}

export const handlePipeline: Handler = (context) => {
	const { payload, project, rules, words } = context;
	const attributes = requireRecord(field(payload, 'object_attributes'), 'object_attributes');
	const id = requireNumber(field(attributes, 'id'), 'object_attributes.id');
	const status = requireString(field(attributes, 'status'), 'object_attributes.status');
	const ref = branchOf(looseString(field(attributes, 'ref')));
	const url = looseString(field(attributes, 'url')) ?? projectLink(project, `-/pipelines/${id}`);
	const failedJobs = looseArray(field(payload, 'builds'))
		.slice(0, 500)
		.filter((build) => isRecord(build) && field(build, 'status') === 'failed' && field(build, 'allow_failure') !== true)
		.map((build) => clip(looseString(field(build as Record<string, unknown>, 'name')), 100))
		.filter((name): name is string => !!name)
		.slice(0, 20);
	const duration = humanDuration(looseNumber(field(attributes, 'duration')));
	const mr = looseRecord(field(payload, 'merge_request'));
	const mrIid = looseNumber(field(mr, 'iid'));

	const result: Handled = {
		action: status,
		template: 'pipeline:*',
		target: {
			type: 'pipeline',
			id,
			iid: looseNumber(field(attributes, 'iid')) ?? null,
			title: clip(looseString(field(attributes, 'name')), 300) ?? ref ?? null,
			url: url ?? null,
			state: status,
			draft: null,
		},
		reference: `#${id}`,
		labels: [],
		candidates: candidates('pipeline_user', [identityOf(field(payload, 'user'))]),
		values: {
			pipeline: markdownLink(`#${id}`, url),
			ref: escapeInline(ref) + (mrIid !== undefined ? ` (${markdownLink(`!${mrIid}`, looseString(field(mr, 'url')))})` : ''),
			status: escapeInline(status),
			duration,
			failed_jobs: listText(failedJobs, words),
		},
		threadKey: threadKey(project, 'pipeline', id),
		dedupe: { id, version: looseString(field(attributes, 'finished_at')) ?? looseString(field(attributes, 'created_at')) ?? '' },
		color: statusColor(status),
		fields: [
			['ref', ref],
			['status', status],
			['duration', duration],
			['failedJobs', failedJobs.join(words.listSeparator)],
		],
	};
	const refKey = `pipeline:${project.id}:${ref ?? ''}`;
	result.decide = async (objects) => {
		// Remember how each ref's last finished pipeline ended, so a pass right after a failure can be told as "fixed".
		const before = await objects?.get(refKey);
		if (status === 'success' || status === 'failed') await objects?.set(refKey, status);
		if (status === 'success' && rules.pipelineFixed && before === 'failed') return { action: 'fixed' };
		if (!rules.pipelineStatuses.includes(status)) return { skip: `filtered: pipeline ${clip(status, 50)}` };
		return undefined;
	};
	return result;
};
