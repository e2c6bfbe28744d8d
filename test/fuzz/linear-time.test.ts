/**
 * Every function that reads untrusted text (payload fields, commands, alerts, headers) runs in time linear in its
 * input, whatever the input. Inputs are built to hurt backtracking and rescanning: long runs of one character,
 * unmatched openers of every kind, alternations of two characters, nested brackets and quotes, and the two inputs
 * of issue 17 that took seconds. Times are never compared with a fixed budget: each is a ratio to a linear
 * baseline (a plain character loop) run on the same input in the same run, at 1 MiB. A linear function stays
 * within a constant multiple of the baseline; a quadratic one needs about a million times more work there than at
 * 1 KiB, and tens of thousands of times the baseline. (Comparing growth between two sizes was tried and dropped:
 * on a shared machine, timings of a few milliseconds grow by pauses and compiler tier-ups alone.)
 */
import { performance } from 'node:perf_hooks';

import { buildReply, parseTokenList, presentedTokens, splitArgs, splitFirstWord } from '../../nodes/core/commands';
import { formatGitLabEvent } from '../../nodes/core/gitlab';
import { quotedExcerpt } from '../../nodes/core/gitlab/events/common';
import { mentionedIn } from '../../nodes/core/gitlab/people';
import { LANGUAGES } from '../../nodes/core/gitlab/templates';
import { parseUserList, runeLength, safeMessageParts, splitMessage, statusLine, withStatusLine } from '../../nodes/core/mattermost';
import { isEmailAddress, personOf, realEmail } from '../../nodes/core/people';
import { parseMapping, toIdentity } from '../../nodes/core/recipients';
import { parseSecretList, presentedSecret } from '../../nodes/core/secrets';
import {
	clipText,
	encodePathSegment,
	fillTemplate,
	formatValue,
	escapeInline,
	excerpt,
	extractMentions,
	hasChannelMention,
	markdownLink,
	neutraliseChannelMentions,
	quote,
} from '../../nodes/core/text';
import { splitCode } from '../../nodes/core/text/segments';
import { splitList } from '../../nodes/core/util';

const SMALL = 64 * 1024;
const LARGE = 1024 * 1024;
/**
 * Most a function may take per character, as a multiple of the baseline's time on the same input (the slowest,
 * splitting command arguments, takes about 200; a quadratic function takes thousands at 1 MiB).
 */
const RATIO_BUDGET = 2000;

/** A linear pass over every character: the yardstick. */
function baseline(text: string): number {
	let h = 0;
	for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
	return h;
}

