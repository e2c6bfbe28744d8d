import { escapeInline, markdownLink } from '../../text';
import { candidates, identityOf } from '../people';
import { clip, field, looseId, looseNumber, looseRecord, looseString, requireNumber, requireString } from '../read';
import type { Handled, Handler } from '../handler';
import { branchOf, humanDuration, projectLink, threadKey } from './common';
import { statusColor } from './pipeline';

/** Job events (`object_kind: build`); they land in their pipeline's thread. */
export const handleJob: Handler = (context) => {
	const { payload, project, rules } = context;
	const id = requireNumber(field(payload, 'build_id'), 'build_id');
	const status = requireString(field(payload, 'build_status'), 'build_status');
	const name = clip(looseString(field(payload, 'build_name')), 200);
	const stage = clip(looseString(field(payload, 'build_stage')), 100);
	const reason = clip(looseString(field(payload, 'build_failure_reason')), 200);
	const ref = branchOf(looseString(field(payload, 'ref')));
	const pipelineId = looseId(field(payload, 'pipeline_id')) ?? looseId(field(looseRecord(field(payload, 'commit')), 'id'));
	const url = projectLink(project, `-/jobs/${id}`);
	const duration = humanDuration(looseNumber(field(payload, 'build_duration')));

	const result: Handled = {
		action: status,
		template: 'build:*',
		target: { type: 'job', id, iid: null, title: name ?? null, url: url ?? null, state: status, draft: null },
		reference: name ?? `#${id}`,
		labels: [],
		candidates: candidates('pipeline_user', [identityOf(field(payload, 'user'))]),
		values: {
			job: markdownLink(name ?? `#${id}`, url),
			stage: escapeInline(stage),
			reason: escapeInline(reason?.replace(/_/g, ' ')),
			ref: escapeInline(ref),
			status: escapeInline(status),
			duration,
			pipeline: pipelineId !== undefined ? markdownLink(`#${pipelineId}`, projectLink(project, `-/pipelines/${pipelineId}`)) : '',
		},
		threadKey: pipelineId !== undefined ? threadKey(project, 'pipeline', pipelineId) : threadKey(project, 'job', id),
		dedupe: {
			id,
			version: `${looseNumber(field(payload, 'retries_count')) ?? 0}:${looseString(field(payload, 'build_finished_at')) ?? looseString(field(payload, 'build_started_at')) ?? ''}`,
		},
		color: statusColor(status),
		fields: [
			['ref', ref],
			['stage', stage],
			['status', status],
			['reason', reason],
		],
	};
	if (!rules.jobStatuses.includes(status)) return { ...result, skip: `filtered: build ${clip(status, 50)}` };
	return result;
};
