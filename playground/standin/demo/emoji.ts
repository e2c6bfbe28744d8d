/**
 * Emoji as Mattermost shows them: its emoji set is built from emoji-datasource, so `:rotating_light:`,
 * `:white_check_mark:` or `:+1:` name the same emoji here as there, and like Mattermost the page draws each one as an
 * image cut from a sprite sheet (emoji-datasource's Google set, Apache-2.0), so it does not depend on the fonts of
 * the machine showing it. The character stays in the text for copying.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { escapeHtml } from './html';

interface EmojiEntry {
	unified: string;
	short_names: string[];
	sheet_x: number;
	sheet_y: number;
}

interface Emoji {
	char: string;
	x: number;
	y: number;
}

const DATA_DIR = dirname(require.resolve('emoji-datasource/package.json'));
/** The sprite sheet the demo page serves at EMOJI_SHEET_PATH. */
export const EMOJI_SHEET_FILE = join(DATA_DIR, 'img', 'google', 'sheets', '32.png');
export const EMOJI_SHEET_PATH = '/emoji/sheet.png';

let byName: Map<string, Emoji> | undefined;
let sheetSize = 0;

function emojis(): Map<string, Emoji> {
	if (byName) return byName;
	const entries = JSON.parse(readFileSync(join(DATA_DIR, 'emoji.json'), 'utf8')) as EmojiEntry[];
	byName = new Map();
	for (const entry of entries) {
		const char = String.fromCodePoint(...entry.unified.split('-').map((hex) => parseInt(hex, 16)));
		for (const name of entry.short_names) byName.set(name, { char, x: entry.sheet_x, y: entry.sheet_y });
		sheetSize = Math.max(sheetSize, entry.sheet_x + 1, entry.sheet_y + 1);
	}
	return byName;
}

/** Every short name mapped to its emoji character (markdown-it-emoji's definitions). */
export function emojiDefs(): Record<string, string> {
	return Object.fromEntries([...emojis()].map(([name, emoji]) => [name, emoji.char]));
}

/** `:name:` as Mattermost's emoji image, or the shortcode as text when the name is unknown (a custom emoji, say). */
export function emojiHtml(name: string): string {
	const emoji = emojis().get(name);
	if (!emoji) return escapeHtml(`:${name}:`);
	const position = (cell: number) => `${((cell * 100) / (sheetSize - 1)).toFixed(4)}%`;
	const style = `background-image:url(${EMOJI_SHEET_PATH});background-size:${sheetSize * 100}%;background-position:${position(emoji.x)} ${position(emoji.y)}`;
	return `<span class="emoji" title=":${escapeHtml(name)}:" style="${style}">${emoji.char}</span>`;
}
