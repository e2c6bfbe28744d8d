import { expectChannelNews } from '../../gitlab-helpers';

describe('release events', () => {
	it('release: formatted for a channel, no DMs', async () => {
		await expectChannelNews('release', 'create', 'Release [v2.4.0 Tidewatch 2.4](https://gitlab.harbor.test/harbor/tidewatch/-/releases/v2.4.0) was published', 'gitlab/4821/release/v2.4.0');
	});
});
