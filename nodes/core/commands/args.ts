/**
 * Splits command text into arguments much like a shell: whitespace separates arguments, double quotes keep spaces
 * (with `\"` and `\\` escapes inside), single quotes keep everything literally, and a backslash outside quotes
 * escapes the next character. Chat text is not shell input, so three rules keep ordinary sentences intact:
 * - a quote without a matching close is an ordinary character (`Can't log in` stays three words);
 * - a single quote opens only at the start of a word and closes only before whitespace or the end, so apostrophes
 *   (`it's`, `won't`) never start or end a quoted part;
 * - typographic quotes that chat clients substitute (“…”, „…“, ‘…’) count as quotes.
 * It never throws, whatever the input.
 */
const DOUBLE_CLOSE: Record<string, string> = { '"': '"', '\u201c': '\u201d', '\u201e': '\u201c' };
const SINGLE_CLOSE: Record<string, string> = { "'": "'", '\u2018': '\u2019' };

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);
/** Characters that may end a run of plain word characters: whitespace, a backslash, any quote. */
const SPECIAL = /[\s\\"'\u201c\u201e\u2018]/g;

/** Index of the closing double quote (skipping escaped ones), or -1. */
function findDoubleClose(input: string, from: number, close: string): number {
	for (let i = from; i < input.length; i++) {
		if (input[i] === '\\' && i + 1 < input.length) {
			i++;
			continue;
		}
		if (input[i] === close) return i;
	}
	return -1;
}

/** Index of a closing single quote that ends a word, or -1. */
function findSingleClose(input: string, from: number, close: string): number {
	for (let i = from; i < input.length; i++) {
		if (input[i] === close && (i + 1 === input.length || isSpace(input[i + 1]))) return i;
	}
	return -1;
}

export function splitArgs(text: string): string[] {
	const input = typeof text === 'string' ? text : '';
	const args: string[] = [];
	// Pieces joined once per word: adding one character at a time to a string costs more than linear time in V8.
	let current: string[] = [];
	// A quote that finds no closer from one place finds none from any later place either: remembered, so a text
	// full of unmatched quotes is read once, not once per quote.
	const unclosed = new Set<string>();
	let inWord = false;
	let i = 0;
	while (i < input.length) {
		const ch = input[i];
		if (isSpace(ch)) {
			if (inWord) args.push(current.join(''));
			current = [];
			inWord = false;
			i++;
			continue;
		}
		const atWordStart = !inWord;
		inWord = true;
		SPECIAL.lastIndex = i;
		const special = SPECIAL.exec(input)?.index ?? input.length;
		if (special > i) {
			current.push(input.slice(i, special));
			i = special;
			continue;
		}
		if (ch === '\\' && i + 1 < input.length) {
			current.push(input[i + 1]);
			i += 2;
			continue;
		}
		if (Object.hasOwn(DOUBLE_CLOSE, ch) && !unclosed.has(ch)) {
			const end = findDoubleClose(input, i + 1, DOUBLE_CLOSE[ch]);
			if (end === -1) unclosed.add(ch);
			if (end !== -1) {
				current.push(input.slice(i + 1, end).replace(/\\([\s\S])/g, (m, next: string) =>
					next === DOUBLE_CLOSE[ch] || next === '\\' ? next : m,
				));
				i = end + 1;
				continue;
			}
		} else if (Object.hasOwn(SINGLE_CLOSE, ch) && atWordStart && !unclosed.has(ch)) {
			const end = findSingleClose(input, i + 1, SINGLE_CLOSE[ch]);
			if (end === -1) unclosed.add(ch);
			if (end !== -1) {
				current.push(input.slice(i + 1, end));
				i = end + 1;
				continue;
			}
		}
		current.push(ch);
		i++;
	}
	if (inWord) args.push(current.join(''));
	return args;
}

/**
 * The first whitespace-separated word and the rest exactly as typed (trimmed), for commands such as
 * `!ticket new Login fails on "Safari"` where the free text after the sub-command matters more than its quoting.
 */
export function splitFirstWord(text: string): { first: string; rest: string } {
	const input = typeof text === 'string' ? text.trim() : '';
	const match = /^(\S+)\s*([\s\S]*)$/.exec(input);
	if (!match) return { first: '', rest: '' };
	return { first: match[1], rest: match[2].trim() };
}
