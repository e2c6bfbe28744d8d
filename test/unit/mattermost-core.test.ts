import fc from 'fast-check';
import { instanceStore, openBook } from '../../nodes/core/state';
import {
	AttachmentError,
	buildAttachment,
	decideRetry,
	DEFAULT_RETRY_POLICY,
	inputMessage,
	InputMessageError,
	neutraliseMessage,
	parseAttachments,
	parseUserList,
	parseUserReference,
	requestedWaitMs,
	runeLength,
	splitMessage,
	statusLine,
	ThreadBook,
	withStatusLine,
} from '../../nodes/core/mattermost';

const ZWSP = '\u200b';

describe('splitMessage', () => {
	it('returns a short message unchanged', () => {
		expect(splitMessage('hello', 10)).toEqual(['hello']);
	});

	it('cuts at paragraph boundaries first, in order', () => {
		const text = `${'a'.repeat(40)}\n\n${'b'.repeat(40)}\n\n${'c'.repeat(40)}`;
		expect(splitMessage(text, 90)).toEqual([`${'a'.repeat(40)}\n\n${'b'.repeat(40)}`, 'c'.repeat(40)]);
	});

	it('falls back to lines, then words, then a hard cut', () => {
		expect(splitMessage('one line here\nsecond line here', 20)).toEqual(['one line here', 'second line here']);
		expect(splitMessage('alpha beta gamma delta epsilon', 12)).toEqual(['alpha beta', 'gamma delta', 'epsilon']);
		expect(splitMessage('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
	});

	it('counts code points, never splitting a surrogate pair', () => {
		const text = '😀'.repeat(15);
		const posts = splitMessage(text, 10);
		expect(posts.map(runeLength)).toEqual([10, 5]);
		expect(posts.join('')).toBe(text);
	});

	it('closes a code fence cut in two and reopens it with its language', () => {
		const code = Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n');
		const posts = splitMessage(`Intro\n\n\`\`\`ts\n${code}\n\`\`\`\n\nOutro`, 60);
		expect(posts.length).toBeGreaterThan(1);
		for (const post of posts) {
			expect(runeLength(post)).toBeLessThanOrEqual(60);
			expect((post.match(/^```/gm) ?? []).length % 2).toBe(0);
		}
		expect(posts[1].startsWith('```ts\n')).toBe(true);
	});

	it('never turns inline text into a code fence by cutting before it', () => {
		const posts = splitMessage('             ! ```js\n```\n', 24);
		expect(posts).toEqual(['             !', '\\```js\n```\n']);
		// A real fence at the start of a line is left as it is.
		expect(splitMessage(`${'a'.repeat(20)}\n\`\`\`\ncode\n\`\`\``, 24)).toEqual(['a'.repeat(20), '```\ncode\n```']);
	});

	it('property: every post fits, nothing is lost, fences stay balanced', () => {
		const piece = fc.oneof(
			fc.constantFrom('\n', '\n\n', ' ', '```\n', '```js\n', '@channel ', '😀'),
			fc.string({ minLength: 1, maxLength: 30 }),
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 24, max: 200 }), (pieces, max) => {
				const text = pieces.join('');
				const posts = splitMessage(text, max);
				for (const post of posts) expect(runeLength(post)).toBeLessThanOrEqual(max);
				// Whole fence lines are what the splitter adds (closing and reopening a cut block), and a backslash what it
				// puts before a fence marker that a cut inside a line would move to the start of a post.
				const squash = (s: string) =>
					s
						.split('\n')
						.filter((line) => !/^\s*(`{3,}|~{3,})[\w-]*\s*$/.test(line))
						.join('')
						.replace(/[\s\\]/g, '');
				expect(squash(posts.join('\n'))).toBe(squash(text));
			}),
		);
	});
});

describe('attachments', () => {
	it('builds a card, adding # to a bare hex colour and dropping blank fields', () => {
		expect(
			buildAttachment({
				color: 'ff8800',
				title: 'Pipeline failed',
				title_link: 'https://git.example.org/p/1',
				text: '',
				fields: [{ title: 'Stage', value: 3, short: 'true' }],
			}),
		).toEqual({
			color: '#ff8800',
			title: 'Pipeline failed',
			title_link: 'https://git.example.org/p/1',
			fields: [{ title: 'Stage', value: '3', short: true }],
		});
	});

	it.each([
		[{ color: 'red', text: 'x' }, 'attachment.color'],
		[{ title: 't', title_link: 'javascript:alert(1)' }, 'attachment.title_link'],
		[{ title_link: 'https://example.org' }, 'attachment.title_link'],
		[{ author_link: 'https://example.org' }, 'attachment.author_link'],
		[{ text: 'x', fields: [{ title: 'a', value: { nested: true } }] }, 'attachment.fields[0].value'],
		[{}, 'attachment'],
	])('rejects %j naming %s', (input, field) => {
		try {
			buildAttachment(input);
			throw new Error('expected an error');
		} catch (error) {
			expect(error).toBeInstanceOf(AttachmentError);
			expect((error as AttachmentError).field).toBe(field);
		}
	});

	it('parses JSON text, a single object or a list', () => {
		expect(parseAttachments('[{"text":"a"},{"text":"b"}]')).toHaveLength(2);
		expect(parseAttachments({ text: 'a' })).toEqual([{ text: 'a' }]);
		expect(parseAttachments('')).toEqual([]);
		expect(() => parseAttachments('{nope', 'options.attachmentsJson')).toThrow('options.attachmentsJson is not valid JSON');
	});

	it('neutralises channel-wide mentions in the message, pretext, text and field values, not @username', () => {
		const { message, attachments } = neutraliseMessage('@here deploy by @alice', [
			{ pretext: '@channel', text: '<!all> and @bob', title: '@all', fields: [{ title: 't', value: '@here', short: false }] },
		]);
		expect(message).toBe(`@${ZWSP}here deploy by @alice`);
		expect(attachments[0].pretext).toBe(`@${ZWSP}channel`);
		expect(attachments[0].text).toBe(`<${ZWSP}!all> and @bob`);
		expect(attachments[0].fields?.[0].value).toBe(`@${ZWSP}here`);
		expect(attachments[0].title).toBe('@all');
	});
});

describe('user references', () => {
	it('tells ids, usernames and e-mails apart', () => {
		expect(parseUserReference('kq8xuw7t3jrr3b8ogx1y5bmzuy')).toMatchObject({ kind: 'id' });
		expect(parseUserReference('@Dana.Ops')).toMatchObject({ kind: 'username', value: 'dana.ops' });
		expect(parseUserReference('dana')).toMatchObject({ kind: 'username', value: 'dana' });
		expect(parseUserReference('Dana@Example.org')).toMatchObject({ kind: 'email', value: 'dana@example.org' });
		expect(parseUserReference('@kq8xuw7t3jrr3b8ogx1y5bmzuy')).toMatchObject({ kind: 'username' });
		expect(() => parseUserReference('not a user!')).toThrow('not a valid');
	});

	it('reads lists from text, arrays and user objects, without duplicates', () => {
		const refs = parseUserList(['dana, @dana', { username: 'eli' }, { email: 'fay@example.org' }, 'gil\nhal']);
		expect(refs.map((r) => `${r.kind}:${r.value}`)).toEqual([
			'username:dana',
			'username:eli',
			'email:fay@example.org',
			'username:gil',
			'username:hal',
		]);
	});
});

describe('retry policy', () => {
	const base = { attempt: 0, elapsedMs: 0, safety: 'repeatable' as const, now: 0 };
	const noJitter = () => 1;

	it('honours Retry-After and X-Ratelimit-Reset in seconds', () => {
		expect(decideRetry({ status: 429, headers: { 'Retry-After': '2' } }, base)).toEqual({ retry: true, waitMs: 2000 });
		expect(decideRetry({ status: 429, headers: { 'x-ratelimit-reset': '3' } }, base)).toEqual({ retry: true, waitMs: 3000 });
		expect(requestedWaitMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
	});

	it('gives up on a 429 that asks for too long a wait, and on client errors', () => {
		expect(decideRetry({ status: 429, headers: { 'retry-after': '3600' } }, base)).toMatchObject({ retry: false });
		expect(decideRetry({ status: 400 }, base)).toEqual({ retry: false, reason: 'HTTP 400' });
		expect(decideRetry({ status: 401 }, base)).toMatchObject({ retry: false });
	});

	it('backs off exponentially on 5xx and network errors, within the budget', () => {
		const waits = [0, 1, 2].map((attempt) => decideRetry({ status: 502 }, { ...base, attempt }, DEFAULT_RETRY_POLICY, noJitter));
		expect(waits).toEqual([
			{ retry: true, waitMs: 500 },
			{ retry: true, waitMs: 1000 },
			{ retry: true, waitMs: 2000 },
		]);
		expect(decideRetry({ status: 500 }, { ...base, attempt: 3 })).toMatchObject({ retry: false });
		expect(decideRetry({}, { ...base, attempt: 10 }, { ...DEFAULT_RETRY_POLICY, retries: 20 }, noJitter)).toEqual({
			retry: true,
			waitMs: DEFAULT_RETRY_POLICY.maxDelayMs,
		});
	});

	it('repeats a deduplicated post only inside the duplicate window, a once-only request only when unsent', () => {
		const dedup = { ...base, safety: 'deduplicated' as const };
		expect(decideRetry({ status: 500 }, { ...dedup, elapsedMs: 1000 })).toMatchObject({ retry: true });
		expect(decideRetry({ status: 500 }, { ...dedup, elapsedMs: 24_900 })).toMatchObject({ retry: false });
		const once = { ...base, safety: 'once' as const };
		expect(decideRetry({ status: 500 }, once)).toMatchObject({ retry: false });
		expect(decideRetry({ notSent: true }, once)).toMatchObject({ retry: true });
		expect(decideRetry({ status: 429, headers: { 'retry-after': '1' } }, once)).toEqual({ retry: true, waitMs: 1000 });
	});
});

describe('thread bookkeeping', () => {
	let t = 0;
	const now = () => t;
	let scopes = 0;
	const book = () =>
		new ThreadBook(openBook(instanceStore(`thread-book-test-${++scopes}`, {}, { now }), { name: 'threads', ttlMs: 60_000, maxEntries: 100, persist: 0 }), {
			pendingTimeoutMs: 1000,
		});

	it('lets one caller claim a new key, records the root per channel', async () => {
		const threads = book();
		expect(await threads.lookup('ch1', 'mr/7')).toEqual({ state: 'none' });
		expect(await threads.claim('ch1', 'mr/7')).toBe(true);
		expect(await threads.claim('ch1', 'mr/7')).toBe(false);
		expect(await threads.lookup('ch1', 'mr/7')).toEqual({ state: 'pending' });
		await threads.record('ch1', 'mr/7', 'root1');
		expect(await threads.lookup('ch1', 'mr/7')).toEqual({ state: 'root', rootId: 'root1' });
		expect(await threads.lookup('ch2', 'mr/7')).toEqual({ state: 'none' });
	});

	it('treats an abandoned claim as absent once it expires', async () => {
		const threads = book();
		t = 0;
		await threads.claim('ch1', 'k');
		t = 5000;
		expect(await threads.lookup('ch1', 'k')).toEqual({ state: 'none' });
		expect(await threads.claim('ch1', 'k')).toBe(true);
	});

	it('keeps one status line on the root, replaced each time and within the size limit', () => {
		const once = withStatusLine('MR !7 opened', statusLine('## Pipeline passed\nmore'), 100);
		expect(once).toBe('MR !7 opened\n\n---\n**Latest:** Pipeline passed');
		expect(withStatusLine(once, 'Merged', 100)).toBe('MR !7 opened\n\n---\n**Latest:** Merged');
		expect(runeLength(withStatusLine('x'.repeat(50), 'y'.repeat(200), 100))).toBeLessThanOrEqual(100);
	});
});

describe('inputMessage (Send Message, Message Source "From Input Item")', () => {
	const message = { text: 'MR !7 opened', attachments: [{ text: 'x' }], threadKey: ' gitlab/1/mr/7 ', idempotencyKey: 'd1' };

	it('reads the message of a formatter item as it is, for a channel', () => {
		expect(inputMessage({ message }, false)).toEqual({ text: 'MR !7 opened', attachments: [{ text: 'x' }], threadKey: 'gitlab/1/mr/7', idempotencyKey: 'd1' });
		expect(inputMessage({ message: { text: 'only text' } }, false)).toEqual({ text: 'only text', attachments: [], threadKey: '', idempotencyKey: '' });
	});

	it("takes a DM's recipient from mattermost.id and gives each recipient its own idempotency key", () => {
		expect(inputMessage({ message, mattermost: { id: 'abc' } }, true)).toMatchObject({ userId: 'abc', idempotencyKey: 'd1/to:abc' });
		expect(inputMessage({ message: { text: 'x' }, mattermost: { id: 'abc' } }, true).idempotencyKey).toBe('');
	});

	it.each([
		[{}, false, 'message'],
		[{ message: 'text' }, false, 'message'],
		[{ message: { text: 3 } }, false, 'message.text'],
		[{ message: { text: 'x', attachments: {} } }, false, 'message.attachments'],
		[{ message: { text: 'x', threadKey: 7 } }, false, 'message.threadKey'],
		[{ message: { text: 'x' } }, true, 'mattermost.id'],
		[{ message: { text: 'x' }, mattermost: { id: ' ' } }, true, 'mattermost.id'],
	])('refuses %j (direct: %s), naming the field %s', (json, direct, field) => {
		let thrown: unknown;
		try {
			inputMessage(json, direct);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(InputMessageError);
		expect((thrown as InputMessageError).field).toBe(field);
	});
});
