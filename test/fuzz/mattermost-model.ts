/**
 * An independent model of how the Mattermost server decides that a post notifies a whole channel, written from the
 * server's own rules (mattermost-api.md §5; server `shared/markdown` inline parser and `mention_parser_standard.go`),
 * so fuzz tests can check the package's output without trusting the package's own detector.
 *
 * What it models:
 * - webhook / slash-command Slack compatibility: `<!channel>`, `<!here>`, `<!all>` become `@channel`... before parsing
 *   (modelled case-insensitively and with `|label`, a superset of the server's exact replacement);
 * - blocks: top-level fenced code (the server's rules: up to 3 spaces, no backtick anywhere on a fence's opening line,
 *   a closing line that starts with the opening fence and has only fence characters after it), paragraphs split at
 *   blank lines, block quotes and list items. Indented code is treated as text (more mentions, never fewer);
 * - inlines: backslash escapes, code spans (the server's exact backtick matching), character references
 *   (`&#64;`, `&#x40;`, `&commat;`...), inline links (their destination is not text), URL and www autolinks and
 *   `:emoji:` (non-text nodes that end a run of text), line breaks;
 * - the mention parser: split on anything but letters, digits and `: . - _ @`, trim `:.-_` on the left, strip
 *   `.-:_` suffixes one at a time, and split words that do not start with `@` at `.`, `-`, `:`.
 * Because block structure can be read more than one way, mentions are collected over two readings of the paragraphs
 * (the block parse above, and every line on its own) and the union is returned.
 */

const SYSTEM = new Set(['@here', '@channel', '@all']);
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const NAMED_ENTITIES: Record<string, string> = {
	commat: '@', lowbar: '_', UnderBar: '_', period: '.', colon: ':', amp: '&', AMP: '&', lt: '<', LT: '<', gt: '>',
	GT: '>', quot: '"', QUOT: '"', apos: "'", grave: '`', DiacriticalGrave: '`', num: '#', excl: '!', lsqb: '[',
	rsqb: ']', lbrack: '[', rbrack: ']', lpar: '(', rpar: ')', bsol: '\\', NewLine: '\n', Tab: '\t', nbsp: '\u00a0',
	NegativeMediumSpace: '\u200b', ZeroWidthSpace: '\u200b', NoBreak: '\u2060', hyphen: '\u2010', dash: '\u2010',
};
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'mailto', 'tel', 'gemini']);

function isMention(word: string): boolean {
	return SYSTEM.has(word.toLowerCase());
}

/** The server's `ProcessText`, returning the channel-wide mentions it would honour. */
export function processText(text: string): string[] {
	const found: string[] = [];
	const words = text.split(/[^:.\-_@\p{L}\p{N}]+/u).filter(Boolean);
	for (const raw of words) {
		if (raw[0] === ':' && raw[raw.length - 1] === ':') continue;
		const word = raw.replace(/^[:.\-_]+/, '');
		if (isMention(word)) {
			found.push(word);
			continue;
		}
		let stripped = word;
		let suffixHit = false;
		while (stripped && /[.\-:_]$/.test(stripped)) {
			stripped = stripped.slice(0, -1);
			if (isMention(stripped)) {
				found.push(stripped);
				suffixHit = true;
				break;
			}
		}
		if (suffixHit) continue;
		if (!SYSTEM.has(word) && word.startsWith('@')) continue;
		if (/[.\-:]/.test(word)) {
			for (const piece of word.split(/[.\-:]+/)) if (piece && isMention(piece)) found.push(piece);
		}
	}
	return found;
}

/** The server's `CharacterReference`: the decoded text, or '' when `ref` is not a reference. */
export function characterReference(ref: string): string {
	if (!ref) return '';
	if (ref[0] === '#') {
		if (ref.length < 2) return '';
		let n = 0;
		if (ref[1] === 'x' || ref[1] === 'X') {
			if (ref.length < 3) return '';
			for (let i = 2; i < ref.length; i++) {
				if (i > 9) return '';
				const d = parseInt(ref[i], 16);
				if (Number.isNaN(d)) return '';
				n = n * 16 + d;
			}
		} else {
			for (let i = 1; i < ref.length; i++) {
				if (i > 8 || ref[i] < '0' || ref[i] > '9') return '';
				n = n * 10 + (ref.charCodeAt(i) - 48);
			}
		}
		if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
		return String.fromCodePoint(n);
	}
	return Object.hasOwn(NAMED_ENTITIES, ref) ? NAMED_ENTITIES[ref] : '';
}

interface LinkEnd {
	end: number;
}

