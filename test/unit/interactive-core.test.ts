import {
	attachActions,
	buildActions,
	buildDialog,
	clockTime,
	fillLine,
	hasAction,
	InteractiveError,
	markPost,
	mayAnswer,
	decodeAnswerers,
	encodeAnswerers,
	notForYou,
	readSubmission,
	SIGNATURE_KEY,
	signContext,
	verifyContext,
	withoutSignature,
	type FormField,
} from '../../nodes/core/mattermost';

describe('context signatures', () => {
	const context = { action: 'silence', labels: { alertname: 'DiskFull', instance: 'db1' } };

	it('verify what the same secret signed, whatever the key order, and nothing else', () => {
		const signed = signContext('s3cret', context);
		expect(verifyContext(['s3cret'], signed)).toBe(true);
		expect(verifyContext(['s3cret'], { labels: { instance: 'db1', alertname: 'DiskFull' }, action: 'silence', [SIGNATURE_KEY]: signed[SIGNATURE_KEY] })).toBe(true);
		expect(verifyContext(['other'], signed)).toBe(false);
		expect(verifyContext(['old', 's3cret'], signed)).toBe(true);
		expect(verifyContext(['s3cret'], { ...signed, action: 'acknowledge' })).toBe(false);
		expect(verifyContext(['s3cret'], { ...signed, [SIGNATURE_KEY]: 'f'.repeat(64) })).toBe(false);
		expect(verifyContext(['s3cret'], context)).toBe(false);
		expect(verifyContext(['s3cret'], 'text')).toBe(false);
	});

	it('leave selected_option (added by Mattermost for menus) out of the signature and the signature out of the output', () => {
		const signed = signContext('k', context);
		expect(verifyContext(['k'], { ...signed, selected_option: 'one' })).toBe(true);
		expect(withoutSignature({ ...signed, selected_option: 'one' })).toEqual({ ...context, selected_option: 'one' });
		expect(() => signContext('', context)).toThrow(InteractiveError);
	});
});

describe('actions', () => {
	it('build buttons and menus with ids from their labels and a context each', () => {
		const actions = buildActions(
			[
				{ label: 'Silence 1 h', style: 'danger', value: '1h' },
				{ label: 'Pick', type: 'select', options: [{ text: 'One', value: '' }] },
			],
			() => 'https://n8n.test/webhook/x',
			({ id, value }) => ({ id, value }),
		);
		expect(actions).toEqual([
			{ id: 'Silence1h', name: 'Silence 1 h', type: 'button', style: 'danger', integration: { url: 'https://n8n.test/webhook/x', context: { id: 'Silence1h', value: '1h' } } },
			{ id: 'Pick', name: 'Pick', type: 'select', options: [{ text: 'One', value: 'One' }], integration: { url: 'https://n8n.test/webhook/x', context: { id: 'Pick', value: '' } } },
		]);
	});

	it.each([
		[[{ label: '' }], 'buttons[0].label'],
		[[{ label: 'x', id: 'a-b' }], 'buttons[0].id'],
		[[{ label: 'A' }, { label: 'A' }], 'buttons[1].id'],
		[[{ label: 'M', type: 'select' as const }], 'buttons[0].options'],
		[[{ label: 'S', style: 'pink' as never }], 'buttons[0].style'],
	])('name the field of a bad button %#', (inputs, field) => {
		expect(() => buildActions(inputs, () => 'u', () => ({}))).toThrow(expect.objectContaining({ field }));
	});

	it('go on the last attachment and come off again with the outcome line', () => {
		const [action] = buildActions([{ label: 'Go' }], () => 'u', () => ({}));
		expect(attachActions([], [action])).toEqual([{ actions: [action] }]);
		const attachments = attachActions([{ title: 'a' }, { title: 'b' }], [action]);
		expect(attachments[1].actions).toEqual([action]);
		expect(hasAction({ attachments }, 'Go')).toBe(true);
		expect(hasAction({ attachments }, 'No')).toBe(false);
		expect(hasAction({ attachments })).toBe(true);
		expect(hasAction({ attachments: [{ title: 'a' }] })).toBe(false);
		expect(markPost({ message: 'Deploy?', props: { attachments, from_bot: 'true' } }, ':white_check_mark: Approved')).toEqual({
			message: 'Deploy?\n\n:white_check_mark: Approved',
			props: { attachments: [{ title: 'a' }, { title: 'b' }], from_bot: 'true' },
		});
		expect(markPost({ message: '', props: { attachments: [{ actions: [action] }] } }, 'done')).toEqual({ message: 'done', props: {} });
	});
});

