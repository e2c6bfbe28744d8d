import { expectChannelNews } from '../../gitlab-helpers';

describe('wiki page events', () => {
	it('wiki_page: formatted for a channel, no DMs', async () => {
		await expectChannelNews('wiki_page', 'create', 'created wiki page [Gauge maintenance]', 'gitlab/4821/wiki_page/gauge-maintenance');
	});
});
