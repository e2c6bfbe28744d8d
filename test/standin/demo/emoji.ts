/**
 * Emoji shortcodes as Mattermost knows them: its emoji set is built from emoji-datasource, so `:rotating_light:`,
 * `:white_check_mark:` or `:+1:` name the same emoji here as in Mattermost.
 */
import { readFileSync } from 'node:fs';

interface EmojiEntry {
	unified: string;
	short_names: string[];
}

let defs: Record<string, string> | undefined;

/** Every short name of emoji-datasource mapped to its emoji character(s). */
export function emojiDefs(): Record<string, string> {
	if (defs) return defs;
	const entries = JSON.parse(readFileSync(require.resolve('emoji-datasource/emoji.json'), 'utf8')) as EmojiEntry[];
	defs = {};
	for (const entry of entries) {
		const emoji = String.fromCodePoint(...entry.unified.split('-').map((hex) => parseInt(hex, 16)));
		for (const name of entry.short_names) defs[name] = emoji;
	}
	return defs;
}

/** `:name:` as its emoji, or the shortcode itself when the name is unknown (a custom emoji, say). */
export function emojiFor(name: string): string {
	return emojiDefs()[name] ?? `:${name}:`;
}
