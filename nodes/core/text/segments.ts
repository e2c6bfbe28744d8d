/** A piece of Markdown text, either code (inline span or fenced block) or prose. */
export interface Segment {
	code: boolean;
	text: string;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})/;

/**
 * Splits Markdown into code and prose the way Mattermost's parser sees it, so that rewriting prose (mention safety,
 * mention extraction) never touches code, which Mattermost shows verbatim and never scans for mentions.
 */
export function splitCode(text: string): Segment[] {
	const segments: Segment[] = [];
	const push = (code: boolean, piece: string) => {
		if (!piece) return;
		const last = segments[segments.length - 1];
		if (last && last.code === code) last.text += piece;
		else segments.push({ code, text: piece });
	};
	const lines = text.split(/(?<=\n)/);
	let prose = '';
	for (let i = 0; i < lines.length; i++) {
		const open = FENCE.exec(lines[i]);
		if (!open) {
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
			const close = FENCE.exec(lines[j]);
			if (close && close[2][0] === marker[0] && close[2].length >= marker.length && lines[j].trim() === close[2]) break;
		}
		push(true, block);
		i = j;
	}
	splitInlineCode(prose, push);
	return segments;
}

function splitInlineCode(text: string, push: (code: boolean, piece: string) => void) {
	let i = 0;
	let start = 0;
	while (i < text.length) {
		if (text[i] === '\\' && text[i + 1] === '`') {
			i += 2;
			continue;
		}
		if (text[i] !== '`') {
			i++;
			continue;
		}
		let run = 1;
		while (text[i + run] === '`') run++;
		const ticks = '`'.repeat(run);
		let close = text.indexOf(ticks, i + run);
		while (close !== -1 && text[close + run] === '`') {
			let skip = close;
			while (text[skip] === '`') skip++;
			close = text.indexOf(ticks, skip);
		}
		if (close === -1) {
			i += run;
			continue;
		}
		push(false, text.slice(start, i));
		push(true, text.slice(i, close + run));
		i = close + run;
		start = i;
	}
	push(false, text.slice(start));
}
