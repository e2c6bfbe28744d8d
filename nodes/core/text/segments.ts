/** A piece of Markdown text, either code (inline span or fenced block) or prose. */
export interface Segment {
	code: boolean;
	text: string;
}

/**
 * An opening fence the way Mattermost's parser reads one: up to three spaces, three or more backticks or tildes, and
 * no backtick anywhere after them on the line (otherwise the line is an ordinary paragraph).
 */
const FENCE = /^( {0,3})(`{3,}|~{3,})([^\r\n]*)/;
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

function isClosingFence(line: string, marker: string): boolean {
	const body = /^ {0,3}/.exec(line)?.[0].length ?? 0;
	const rest = line.slice(body);
	if (!rest.startsWith(marker)) return false;
	const after = rest.slice(marker.length).trim();
	return [...after].every((c) => c === marker[0]);
}

/**
 * Splits Markdown into code and prose the way Mattermost's parser sees it, so that rewriting prose (mention safety,
 * mention extraction) never touches code, which Mattermost shows verbatim and never scans for mentions.
 *
 * Where Markdown's block structure could pair backticks differently (a paragraph may start at any block marker, a
 * link destination swallows the backticks inside it), text counts as code only when it is code in every reading:
 * mistaking prose for code would let a mention through, mistaking code for prose only adds an invisible character.
 */
export function splitCode(text: string): Segment[] {
	const segments: Segment[] = [];
	const push = (code: boolean, piece: string) => {
		if (!piece) return;
		const last = segments[segments.length - 1];
		if (last && last.code === code) last.text += piece;
		else segments.push({ code, text: piece });
	};
	const lines = text.split(/(?<=\r\n|\r(?!\n)|\n)/);
	let prose = '';
	for (let i = 0; i < lines.length; i++) {
		const open = FENCE.exec(lines[i]);
		if (!open || open[3].includes('`')) {
			prose += lines[i];
			continue;
		}
		splitInlineCode(prose, push);
		prose = '';
		const marker = open[2];
		let block = lines[i];
		let j = i + 1;
		for (; j < lines.length; j++) {
			block += lines[j];
			if (isClosingFence(lines[j].replace(/[\r\n]+$/, ''), marker)) break;
		}
		push(true, block);
		i = j;
	}
	splitInlineCode(prose, push);
	return segments;
}

/** A URL or www autolink starting here: Mattermost's parser takes everything up to the next space or `<`/`>` into it. */
const AUTOLINK = /(?:(?:https?|ftp|mailto|tel|gemini):\/\/\S|(?:^|[\s*_~)<(>])www\d{0,3}\.)/i;

/**
 * Where each run of backticks in `text` starts, by run length. Mattermost closes a code span at the next run of
 * exactly the opener's length, so with these lists every opener finds its closer without reading the text again.
 */
function backtickRuns(text: string): Map<number, number[]> {
	const runs = new Map<number, number[]>();
	for (let i = text.indexOf('`'); i !== -1; ) {
		let run = 1;
		while (text[i + run] === '`') run++;
		const list = runs.get(run);
		if (list) list.push(i);
		else runs.set(run, [i]);
		i = text.indexOf('`', i + run);
	}
	return runs;
}

/**
 * Marks the code spans of one paragraph (starting at `offset`) as Mattermost pairs backticks, optionally skipping
 * inline link destinations and autolinks, whose backticks never open code. Linear in the paragraph: closers come from
 * backtickRuns (each list read forwards once) and the `)` ending a link destination is looked up once and reused.
 */
