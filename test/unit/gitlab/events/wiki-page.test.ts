import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { expectChannelNews, fixture, notified } from '../../gitlab-helpers';

describe('wiki page events', () => {
	it('wiki_page: formatted for a channel, no DMs', async () => {
		await expectChannelNews('wiki_page', 'create', 'created wiki page [Gauge maintenance]', 'gitlab/4821/wiki_page/gauge-maintenance');
	});


	it('edits and deletions of the page, in its thread; the same version delivered twice is a duplicate', async () => {
		for (const [action, wording] of [['update', 'edited wiki page'], ['delete', 'deleted wiki page']]) {
			const payload = fixture('wiki_page');
			payload.object_attributes.action = action;
			const result = notified(await formatGitLabEvent(payload));
			expect(result.message.text).toContain(wording);
			expect(result.message.threadKey).toBe('gitlab/4821/wiki_page/gauge-maintenance');
		}
		const state = {};
		notified(await formatGitLabEvent(fixture('wiki_page'), { state }));
		expect((await formatGitLabEvent(fixture('wiki_page'), { state })).skip).toBe('duplicate');
	});
});
