import { format, notified, who } from '../../gitlab-helpers';

describe('deployment events', () => {
	it('deployments: success and failure tell the user who deployed', async () => {
		const ok = notified((await format('deployment_success')));
		expect(who(ok)).toEqual(['mira.okafor:pipeline_user']);
		expect(ok.message.text).toContain('deployed [5a5a5a5a](');
		expect(ok.message.text).toContain('to [production](https://tidewatch.harbor.test/)');
		const failed = notified((await format('deployment_failed')));
		expect(who(failed)).toEqual(['jonas.vermeer:pipeline_user']);
		expect(failed.message.threadKey).toBe('gitlab/4821/deployment/3311');
		expect((await format('deployment_success', { rules: { deploymentStatuses: ['failed'] } })).skip).toBe('filtered: deployment success');
	});
});
