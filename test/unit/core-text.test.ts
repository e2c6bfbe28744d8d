import { encodePathSegment, escapeInline, excerpt, extractMentions, hasChannelMention, markdownLink, neutraliseChannelMentions, safeUrl } from '../../nodes/core/text';

describe('neutraliseChannelMentions', () => {
	it.each([
		'@channel', '@CHANNEL.', '@here:', '@All!', '**@channel**', '[@channel](https://x.example)', '> @here', '- @all', '\\@channel', 'ping foo.@all now', '<!channel>', '<!here|here>', '<!ALL>',
	])('stops the channel-wide mention in %j', (text) => {
		expect(hasChannelMention(text)).toBe(true);
		const safe = neutraliseChannelMentions(text);
		expect(hasChannelMention(safe)).toBe(false);
		expect(safe.replace(/\u200b/g, '')).toBe(text);
	});

	it('leaves usernames, e-mail addresses and code exactly as they were', () => {
		const text = 'hi @allison and @here_team, mail ops@here.example, see `@channel` and\n```\n@all\n```\n';
		expect(neutraliseChannelMentions(text)).toBe(text);
	});

	it('handles code and prose together', () => {
		expect(neutraliseChannelMentions('`@here` then @here')).toBe('`@here` then @\u200bhere');
	});
});

describe('extractMentions', () => {
	it('finds @user outside code, e-mails and URLs, without trailing punctuation, once each', () => {
		expect(extractMentions('@alice please look. cc @bob.smith, @carol-x. and @alice again `@dave` mail eve@example.com https://h.example/@frank @channel')).toEqual(['alice', 'bob.smith', 'carol-x']);
	});
	it('ignores mentions in fenced code', () => {
		expect(extractMentions('```\n@alice\n```\n@bob')).toEqual(['bob']);
	});
});

describe('links and escaping', () => {
	it('keeps only http(s) URLs', () => {
		expect(safeUrl('https://gitlab.example/a/b/-/merge_requests/1')).toBe('https://gitlab.example/a/b/-/merge_requests/1');
		expect(safeUrl('javascript:alert(1)')).toBeUndefined();
		expect(safeUrl('data:text/html,x')).toBeUndefined();
		expect(safeUrl('/relative')).toBeUndefined();
		expect(safeUrl(42)).toBeUndefined();
		expect(safeUrl('https://x.example/a(b)')).toBe('https://x.example/a%28b%29');
	});
	it('escapes layout-breaking Markdown on one line', () => {
		expect(escapeInline('Fix *bold* [link](x)\n# heading | table')).toBe('Fix \\*bold\\* \\[link\\]\\(x\\) \\# heading \\| table');
		expect(markdownLink('a]b', 'javascript:x')).toBe('a\\]b');
		expect(markdownLink('MR', 'https://x.example/1')).toBe('[MR](https://x.example/1)');
	});
	it('cuts excerpts at a word', () => {
		expect(excerpt('short')).toBe('short');
		const long = 'word '.repeat(100);
		const cut = excerpt(long, 50);
		expect(cut.endsWith('…')).toBe(true);
		expect(cut.length).toBeLessThanOrEqual(51);
		expect(cut).not.toMatch(/wor…$/);
	});
});

describe('encodePathSegment', () => {
	it('encodes like encodeURIComponent and survives lone surrogate halves', () => {
		expect(encodePathSegment('feature/a b')).toBe('feature%2Fa%20b');
		expect(encodePathSegment('😀')).toBe(encodeURIComponent('😀'));
		expect(encodePathSegment('\ud83d')).toBe('%EF%BF%BD');
		expect(encodePathSegment('a\udc00b')).toBe('a%EF%BF%BDb');
	});
});
