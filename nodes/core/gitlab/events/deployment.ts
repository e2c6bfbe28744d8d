import { escapeInline, markdownLink } from '../../text';
import { candidates, identityOf } from '../people';
import { clip, field, looseString, requireNumber, requireString } from '../read';
import type { Handled, Handler } from '../handler';
import { shortSha, threadKey } from './common';
import { statusColor } from './pipeline';

export const handleDeployment: Handler = (context) => {
	const { payload, project, rules } = context;
	const id = requireNumber(field(payload, 'deployment_id'), 'deployment_id');
	const status = requireString(field(payload, 'status'), 'status');
	const environment = clip(looseString(field(payload, 'environment')), 200);
	const sha = shortSha(looseString(field(payload, 'short_sha')));
	const commitTitle = clip(looseString(field(payload, 'commit_title')), 200);
	const url = looseString(field(payload, 'deployable_url')) ?? looseString(field(payload, 'environment_external_url'));

	const result: Handled = {
		action: status,
		template: 'deployment:*',
		target: { type: 'deployment', id, iid: null, title: environment ?? null, url: url ?? null, state: status, draft: null },
		reference: environment ?? `#${id}`,
		labels: [],
		candidates: candidates('pipeline_user', [identityOf(field(payload, 'user'))]),
		values: {
			environment: markdownLink(environment ?? `#${id}`, looseString(field(payload, 'environment_external_url'))),
			ref: sha
				? `${markdownLink(sha, looseString(field(payload, 'commit_url')))}${commitTitle ? ` (${escapeInline(commitTitle)})` : ''}`
				: escapeInline(commitTitle),
			status: escapeInline(status),
		},
		threadKey: threadKey(project, 'deployment', id),
		dedupe: { id, version: looseString(field(payload, 'status_changed_at')) ?? '' },
		color: statusColor(status),
		fields: [
			['environment', environment],
			['status', status],
		],
	};
	if (!rules.deploymentStatuses.includes(status)) return { ...result, skip: `filtered: deployment ${clip(status, 50)}` };
	return result;
};
