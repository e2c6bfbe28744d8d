import {
	answerMessage,
	blockers,
	expectedToday,
	notAnswered,
	parseAway,
	parseSchedule,
	parseWorkingDays,
	rootMessage,
	StandupError,
	standupDay,
	summaryMessage,
	zonedInstant,
} from '../../nodes/core/standup';

const amsterdam = parseSchedule({ timeZone: 'Europe/Amsterdam', opensAt: '09:00', closesAt: '10:00', workingDays: 'Mon-Fri', holidays: '2026-12-24, 2026-12-25' });
const at = (iso: string) => new Date(iso);

describe('standup clock (fixed instants, no system clock)', () => {
	it('opens at 09:00 Amsterdam time, reminds at 80 % of the window and closes at 10:00', () => {
		// Monday 30 November 2026, winter time (UTC+1).
		expect(standupDay(amsterdam, at('2026-11-30T07:59:59Z')).phase).toBe('before');
		const day = standupDay(amsterdam, at('2026-11-30T08:00:00Z'));
		expect(day).toMatchObject({ date: '2026-11-30', weekday: 1, phase: 'open' });
		expect(day.opensAt.toISOString()).toBe('2026-11-30T08:00:00.000Z');
		expect(day.remindsAt.toISOString()).toBe('2026-11-30T08:48:00.000Z');
		expect(day.closesAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');
		expect(standupDay(amsterdam, at('2026-11-30T08:47:59Z')).phase).toBe('open');
		expect(standupDay(amsterdam, at('2026-11-30T08:48:00Z')).phase).toBe('remind');
		expect(standupDay(amsterdam, at('2026-11-30T09:00:00Z')).phase).toBe('closed');
	});

	it('keeps 09:00 local across the spring-forward and fall-back changes (Europe/Amsterdam, America/New_York)', () => {
		// Friday 27 March 2026 is UTC+1; Monday 30 March, after the change on Sunday 29 March, is UTC+2.
		expect(standupDay(amsterdam, at('2026-03-27T12:00:00Z')).opensAt.toISOString()).toBe('2026-03-27T08:00:00.000Z');
		expect(standupDay(amsterdam, at('2026-03-30T06:59:59Z')).phase).toBe('before');
		expect(standupDay(amsterdam, at('2026-03-30T07:00:00Z'))).toMatchObject({ date: '2026-03-30', phase: 'open' });
		// Back to UTC+1 after Sunday 25 October 2026.
		expect(standupDay(amsterdam, at('2026-10-23T07:00:00Z')).phase).toBe('open');
		expect(standupDay(amsterdam, at('2026-10-26T07:00:00Z')).phase).toBe('before');
		expect(standupDay(amsterdam, at('2026-10-26T08:00:00Z')).phase).toBe('open');
		const ny = parseSchedule({ timeZone: 'America/New_York', opensAt: '09:00', closesAt: '09:30', workingDays: 'Mon-Fri', holidays: '' });
		// US summer time starts Sunday 8 March 2026: Friday 6 March is UTC-5, Monday 9 March UTC-4.
		expect(standupDay(ny, at('2026-03-06T15:00:00Z')).opensAt.toISOString()).toBe('2026-03-06T14:00:00.000Z');
		expect(standupDay(ny, at('2026-03-09T15:00:00Z')).opensAt.toISOString()).toBe('2026-03-09T13:00:00.000Z');
		expect(standupDay(ny, at('2026-03-09T13:24:00Z')).phase).toBe('remind');
	});

	it('uses the local date of the zone, not UTC (Pacific/Auckland is already on Tuesday)', () => {
		const auckland = parseSchedule({ timeZone: 'Pacific/Auckland', opensAt: '09:00', closesAt: '10:00', workingDays: 'Tue', holidays: '' });
		// 20:30 UTC on Monday 30 November is 09:30 on Tuesday 1 December in Auckland (UTC+13 in summer).
		expect(standupDay(auckland, at('2026-11-30T20:30:00Z'))).toMatchObject({ date: '2026-12-01', weekday: 2, phase: 'open' });
	});

	it('a wall time skipped by the spring-forward change resolves after the gap', () => {
		expect(zonedInstant('2026-03-29', 2 * 3600 + 30 * 60, 'Europe/Amsterdam').toISOString()).toBe('2026-03-29T01:30:00.000Z');
	});

	it('holidays and non-working days are off, with the reason', () => {
		expect(standupDay(amsterdam, at('2026-12-24T08:10:00Z'))).toMatchObject({ phase: 'off', reason: 'holiday' });
		expect(standupDay(amsterdam, at('2026-11-28T08:10:00Z'))).toMatchObject({ phase: 'off', reason: 'not a working day' });
	});

	it('accepts seconds in the window, day ranges that wrap, and names the bad setting', () => {
		expect(parseSchedule({ timeZone: 'UTC', opensAt: '09:00:15', closesAt: '09:00:45', workingDays: 'Sat-Mon', holidays: '' }).workingDays).toEqual([1, 6, 7]);
		expect(parseWorkingDays('Monday, wednesday fri')).toEqual([1, 3, 5]);
		const field = (f: () => unknown) => {
			try {
				f();
			} catch (error) {
				return [(error as StandupError).field, (error as Error).message];
			}
			return undefined;
		};
		expect(field(() => parseSchedule({ timeZone: 'Mars/Olympus', opensAt: '09:00', closesAt: '10:00', workingDays: 'Mon', holidays: '' }))?.[0]).toBe('timeZone');
		expect(field(() => parseSchedule({ timeZone: 'UTC', opensAt: '9h', closesAt: '10:00', workingDays: 'Mon', holidays: '' }))?.[0]).toBe('opensAt');
		expect(field(() => parseSchedule({ timeZone: 'UTC', opensAt: '10:00', closesAt: '09:00', workingDays: 'Mon', holidays: '' }))?.[0]).toBe('closesAt');
		expect(field(() => parseSchedule({ timeZone: 'UTC', opensAt: '09:00', closesAt: '10:00', workingDays: 'Funday', holidays: '' }))?.[0]).toBe('workingDays');
		expect(field(() => parseSchedule({ timeZone: 'UTC', opensAt: '09:00', closesAt: '10:00', workingDays: 'Mon', holidays: '2026-02-30' }))?.[0]).toBe('holidays');
	});
});

describe('standup team', () => {
	it('away members are neither expected nor missing on their dates, and are back afterwards', () => {
		const away = parseAway('ana 2026-12-01 to 2026-12-03\n@Bo: 2026-12-02');
		expect(away).toEqual([
			{ username: 'ana', from: '2026-12-01', to: '2026-12-03' },
			{ username: 'bo', from: '2026-12-02', to: '2026-12-02' },
		]);
		expect(expectedToday(['ana', 'bo', 'cy'], away, '2026-12-02')).toEqual(['cy']);
		expect(expectedToday(['ana', 'bo', 'cy'], away, '2026-12-04')).toEqual(['ana', 'bo', 'cy']);
		expect(notAnswered(['ana', 'bo', 'cy'], ['BO'])).toEqual(['ana', 'cy']);
		expect(() => parseAway('ana next week')).toThrow(/absence like/);
	});
});

describe('standup messages', () => {
	const answers = [
		{ userId: 'u1', username: 'ana', answers: ['Reviews', 'Release 2.3', 'Waiting for the staging database'] },
		{ userId: 'u2', username: 'bo', answers: ['Tests', 'More tests', 'none'] },
	];

	it('the summary puts blockers at the top and names people without @', () => {
		const text = summaryMessage({ date: '2026-11-30', answers, missing: ['cy', 'dee'], away: ['eve'], closedAt: '10:00', questionCount: 3 });
		expect(text.indexOf('Blockers')).toBeLessThan(text.indexOf('Answered'));
		expect(text).toContain('- ana: Waiting for the staging database');
		expect(text).not.toContain('bo: none');
		expect(text).toContain('**No answer yet:** cy, dee');
		expect(text).toContain('**Away:** eve');
		expect(text).not.toMatch(/@\w/);
		expect(blockers(answers)).toEqual([{ username: 'ana', text: 'Waiting for the staging database' }]);
	});

	it('an answer is quoted question by question and the root lists the questions', () => {
		expect(answerMessage('ana', ['Yesterday', 'Today', 'Blockers'], ['a\nb', 'c', ''])).toBe('**ana**\n\n**Yesterday**\n> a\n> b\n\n**Today**\n> c\n\n**Blockers**\n> _(no answer)_');
		expect(rootMessage('2026-11-30', ['Yesterday', 'Today'], '10:00')).toContain('Daily standup, Monday 30 November');
	});
});
