/**
 * When the standup opens, reminds and closes on a given day, in the team's IANA time zone. Everything is computed
 * from an instant handed in (no clock is read here), so a schedule check is the same on any machine and in tests.
 * Wall times are turned into instants with the zone's offset at that moment, so 09:00 stays 09:00 across a
 * daylight-saving change.
 */
import { splitList } from '../util';
import { StandupError } from './errors';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface Schedule {
	timeZone: string;
	/** Seconds after local midnight. */
	opensAt: number;
	closesAt: number;
	/** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
	workingDays: number[];
	/** YYYY-MM-DD, local dates. */
	holidays: string[];
	/** Share of the window after which the reminder goes out. */
	remindAfter: number;
}

export type Phase = 'off' | 'before' | 'open' | 'remind' | 'closed';

export interface StandupDay {
	/** The local date in the schedule's zone, YYYY-MM-DD. */
	date: string;
	weekday: number;
	phase: Phase;
	/** Why there is no standup that day. */
	reason?: 'holiday' | 'not a working day';
	opensAt: Date;
	remindsAt: Date;
	closesAt: Date;
}

export function assertTimeZone(timeZone: string, field = 'timeZone'): string {
	const zone = String(timeZone ?? '').trim();
	let valid = zone !== '';
	try {
		if (valid) new Intl.DateTimeFormat('en-US', { timeZone: zone });
	} catch {
		valid = false;
	}
	if (!valid) throw new StandupError(`'${zone}' is not an IANA time zone (e.g. Europe/Amsterdam, America/New_York, UTC)`, field);
	return zone;
}

/** "09:00" or "09:00:30" → seconds after midnight. */
export function parseTimeOfDay(value: string, field: string): number {
	const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(String(value ?? '').trim());
	if (!match || Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59) {
		throw new StandupError(`'${value}' is not a time of day like 09:00`, field);
	}
	return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

/** "Mon-Fri", "mon, tue, thu" or "Monday, Wednesday" → ISO weekday numbers. */
export function parseWorkingDays(value: string, field = 'workingDays'): number[] {
	const days = new Set<number>();
	const dayNumber = (name: string) => {
		const index = WEEKDAYS.indexOf(name.trim().slice(0, 3).toLowerCase() as (typeof WEEKDAYS)[number]);
		if (index < 0) throw new StandupError(`'${name.trim()}' is not a day of the week (Mon … Sun)`, field);
		return index + 1;
	};
	for (const part of splitList(String(value ?? ''), /[,;\s]+/)) {
		const range = part.split('-');
		if (range.length === 2) {
			const [from, to] = range.map(dayNumber);
			for (let d = from; ; d = (d % 7) + 1) {
				days.add(d);
				if (d === to) break;
			}
		} else {
			days.add(dayNumber(part));
		}
	}
	if (days.size === 0) throw new StandupError('No working days given (e.g. Mon-Fri)', field);
	return [...days].sort();
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseDate(value: string, field: string): string {
	const date = String(value ?? '').trim();
	if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
		throw new StandupError(`'${date}' is not a date like 2026-12-24`, field);
	}
	return date;
}

/** Holiday dates separated by commas, spaces or lines. */
export function parseHolidays(value: string, field = 'holidays'): string[] {
	return splitList(String(value ?? ''), /[,;\s]+/).map((d) => parseDate(d, field));
}

export function parseSchedule(input: { timeZone: string; opensAt: string; closesAt: string; workingDays: string; holidays: string }): Schedule {
	const schedule: Schedule = {
		timeZone: assertTimeZone(input.timeZone),
		opensAt: parseTimeOfDay(input.opensAt, 'opensAt'),
		closesAt: parseTimeOfDay(input.closesAt, 'closesAt'),
		workingDays: parseWorkingDays(input.workingDays),
		holidays: parseHolidays(input.holidays),
		remindAfter: 0.8,
	};
	if (schedule.closesAt <= schedule.opensAt) throw new StandupError(`The window closes (${input.closesAt}) before it opens (${input.opensAt})`, 'closesAt');
	return schedule;
}

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, timeZone: string): WallClock {
	let format = formatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, format);
	}
	const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
	return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

/** The zone's offset from UTC at that instant, in milliseconds (e.g. +1 h in Amsterdam in winter). */
function offsetAt(at: Date, timeZone: string): number {
	const w = wallClock(at, timeZone);
	return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant at which the clocks in the zone show `seconds` after midnight of `date`. A wall time skipped by a
 * spring-forward change resolves to the instant one offset-step later, as clocks do.
 */
export function zonedInstant(date: string, seconds: number, timeZone: string): Date {
	const [y, m, d] = date.split('-').map(Number);
	const wall = Date.UTC(y, m - 1, d) + seconds * 1000;
	const first = wall - offsetAt(new Date(wall), timeZone);
	const second = wall - offsetAt(new Date(first), timeZone);
	return new Date(second);
}

export function localDate(at: Date, timeZone: string): { date: string; weekday: number } {
	const w = wallClock(at, timeZone);
	const date = `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
	const weekday = ((new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7) + 1;
	return { date, weekday };
}

/** Where the standup of `now`'s local day stands. */
export function standupDay(schedule: Schedule, now: Date): StandupDay {
	const { date, weekday } = localDate(now, schedule.timeZone);
	const opensAt = zonedInstant(date, schedule.opensAt, schedule.timeZone);
	const closesAt = zonedInstant(date, schedule.closesAt, schedule.timeZone);
	const remindsAt = new Date(opensAt.getTime() + Math.round((closesAt.getTime() - opensAt.getTime()) * schedule.remindAfter));
	const day = { date, weekday, opensAt, remindsAt, closesAt };
	if (schedule.holidays.includes(date)) return { ...day, phase: 'off', reason: 'holiday' };
	if (!schedule.workingDays.includes(weekday)) return { ...day, phase: 'off', reason: 'not a working day' };
	const t = now.getTime();
	const phase: Phase = t < opensAt.getTime() ? 'before' : t < remindsAt.getTime() ? 'open' : t < closesAt.getTime() ? 'remind' : 'closed';
	return { ...day, phase };
}

/** "Monday 30 November" in English, for the post titles. */
export function dayTitle(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}
