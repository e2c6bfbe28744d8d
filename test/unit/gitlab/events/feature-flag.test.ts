import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { expectChannelNews, fixture, notified } from '../../gitlab-helpers';

describe('feature flag events', () => {
	it('feature_flag: formatted for a channel, no DMs', async () => {
		await expectChannelNews('feature_flag', 'activate', 'turned on feature flag [median-smoothing]', 'gitlab/4821/feature_flag/17');
	});


	it('turning a flag off is "deactivate", in the same thread', async () => {
		const payload = fixture('feature_flag');
		payload.object_attributes.active = false;
		const result = notified(await formatGitLabEvent(payload));
		expect(result.event.action).toBe('deactivate');
		expect(result.event.target.state).toBe('inactive');
		expect(result.message.text).toContain('turned off feature flag [median-smoothing]');
		expect(result.message.threadKey).toBe('gitlab/4821/feature_flag/17');
	});
});