/** CommonMark inline link tail `(destination "title")` starting at `pos` (which must be `(`). */
function parseLinkTail(raw: string, pos: number): LinkEnd | undefined {
	if (raw[pos] !== '(') return undefined;
	let i = pos + 1;
	while (i < raw.length && /\s/.test(raw[i])) i++;
	if (raw[i] === ')') return { end: i + 1 };
	if (raw[i] === '<') {
		i++;
		while (i < raw.length && raw[i] !== '>' && raw[i] !== '\n' && raw[i] !== '<') i += raw[i] === '\\' ? 2 : 1;
		if (raw[i] !== '>') return undefined;
		i++;
	} else {
		let depth = 0;
		const start = i;
		while (i < raw.length) {
			const c = raw[i];
			if (c === '\\' && i + 1 < raw.length && ESCAPABLE.test(raw[i + 1])) {
				i += 2;
				continue;
			}
			if (/\s/.test(c) || c.charCodeAt(0) < 0x20) break;
			if (c === '(') depth++;
			if (c === ')') {
				if (depth === 0) break;
				depth--;
			}
			i++;
		}
		if (i === start || depth !== 0) return undefined;
	}
	const beforeTitle = i;
	while (i < raw.length && /\s/.test(raw[i])) i++;
	if (i > beforeTitle && (raw[i] === '"' || raw[i] === "'" || raw[i] === '(')) {
		const close = raw[i] === '(' ? ')' : raw[i];
		i++;
		while (i < raw.length && raw[i] !== close) i += raw[i] === '\\' ? 2 : 1;
		if (raw[i] !== close) return undefined;
		i++;
		while (i < raw.length && /\s/.test(raw[i])) i++;
	}
	return raw[i] === ')' ? { end: i + 1 } : undefined;
}

/** The server's `checkDomain` refuses a domain with `_` before its first other punctuation or space. */
function underscoreInDomain(raw: string, start: number): boolean {
	for (let i = start + 1; i < raw.length - 1; i++) {
		const c = raw[i];
		if (c === '_') return true;
		if (c !== '.' && c !== '-' && /[\s\p{P}]/u.test(c)) return false;
	}
	return false;
}

function trimAutolinkEnd(raw: string, start: number, end: number): number {
	let e = end;
	const cut = raw.slice(start, e).search(/[<>]/);
	if (cut !== -1) e = start + cut;
	while (e > start) {
		const c = raw[e - 1];
		if ('?!.,:*_~\'"'.includes(c)) e--;
		else if (c === ';') {
			const m = /&[A-Za-z]+;$/.exec(raw.slice(start, e));
			e = m ? e - m[0].length : e - 1;
		} else if (c === ')') {
			const part = raw.slice(start, e);
			if ((part.match(/\)/g)?.length ?? 0) <= (part.match(/\(/g)?.length ?? 0)) break;
			e--;
		} else break;
	}
	return e;
}

/** Text runs (what the server concatenates from adjacent Text nodes) of one paragraph. */
export function textRuns(raw: string): string[] {
	const runs: string[] = [];
	let buf = '';
	const flush = () => {
		if (buf) runs.push(buf);
		buf = '';
	};
	const openers: Array<{ image: boolean; inactive: boolean }> = [];
	let pos = 0;
	while (pos < raw.length) {
		const c = raw[pos];
		if (c === '\n' || c === '\r') {
			flush();
			pos++;
			continue;
		}
		if (c === '\\') {
			if (pos + 1 < raw.length && ESCAPABLE.test(raw[pos + 1])) {
				buf += raw[pos + 1];
				pos += 2;
			} else {
				buf += '\\';
				pos++;
			}
			continue;
		}
		if (c === '`') {
			let count = 1;
			while (raw[pos + count] === '`') count++;
			const opening = '`'.repeat(count);
			let search = pos + count;
			let closedAt = -1;
			while (search < raw.length) {
				const end = raw.indexOf(opening, search);
				if (end === -1) break;
				if (raw[end + count] === '`') {
					search = end + count;
					while (raw[search] === '`') search++;
					continue;
				}
				closedAt = end;
				break;
			}
			if (closedAt === -1) {
				buf += opening;
				pos += count;
			} else {
				flush();
				pos = closedAt + count;
			}
			continue;
		}
		if (c === '&') {
			const semicolon = raw.indexOf(';', pos + 1);
			const decoded = semicolon === -1 ? '' : characterReference(raw.slice(pos + 1, semicolon));
			if (decoded) {
				buf += decoded;
				pos = semicolon + 1;
			} else {
				buf += '&';
				pos++;
			}
			continue;
		}
		if (c === '[' || (c === '!' && raw[pos + 1] === '[')) {
			openers.push({ image: c === '!', inactive: false });
			buf += c === '!' ? '![' : '[';
			pos += c === '!' ? 2 : 1;
			continue;
		}
		if (c === ']') {
			const opener = openers.pop();
			const tail = opener && !opener.inactive ? parseLinkTail(raw, pos + 1) : undefined;
			if (opener && tail) {
				// The link node ends the text run; its destination is not text.
				flush();
				if (!opener.image) for (const o of openers) o.inactive = true;
				pos = tail.end;
			} else {
				buf += ']';
				pos++;
			}
			continue;
		}
		if (c === ':' && raw.startsWith('//', pos + 1)) {
			const scheme = /[A-Za-z0-9]+$/.exec(raw.slice(Math.max(0, pos - 10), pos))?.[0] ?? '';
			const host = raw[pos + 3];
			if (URL_SCHEMES.has(scheme.toLowerCase()) && host && !/[\s\p{P}]/u.test(host)) {
				let end = pos + 3;
				while (end < raw.length && !/\s/.test(raw[end])) end++;
				if (!underscoreInDomain(raw, pos + 3)) {
					const start = pos - scheme.length;
					const linkEnd = trimAutolinkEnd(raw, start, end);
					if (linkEnd > pos) {
						buf = buf.slice(0, buf.length - scheme.length);
						flush();
						pos = linkEnd;
						continue;
					}
				}
			}
		}
		if (c === ':') {
			const emoji = /^:[A-Za-z0-9_+-]+:/.exec(raw.slice(pos, pos + 80));
			if (emoji) {
				flush();
				pos += emoji[0].length;
				continue;
			}
		}
		if (c === 'w' && (pos <= 1 || /[\s*_~)<(>]/.test(raw[pos - 1])) && /^www\d{0,3}\.[^\s_]*\./.test(raw.slice(pos, pos + 300))) {
			let end = pos;
			while (end < raw.length && !/\s/.test(raw[end])) end++;
			const linkEnd = trimAutolinkEnd(raw, pos, end);
			if (linkEnd > pos) {
				flush();
				pos = linkEnd;
				continue;
			}
		}
		const cp = raw.codePointAt(pos) ?? 0;
		const ch = String.fromCodePoint(cp);
		buf += ch;
		pos += ch.length;
	}
	flush();
	return runs;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})([^\r\n]*)$/;

