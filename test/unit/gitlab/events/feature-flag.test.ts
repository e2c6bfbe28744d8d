import { expectChannelNews } from '../../gitlab-helpers';

describe('feature flag events', () => {
	it('feature_flag: formatted for a channel, no DMs', async () => {
		await expectChannelNews('feature_flag', 'activate', 'turned on feature flag [median-smoothing]', 'gitlab/4821/feature_flag/17');
	});
});
