import { expectChannelNews } from '../../gitlab-helpers';

describe('milestone events', () => {
	it('milestone: formatted for a channel, no DMs', async () => {
		await expectChannelNews('milestone', 'create', 'Milestone [Spring tide](https://gitlab.harbor.test/harbor/tidewatch/-/milestones/6) was created', 'gitlab/4821/milestone/6');
	});
});
