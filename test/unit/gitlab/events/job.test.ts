import { format, notified } from '../../gitlab-helpers';

describe('job (build) events', () => {
	it('failed job: the user, in its pipeline thread', async () => {
		const result = notified((await format('job_failed')));
		expect(result.recipients).toEqual([
			{ id: 302, email: 'jonas@harbor.test', name: 'Jonas Vermeer', role: 'pipeline_user', roles: ['pipeline_user'] },
		]);
		expect(result.message.threadKey).toBe('gitlab/4821/pipeline/66120');
		expect(result.message.text).toContain('Job [unit-tests](https://gitlab.harbor.test/harbor/tidewatch/-/jobs/771002) on main');
		expect(result.message.text).toContain('Reason: script failure');
		expect((await format('job_success')).skip).toBe('filtered: build success');
	});


	it('other statuses, when chosen, use the kind\'s general template', async () => {
		const result = notified(await format('job_success', { rules: { jobStatuses: ['failed', 'success'] } }));
		expect(result.event.action).toBe('success');
		expect(result.message.text).toMatch(/^Job \[compile\]\(.*\) on main in .*: success$/);
	});
});
