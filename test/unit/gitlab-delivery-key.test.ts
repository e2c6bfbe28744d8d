/**
 * The delivery key the formatter puts on every notification (`message.idempotencyKey`): the same for every copy of
 * one delivery, different for different deliveries, so the Mattermost node can drop re-sent and retried copies.
 */
import { createFormatterState, formatGitLabEvent } from '../../nodes/core/gitlab';
import { fixture, notified } from './gitlab-helpers';

const keyOf = (name: string, headers: Record<string, string> = {}, payload = fixture(name)) =>
	notified(formatGitLabEvent(payload, { headers, state: createFormatterState({}) })).message.idempotencyKey;

describe('delivery key', () => {
	it('uses the Idempotency-Key of the delivery, plus kind, action and object', () => {
		const key = keyOf('note_merge_request', { 'Idempotency-Key': 'b7f1c2d4-0001' });
		expect(key).toMatch(/^gitlab:note:[^:]+:[^:]+:[^:]*:delivery:b7f1c2d4-0001$/);
		expect(keyOf('note_merge_request', { 'idempotency-key': 'b7f1c2d4-0001' })).toBe(key);
		expect(keyOf('note_merge_request', { 'Idempotency-Key': 'b7f1c2d4-0002' })).not.toBe(key);
	});

	it('without the header, is stable for the same content and differs between objects', () => {
		expect(keyOf('merge_request_merge')).toBe(keyOf('merge_request_merge'));
		expect(keyOf('merge_request_merge')).not.toBe(keyOf('merge_request_update_ready'));
		expect(keyOf('pipeline_failed')).toBe(keyOf('pipeline_failed'));
		expect(keyOf('pipeline_failed')).not.toBe(keyOf('job_failed'));
	});

	it('without the header, changes when the awarded object changes', () => {
		const payload = fixture('emoji_award_note');
		const key = keyOf('emoji_award_note', {}, payload);
		expect(key).toMatch(/^gitlab:emoji:/);
		expect(keyOf('emoji_award_note', {}, fixture('emoji_award_note'))).toBe(key);
		expect(keyOf('emoji_award_note', {}, { ...payload, object_attributes: { ...payload.object_attributes, id: 987654 } })).not.toBe(key);
	});
});
