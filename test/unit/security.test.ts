/** Regression tests for the holes issue 17 found (the linear-time property test is test/fuzz/linear-time.test.ts). */
import { readFileSync } from 'node:fs';

import { createFormatterState, formatGitLabEvent } from '../../nodes/core/gitlab';
import { instanceStore } from '../../nodes/core/state';
import { safeMessageParts, splitMessage } from '../../nodes/core/mattermost';
import { extractMentions, fillTemplate, formatValue, neutraliseChannelMentions } from '../../nodes/core/text';
import { decodeReference } from '../../nodes/core/text/mentions';
import { honouredChannelMentions } from '../fuzz/mattermost-model';
import { notified, who } from './gitlab-helpers';

const REFERENCE = '/work/shared/reference/payloads/gitlab';
/** The real payloads from GitLab's documentation, as shipped in the reference folder or, failing that, the fixtures. */
function realPayload(name: string, fallback: string): Record<string, any> {
	try {
		return JSON.parse(readFileSync(`${REFERENCE}/${name}.json`, 'utf8'));
	} catch {
		return JSON.parse(readFileSync(`${__dirname}/../fixtures/gitlab/${fallback}.json`, 'utf8'));
	}
}

/** Mattermost's SplitWebhookPost: a hard cut every `max` runes. */
function serverSplit(text: string, max: number): string[] {
	const runes = Array.from(text);
	const parts: string[] = [];
	for (let i = 0; i < runes.length; i += max) parts.push(runes.slice(i, i + max).join(''));
	return parts;
}

describe('the two denial-of-service inputs of issue 17', () => {
	it('@a, 100,000 dashes and b: read in one pass; a 100,002-character name is no username', () => {
		expect(extractMentions(`@a${'-'.repeat(100_000)}b`)).toEqual([]);
		expect(extractMentions(`@ann${'-'.repeat(100_000)} and more`)).toEqual(['ann']);
	});

	it('the comment of the issue (99,000 dashes, under the formatter\'s 100,000-character mention cap) formats in one pass', () => {
		const payload = structuredClone(realPayload('note_merge_request', 'note_merge_request'));
		payload.object_attributes.note = `@a${'-'.repeat(99_000)}b`;
		expect(() => formatGitLabEvent(payload)).not.toThrow();
	});

	it('<!here| repeated over 200 KB: every opener left as it was (none is closed)', () => {
		const text = '<!here|'.repeat(30_000);
		expect(neutraliseChannelMentions(text)).toBe(text);
	});
});

describe('mention bypass: 8-digit character references', () => {
	it('decodes like Mattermost: up to 8 decimal digits, 9 are no reference', () => {
		expect(decodeReference('#00000108')).toBe('l');
		expect(decodeReference('#000000108')).toBeUndefined();
		expect(decodeReference('#x0000006C')).toBe('l');
		expect(decodeReference('#99999999')).toBe('\ufffd');
	});

	it.each(['@al&#00000108;', '&#00000064;here', '@chan&#00000110;el'])('%j notifies as written and not once neutralised', (text) => {
		expect(honouredChannelMentions(text).length).toBeGreaterThan(0);
		expect(honouredChannelMentions(neutraliseChannelMentions(text))).toEqual([]);
	});
});

describe('mention bypass: a code span cut in two', () => {
	const long = `${'word '.repeat(900)}\`code @all code\` ${'tail '.repeat(900)}`;

	it('the node splits first and neutralises each part', () => {
		for (const max of [4400, 4500, 4510, 4515, 4520]) {
			const parts = safeMessageParts(long, max);
			for (const part of parts) {
				expect(Array.from(part).length).toBeLessThanOrEqual(max);
				expect(honouredChannelMentions(part)).toEqual([]);
			}
		}
	});

	it('neutralising the whole message and splitting it afterwards lets it through (why the order matters)', () => {
		const found = [4500, 4505, 4510, 4515].some((max) =>
			splitMessage(neutraliseChannelMentions(long), max).some((part) => honouredChannelMentions(part).length > 0),
		);
		expect(found).toBe(true);
	});

	it('text the server splits is neutralised inside code and whatever surrounds the mention', () => {
		const text = `${'x'.repeat(3990)}\`a @all b\`x@here_team ${'y'.repeat(3000)}`;
		const safe = neutraliseChannelMentions(text, { serverSplits: true });
		for (let max = 3990; max < 4010; max++) {
			for (const part of serverSplit(safe, max)) expect(honouredChannelMentions(part)).toEqual([]);
		}
	});

	it('a short text is never split by the server, so its code is left as it was', () => {
		expect(neutraliseChannelMentions('`@all`', { serverSplits: true })).toBe('`@all`');
	});

	it('a message longer than 10 posts ends with a clipping notice', () => {
		const parts = safeMessageParts('word '.repeat(50_000), 4000);
		expect(parts).toHaveLength(10);
		expect(parts[9]).toMatch(/clipped: the message is longer than 10 posts/);
	});
});