function repeatTo(unit: string, size: number): string {
	return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Hostile inputs of about `size` characters. */
const GENERATORS: Record<string, (size: number) => string> = {
	// The two inputs of issue 17.
	'@a, a run of -, b (issue 17)': (n) => `@a${'-'.repeat(n - 3)}b`,
	'<!here| repeated (issue 17)': (n) => repeatTo('<!here|', n),
	// Long runs of one character.
	...Object.fromEntries(['-', '@', '`', '&', '\\', '"', '\u201e', '\n'].map((c) => [`run of ${JSON.stringify(c)}`, (n: number) => c.repeat(n)])),
	// Unmatched openers of every kind.
	...Object.fromEntries(
		['`x ', '``x ', '```x\n', '](x ', '&#0000000', '@all-', "'a ", '\u201ea ', '<!channel|', 'http://x', '> '].map(
			(unit) => [`unmatched ${JSON.stringify(unit)}`, (n: number) => repeatTo(unit, n)],
		),
	),
	// Alternations of two characters.
	...Object.fromEntries(['@-', '`a', '\\`', '.-', '"\\'].map((pair) => [`alternating ${JSON.stringify(pair)}`, (n: number) => repeatTo(pair, n)])),
	// Nested brackets and quotes.
	'nested brackets': (n) => `${'[('.repeat(n / 4)}${')]'.repeat(n / 4)}`,
	'nested quotes': (n) => `${'"\''.repeat(n / 4)}${'\'"'.repeat(n / 4)}`,
	'nested code and links': (n) => repeatTo('[`(`[x](`', n),
};

const note = (body: string) => ({
	object_kind: 'note',
	user: { id: 1, username: 'ann', name: 'Ann' },
	project: { id: 1, path_with_namespace: 'g/p', web_url: 'https://gitlab.example/g/p' },
	object_attributes: { id: 5, note: body, noteable_type: 'MergeRequest', url: 'https://gitlab.example/g/p/-/merge_requests/1#note_5' },
	merge_request: { id: 2, iid: 1, title: body, source_branch: body, author_id: 2, assignee_ids: [3] },
});

/**
 * Every function that reads untrusted text, by name. Functions made only of these (parseCommandRequest is
 * splitFirstWord and splitArgs, neutraliseMessage is neutraliseChannelMentions per field) are linear through them.
 */
const FUNCTIONS: Record<string, (text: string) => unknown> = {
	neutraliseChannelMentions: (t) => neutraliseChannelMentions(t),
	'neutraliseChannelMentions (server splits)': (t) => neutraliseChannelMentions(t, { serverSplits: true }),
	hasChannelMention,
	extractMentions,
	splitCode,
	escapeInline,
	markdownLink: (t) => markdownLink(t, `https://x.example/${t}`),
	excerpt,
	quote,
	'formatValue (text)': (t) => formatValue(t),
	'formatValue (quote)': (t) => formatValue(t, 'quote'),
	fillTemplate: (t) => fillTemplate(`{a} ${t}\n{b}`, { a: t, b: '' }),
	clipText,
	isEmailAddress,
	encodePathSegment,
	quotedExcerpt: (t) => quotedExcerpt(t, 'https://x.example/n', LANGUAGES.en.words),
	mentionedIn,
	realEmail,
	personOf,
	'formatGitLabEvent (comment, title and branch)': (t) => formatGitLabEvent(note(t)),
	splitArgs,
	splitFirstWord,
	presentedTokens: (t) => presentedTokens({ token: t }, `Token ${t}`),
	parseTokenList,
	splitList,
	buildReply: (t) => buildReply('outgoing_webhook', t),
	splitMessage: (t) => splitMessage(t, 16383),
	safeMessageParts: (t) => safeMessageParts(t, 16383),
	runeLength,
	statusLine,
	withStatusLine: (t) => withStatusLine(t, t, 16383),
	parseUserList: (t) => {
		try {
			return parseUserList(t);
		} catch {
			return undefined;
		}
	},
	toIdentity: (t) => toIdentity({ username: t, email: t, name: t }, 0),
	'splitList (spaces and commas)': (t) => splitList(t, /[\s,]+/),
	parseMapping: (t) => {
		try {
			return parseMapping({ [t]: t });
		} catch {
			return undefined;
		}
	},
	parseSecretList,
	presentedSecret: (t) => presentedSecret({ authorization: `Bearer ${t}` }, { kind: 'bearer' }),
};

/** Awaits what the function returns, so an async one (formatGitLabEvent) is timed to its end. */
async function time(fn: (text: string) => unknown, text: string, repeat: number): Promise<number> {
	let best = Infinity;
	for (let r = 0; r < repeat; r++) {
		const start = performance.now();
		await fn(text);
		best = Math.min(best, performance.now() - start);
	}
	return Math.max(best, 0.001);
}

/** The function's time at 1 MiB over the baseline's; at 64 KiB first, so a quadratic function fails fast. */
async function ratio(fn: (text: string) => unknown, small: string, large: string, baseSmall: number, baseLarge: number): Promise<number> {
	const ratioSmall = (await time(fn, small, 1)) / baseSmall;
	if (ratioSmall > RATIO_BUDGET) return ratioSmall;
	return (await time(fn, large, 1)) / baseLarge;
}

describe('linear time on hostile text', () => {
	const inputs: Array<{ name: string; small: string; large: string; baseSmall: number; baseLarge: number }> = [];
	beforeAll(async () => {
		for (const [name, make] of Object.entries(GENERATORS)) {
			const small = make(SMALL);
			const large = make(LARGE);
			baseline(small);
			inputs.push({ name, small, large, baseSmall: await time(baseline, small, 5), baseLarge: await time(baseline, large, 3) });
		}
	});

	it.each(Object.entries(FUNCTIONS))('%s', async (_name, fn) => {
		const failures: string[] = [];
		await fn(inputs[0].small.slice(0, 1000));
		for (const input of inputs) {
			let found = await ratio(fn, input.small, input.large, input.baseSmall, input.baseLarge);
			// One more try before failing: the machine is shared, and a pause can land in any single measurement.
			if (found > RATIO_BUDGET) found = Math.min(found, await ratio(fn, input.small, input.large, input.baseSmall, input.baseLarge));
			if (found > RATIO_BUDGET) failures.push(`${input.name}: ${found.toFixed(0)}× the baseline at 1 MiB`);
		}
		expect(failures).toEqual([]);
	});
});