function indentation(line: string): number {
	let n = 0;
	for (const ch of line) {
		if (ch === ' ') n++;
		else if (ch === '\t') n += 4 - (n % 4);
		else break;
	}
	return n;
}

/** Paragraph texts outside fenced code, read two ways (block parse; each line alone). */
export function paragraphReadings(text: string): string[][] {
	const lines = text.split(/\r\n|\r|\n/);
	const blocks: string[] = [];
	const single: string[] = [];
	let para: string[] = [];
	let paraQuoted = false;
	const end = () => {
		if (para.length) blocks.push(para.join('\n'));
		para = [];
	};
	let fence: { marker: string } | undefined;
	for (const line of lines) {
		if (fence) {
			const body = line.replace(/^ {0,3}/, '');
			if (indentation(line) <= 3 && body.startsWith(fence.marker) && new RegExp(`^\\${fence.marker[0]}*$`).test(body.slice(fence.marker.length).trim())) fence = undefined;
			continue;
		}
		const open = FENCE_OPEN.exec(line);
		if (open && !open[3].includes('`') && indentation(line) <= 3) {
			end();
			fence = { marker: open[2] };
			continue;
		}
		single.push(line);
		if (line.trim() === '') {
			end();
			continue;
		}
		let rest = line;
		let quoted = false;
		let container = false;
		for (;;) {
			const q = /^ {0,3}> ?/.exec(rest);
			if (q) {
				rest = rest.slice(q[0].length);
				quoted = true;
				continue;
			}
			const li = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)/.exec(rest);
			if (li) {
				rest = rest.slice(li[0].length);
				container = true;
				continue;
			}
			break;
		}
		if (container || (quoted && !paraQuoted) || /^ {0,3}#{1,6}(\s|$)/.test(rest)) end();
		paraQuoted = quoted;
		para.push(rest);
	}
	end();
	return [blocks, single];
}

export interface ModelOptions {
	/** The text goes through a path with Slack compatibility (incoming webhook, slash command or outgoing webhook response). */
	slack?: boolean;
}

/** Every channel-wide mention Mattermost would honour in one Markdown text (message, attachment pretext/text, field value). */
export function honouredChannelMentions(text: unknown, options: ModelOptions = {}): string[] {
	if (typeof text !== 'string' || !text) return [];
	const source = options.slack ? text.replace(/<!(channel|here|all)(\|[^>]*)?>/gi, (_m, word: string) => `@${word}`) : text;
	const found = new Set<string>();
	for (const reading of paragraphReadings(source)) {
		for (const paragraph of reading) for (const run of textRuns(paragraph)) for (const m of processText(run)) found.add(m);
	}
	return [...found];
}

/** Mattermost attachments' mention-enabled fields plus titles, which a future server might scan too. */
export function scannedAttachmentTexts(attachments: unknown): string[] {
	if (!Array.isArray(attachments)) return [];
	const out: string[] = [];
	for (const a of attachments) {
		if (!a || typeof a !== 'object') continue;
		const rec = a as Record<string, unknown>;
		for (const key of ['pretext', 'text', 'title', 'fallback']) if (typeof rec[key] === 'string') out.push(rec[key] as string);
		if (Array.isArray(rec.fields)) {
			for (const f of rec.fields) {
				if (f && typeof f === 'object') {
					const v = (f as Record<string, unknown>).value;
					if (typeof v === 'string') out.push(v);
					const t = (f as Record<string, unknown>).title;
					if (typeof t === 'string') out.push(t);
				}
			}
		}
	}
	return out;
}