describe('inherited members in entity tables', () => {
	const mergeRequest = realPayload('note_merge_request', 'note_merge_request');

	it.each(['&toString;', '&constructor;', '&valueOf;', '&hasOwnProperty;', '&__proto__;'])('%s in title, branch and comment formats', async (entity) => {
		const payload = structuredClone(mergeRequest);
		payload.object_attributes.note = `see ${entity} @al${entity}l`;
		payload.merge_request.title = `Fix ${entity}`;
		payload.merge_request.source_branch = `fix/${entity}`;
		notified(await formatGitLabEvent(payload));
		expect(neutraliseChannelMentions(`@all${entity}`)).toBe(`@\u200ball${entity}`);
	});

	it('an unexpected failure gives up the delivery claim, so a retry formats the delivery again', async () => {
		const state = createFormatterState(instanceStore(`security-claim-${Math.random()}`, {}));
		const failing = { ...state, objects: { ...state.objects, get: () => { throw new Error('disk on fire'); }, claim: () => { throw new Error('disk on fire'); } } };
		// Marked ready: the draft rule asks the per-object state whether "ready" was already announced.
		const payload = JSON.parse(readFileSync(`${__dirname}/../fixtures/gitlab/merge_request_update_ready.json`, 'utf8'));
		const headers = { 'Idempotency-Key': 'delivery-1' };
		await expect(formatGitLabEvent(payload, { state: failing, headers })).rejects.toThrow('disk on fire');
		expect((await formatGitLabEvent(payload, { state, headers })).skip).not.toBe('duplicate');
	});
});

describe('confidential GitLab events', () => {
	const issue = realPayload('issue', 'issue_open');
	const note = realPayload('note_issue', 'note_issue');

	function confidentialIssue() {
		const payload = structuredClone(issue);
		payload.object_attributes.confidential = true;
		payload.object_attributes.description = 'Secret plan, cc @mallory @all';
		return payload;
	}

	function confidentialNote() {
		const payload = structuredClone(note);
		payload.event_type = 'confidential_note';
		payload.issue.confidential = true;
		payload.issue.assignee_ids = [51];
		payload.issue.author_id = 52;
		payload.object_attributes.note = 'The password is hunter2, @mallory please look';
		return payload;
	}

	it('a comment on a confidential issue reaches only the issue\'s author and assignees, without the comment', async () => {
		const result = notified(await formatGitLabEvent(confidentialNote(), { headers: { 'X-Gitlab-Event': 'Confidential Note Hook' } }));
		expect(result.event.confidential).toBe(true);
		expect(who(result).sort()).toEqual(['#51:assignee', '#52:author']);
		expect(result.message.text).not.toContain('hunter2');
	});

	it('the excerpt is quoted when the rule allows it, still only to author and assignees', async () => {
		const result = notified(await formatGitLabEvent(confidentialNote(), { rules: { confidentialExcerpts: true } }));
		expect(result.message.text).toContain('hunter2');
		expect(who(result).sort()).toEqual(['#51:assignee', '#52:author']);
	});

	it('a confidential issue opened: assignees only, mentions are no recipients', async () => {
		const result = notified(await formatGitLabEvent(confidentialIssue(), { headers: { 'X-Gitlab-Event': 'Confidential Issue Hook' } }));
		expect(result.event.confidential).toBe(true);
		expect(who(result)).toEqual(['user1:assignee']);
	});

	it('the header alone marks a delivery confidential, and an internal note does too', async () => {
		const fromHeader = await formatGitLabEvent(structuredClone(note), { headers: { 'X-Gitlab-Event': 'Confidential Note Hook' } });
		expect(fromHeader.event?.confidential).toBe(true);
		const internal = structuredClone(note);
		internal.object_attributes.internal = true;
		expect((await formatGitLabEvent(internal)).event?.confidential).toBe(true);
	});

	it('an ordinary issue is not confidential', async () => {
		expect(notified(await formatGitLabEvent(structuredClone(issue))).event.confidential).toBeUndefined();
	});
});

describe('Text: Compose values (Redmine tickets, command replies)', () => {
	it('a value shows exactly what it says: no link, image, heading, HTML, line break or mention of its own', () => {
		const hostile = '![pixel](https://evil.example/p.png) [click](javascript:x) <b>hi</b>\n**updated by** admin @alice @all';
		const text = formatValue(hostile);
		expect(text).not.toMatch(/(^|[^\\])[![\]<>*]/);
		expect(text).not.toContain('\n');
		expect(honouredChannelMentions(text)).toEqual([]);
		expect(text).toContain('@\u200balice');
		expect(text.replace(/\\|\u200b/g, '')).toBe(hostile.replace('\n', ' '));
	});

	it('links go only to http(s); quotes stay quotes, line by line', () => {
		expect(formatValue('#12 - Login [broken]', 'link', 'https://tickets.example/issues/12')).toBe('[\\#12 - Login \\[broken\\]](https://tickets.example/issues/12)');
		expect(formatValue('x', 'link', 'javascript:alert(1)')).toBe('x');
		expect(formatValue('first\n**Ticket updated:** fake\n> nested', 'quote')).toBe('> first\n> \\*\\*Ticket updated:\\*\\* fake\n> \\> nested');
	});

	it('fills placeholders, drops lines whose values are all empty, and never reads inherited names', () => {
		expect(fillTemplate('A {a}\n**Status:** {status}\nB {{x}}', { a: '1', status: '' })).toBe('A 1\nB {x}');
		expect(fillTemplate('{toString}{constructor}', {})).toBe('');
	});
});

describe('ids and names in API paths', () => {
	it('only Mattermost ids pass as ids; segments of dots are encoded', async () => {
		const { isMattermostId } = await import('../../nodes/core/mattermost');
		const { encodePathSegment } = await import('../../nodes/core/text');
		expect(isMattermostId('abcdefghijklmnopqrstuvwxyz')).toBe(true);
		for (const bad of ['..', '../../users/me', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxy', 'abcdefghijklmnopqrstuvwxy.']) expect(isMattermostId(bad)).toBe(false);
		expect(encodePathSegment('..')).toBe('%2E%2E');
		expect(encodePathSegment('.')).toBe('%2E');
		expect(encodePathSegment('jane.doe@example.com')).toBe('jane.doe%40example.com');
		expect(encodePathSegment('../x')).toBe('..%2Fx');
	});
});