describe('answers', () => {
	it('fill the outcome line and tell the time in the workflow time zone', () => {
		const at = new Date('2026-03-01T09:42:00Z');
		expect(clockTime(at, 'Europe/Berlin')).toBe('10:42');
		expect(clockTime(at, 'not/a-zone')).toBe('09:42');
		expect(fillLine(':eyes: @{user} is on it ({action}: {value}) at {time}', { user: 'ana', action: 'ack', value: '', time: '10:42' })).toBe(':eyes: @ana is on it (ack: ) at 10:42');
	});

	it('let anyone answer when nobody is listed, else only the listed users', () => {
		const listed = [{ id: 'u1', username: 'ana' }, { id: 'u3', username: 'bob' }];
		expect(mayAnswer([], 'u1')).toBe(true);
		expect(mayAnswer(listed, 'u1')).toBe(true);
		expect(mayAnswer(listed, 'u2')).toBe(false);
		expect(decodeAnswerers(encodeAnswerers(listed))).toEqual(listed);
		expect(decodeAnswerers('')).toEqual([]);
		expect(notForYou(listed)).toBe('This request is for @ana, @bob.');
	});
});

describe('dialogs', () => {
	const fields: FormField[] = [
		{ label: 'Reason', type: 'text', required: true, help: 'Why?' },
		{ label: 'Details', type: 'textarea' },
		{ label: 'Replicas', type: 'number', required: true },
		{ label: 'Environment', type: 'select', options: ['staging', 'production'], required: true },
		{ label: 'Notify team', name: 'notify', type: 'bool' },
	];

	it('build Mattermost dialog elements from form fields, within the server limits', () => {
		const dialog = buildDialog({ title: 'A title longer than twenty-four characters', fields, state: 'p1' });
		expect([...dialog.title].length).toBe(24);
		expect(dialog.elements).toEqual([
			{ display_name: 'Reason', name: 'reason', type: 'text', optional: false, help_text: 'Why?' },
			{ display_name: 'Details', name: 'details', type: 'textarea', optional: true },
			{ display_name: 'Replicas', name: 'replicas', type: 'text', subtype: 'number', optional: false },
			{ display_name: 'Environment', name: 'environment', type: 'select', optional: false, options: [{ text: 'staging', value: 'staging' }, { text: 'production', value: 'production' }] },
			{ display_name: 'Notify team', name: 'notify', type: 'bool', optional: true },
		]);
		expect(() => buildDialog({ title: 't', fields: [], state: '' })).toThrow('formFields is empty');
		expect(() => buildDialog({ title: 't', fields: [{ label: 'A', type: 'select' }], state: '' })).toThrow('formFields[0] is a select without options');
	});

	it('read a submission into typed values or per-field errors', () => {
		expect(readSubmission(fields, { reason: 'disk', replicas: '3', environment: 'staging', notify: true })).toEqual({
			values: { reason: 'disk', details: null, replicas: 3, environment: 'staging', notify: true },
		});
		expect(readSubmission(fields, { replicas: 'many', environment: 'moon' }).errors).toEqual({
			reason: 'This field is required.',
			replicas: 'Enter a number.',
			environment: 'Choose one of the options.',
		});
	});
});
