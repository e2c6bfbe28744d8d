import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { fixture, format, notified, who } from '../../gitlab-helpers';

describe('pipeline events', () => {
	it('failed pipeline: who started it, ref, status, duration and failed jobs (not allowed-to-fail ones)', async () => {
		const result = notified((await format('pipeline_failed')));
		expect(who(result)).toEqual(['jonas.vermeer:pipeline_user']);
		expect(result.recipients[0].email).toBe('jonas@harbor.test');
		expect(result.message.text).toBe(
			'Pipeline [\\#66120](https://gitlab.harbor.test/harbor/tidewatch/-/pipelines/66120) on main in ' +
				'[harbor/tidewatch](https://gitlab.harbor.test/harbor/tidewatch) failed\nFailed jobs: unit-tests, integration\nDuration: 7m 41s',
		);
		expect(result.message.threadKey).toBe('gitlab/4821/pipeline/66120');
		expect(result.event.target).toMatchObject({ type: 'pipeline', id: 66120, iid: 902, state: 'failed' });
	});

	it('a merge request pipeline links its MR', async () => {
		expect(notified((await format('pipeline_failed_merge_request'))).message.text).toContain(
			'on feature/tide-smoothing ([\\!57](https://gitlab.harbor.test/harbor/tidewatch/-/merge_requests/57))',
		);
	});

	it('success and running are skipped by default; other statuses can be chosen', async () => {
		expect((await format('pipeline_success')).skip).toBe('filtered: pipeline success');
		expect((await format('pipeline_running')).skip).toBe('filtered: pipeline running');
		expect(notified((await format('pipeline_success', { rules: { pipelineStatuses: ['failed', 'success'] } }))).message.text).toContain('passed');
	});

	it('"fixed": a pass right after a failure on the same ref, when asked', async () => {
		const state = {};
		const rules = { pipelineFixed: true };
		expect(notified((await format('pipeline_failed', { state, rules }))).event.action).toBe('failed');
		const fixed = notified((await format('pipeline_success', { state, rules })));
		expect(fixed.event.action).toBe('fixed');
		expect(fixed.message.text).toContain('passed again after a failure');
		const again = fixture('pipeline_success');
		again.object_attributes.id = 66130;
		expect((await formatGitLabEvent(again, { state, rules })).skip).toBe('filtered: pipeline success');
	});
});
