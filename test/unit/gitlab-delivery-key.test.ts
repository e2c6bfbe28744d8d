/**
 * The delivery key the formatter puts on every notification (`message.idempotencyKey`): the same for every copy of
 * one delivery, different for different deliveries, so the Mattermost node can drop re-sent and retried copies.
 */
import { formatGitLabEvent } from '../../nodes/core/gitlab';
import { fixture, notified } from './gitlab-helpers';

const keyOf = async (name: string, headers: Record<string, string> = {}, payload = fixture(name)) =>
	notified((await formatGitLabEvent(payload, { headers, state: {} }))).message.idempotencyKey;

describe('delivery key', () => {
	it('uses the Idempotency-Key of the delivery, plus kind, action and object', async () => {
		const key = (await keyOf('note_merge_request', { 'Idempotency-Key': 'b7f1c2d4-0001' }));
		expect(key).toMatch(/^gitlab:note:[^:]+:[^:]+:[^:]*:delivery:b7f1c2d4-0001$/);
		expect((await keyOf('note_merge_request', { 'idempotency-key': 'b7f1c2d4-0001' }))).toBe(key);
		expect((await keyOf('note_merge_request', { 'Idempotency-Key': 'b7f1c2d4-0002' }))).not.toBe(key);
	});

	it('without the header, is stable for the same content and differs between objects', async () => {
		expect((await keyOf('merge_request_merge'))).toBe((await keyOf('merge_request_merge')));
		expect((await keyOf('merge_request_merge'))).not.toBe((await keyOf('merge_request_update_ready')));
		expect((await keyOf('pipeline_failed'))).toBe((await keyOf('pipeline_failed')));
		expect((await keyOf('pipeline_failed'))).not.toBe((await keyOf('job_failed')));
	});

	it('without the header, changes when the awarded object changes', async () => {
		const payload = fixture('emoji_award_note');
		const key = (await keyOf('emoji_award_note', {}, payload));
		expect(key).toMatch(/^gitlab:emoji:/);
		expect((await keyOf('emoji_award_note', {}, fixture('emoji_award_note')))).toBe(key);
		expect((await keyOf('emoji_award_note', {}, { ...payload, object_attributes: { ...payload.object_attributes, id: 987654 } }))).not.toBe(key);
	});
});
