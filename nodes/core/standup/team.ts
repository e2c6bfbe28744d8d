/** Who takes part on a day: the members, less those away; who of them has not answered yet. */
import { normaliseUsername } from '../people';
import { splitList } from '../util';
import { parseDate } from './clock';
import { StandupError } from './errors';

export interface Absence {
	username: string;
	from: string;
	to: string;
}

/** Usernames separated by commas, spaces or lines (a leading @ is dropped). */
export function parseMembers(value: unknown): string[] {
	const list = Array.isArray(value) ? value.map(String) : splitList(String(value ?? ''), /[,;\s]+/);
	return [...new Set(list.map(normaliseUsername).filter(Boolean))];
}

/**
 * One absence per line or comma: "ana 2026-12-01 to 2026-12-05", "bo: 2026-12-24" (one day) or
 * "cy 2026-12-01..2026-12-03".
 */
export function parseAway(value: unknown, field = 'away'): Absence[] {
	const lines = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\n,;]+/);
	const out: Absence[] = [];
	for (const raw of lines) {
		const line = raw.trim();
		if (!line) continue;
		const match = /^@?([\w.-]+)\s*:?\s+(\d{4}-\d{2}-\d{2})(?:\s*(?:to|until|\.\.|–|—|-)\s*(\d{4}-\d{2}-\d{2}))?$/i.exec(line);
		if (!match) throw new StandupError(`'${line}' is not an absence like "ana 2026-12-01 to 2026-12-05"`, field);
		const from = parseDate(match[2], field);
		const to = parseDate(match[3] ?? match[2], field);
		if (to < from) throw new StandupError(`'${line}' ends before it starts`, field);
		out.push({ username: normaliseUsername(match[1]), from, to });
	}
	return out;
}

export function isAway(absences: Absence[], username: string, date: string): boolean {
	const name = normaliseUsername(username);
	return absences.some((a) => a.username === name && a.from <= date && date <= a.to);
}

/** The members expected today: everyone listed, less those away. */
export function expectedToday(members: string[], absences: Absence[], date: string): string[] {
	return members.filter((m) => !isAway(absences, m, date));
}

/** Expected members who have not answered, in the members' order. */
export function notAnswered(expected: string[], answered: string[]): string[] {
	const done = new Set(answered.map(normaliseUsername));
	return expected.filter((m) => !done.has(normaliseUsername(m)));
}