function markCodeSpans(text: string, offset: number, skipLinks: boolean, mark: Uint8Array) {
	const to = text.length;
	const runs = backtickRuns(text);
	const cursor = new Map<number, number>();
	let nextParen = -2;
	let i = 0;
	while (i < to) {
		const c = text[i];
		if (c === '\\') {
			i += i + 1 < to && ESCAPABLE.test(text[i + 1]) ? 2 : 1;
			continue;
		}
		if (skipLinks && c === ']' && text[i + 1] === '(') {
			if (nextParen !== -1 && nextParen < i + 2) nextParen = text.indexOf(')', i + 2);
			if (nextParen !== -1) {
				i = nextParen + 1;
				continue;
			}
		}
		if (skipLinks && (c === ':' || c === 'w') && AUTOLINK.test(text.slice(Math.max(0, i - 8), i + 8))) {
			while (i < to && !/[\s<>]/.test(text[i])) i++;
			continue;
		}
		if (c !== '`') {
			i++;
			continue;
		}
		let run = 1;
		while (text[i + run] === '`') run++;
		const starts = runs.get(run) ?? [];
		let k = cursor.get(run) ?? 0;
		while (k < starts.length && starts[k] < i + run) k++;
		cursor.set(run, k);
		if (k === starts.length) {
			i += run;
			continue;
		}
		const close = starts[k];
		mark.fill(1, offset + i, offset + close + run);
		i = close + run;
	}
}

const BLOCK_START = /^ {0,3}(?:>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|#{1,6}(?:\s|$))/;

/** A line's block markers: whether it is quoted, whether it opens a list item or a heading. */
function lineMarkers(line: string): { quoted: boolean; opens: boolean } {
	let rest = line;
	let quoted = false;
	let opens = false;
	for (;;) {
		const quote = /^ {0,3}> ?/.exec(rest);
		const item = quote ? null : /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)/.exec(rest);
		if (!quote && !item) break;
		quoted ||= !!quote;
		opens ||= !!item;
		rest = rest.slice((quote ?? item)![0].length);
	}
	return { quoted, opens: opens || /^ {0,3}#{1,6}(?:\s|$)/.test(rest) };
}

/**
 * Where a paragraph may begin: after a blank line, or at a line that starts a block quote, list item or heading.
 * `markers`: 'none' ignores block markers; 'every' starts a paragraph at each marked line; 'quote' reads them as
 * Mattermost's parser does, where a quoted line after a quoted line continues the quote's paragraph.
 */
function paragraphStarts(text: string, lineStarts: number[], markers: 'none' | 'every' | 'quote'): number[] {
	const starts = [0];
	let prevQuoted = false;
	for (let k = 0; k < lineStarts.length; k++) {
		const line = text.slice(lineStarts[k], lineStarts[k + 1] ?? text.length);
		const { quoted, opens } = markers === 'quote' ? lineMarkers(line) : { quoted: false, opens: false };
		if (k > 0) {
			const prev = text.slice(lineStarts[k - 1], lineStarts[k]);
			if (prev.trim() === '' || line.trim() === '') starts.push(lineStarts[k]);
			else if (markers === 'every' && BLOCK_START.test(line)) starts.push(lineStarts[k]);
			else if (markers === 'quote' && (opens || (quoted && !prevQuoted))) starts.push(lineStarts[k]);
		}
		prevQuoted = quoted;
	}
	return starts;
}

function splitInlineCode(text: string, push: (code: boolean, piece: string) => void) {
	if (!text.includes('`')) {
		push(false, text);
		return;
	}
	const lineStarts = [0];
	for (const m of text.matchAll(/\r\n|\r|\n/g)) if (m.index + m[0].length < text.length) lineStarts.push(m.index + m[0].length);
	const readings = [[0], paragraphStarts(text, lineStarts, 'none'), paragraphStarts(text, lineStarts, 'every'), paragraphStarts(text, lineStarts, 'quote'), lineStarts];
	let code: Uint8Array | undefined;
	for (const starts of readings) {
		for (const skip of [false, true]) {
			const mark = new Uint8Array(text.length);
			for (let k = 0; k < starts.length; k++) markCodeSpans(text.slice(starts[k], starts[k + 1] ?? text.length), starts[k], skip, mark);
			if (!code) code = mark;
			else for (let p = 0; p < code.length; p++) code[p] &= mark[p];
		}
	}
	let start = 0;
	for (let p = 1; p <= text.length; p++) {
		if (p === text.length || code![p] !== code![start]) {
			push(code![start] === 1, text.slice(start, p));
			start = p;
		}
	}
}
