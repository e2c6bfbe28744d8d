/**
 * The texts the team sees: the day's post with the questions, one reply per person with their answers, and the
 * summary the post becomes when the window closes. People are named in plain text (never @username), so nobody
 * is notified by the standup except through the reminder DM.
 */
import { dayTitle } from './clock';
import { StandupError } from './errors';

export const DEFAULT_QUESTIONS = ['Yesterday', 'Today', 'Blockers'];

/** The post props that carry the standup's state in Mattermost, so it is read back from the channel and thread. */
export const ROOT_PROP = 'mmdevops_standup';
export const ANSWER_PROP = 'mmdevops_standup_answer';

export interface RootState {
	date: string;
	reminded?: boolean;
	closed?: boolean;
}

export interface Answer {
	userId: string;
	username: string;
	/** One per question, in order; '' when left empty. */
	answers: string[];
}

/** Questions one per line (or a list); at least one. */
export function parseQuestions(value: unknown, field = 'questions'): string[] {
	const list = (Array.isArray(value) ? value.map(String) : String(value ?? '').split('\n')).map((q) => q.trim()).filter(Boolean);
	if (list.length === 0) throw new StandupError('No questions given (one per line)', field);
	if (list.length > 10) throw new StandupError(`${list.length} questions; a Mattermost dialog shows at most 10 here`, field);
	return list;
}

export function rootMessage(date: string, questions: string[], closesAt: string): string {
	return [
		`:sunrise: **Daily standup, ${dayTitle(date)}**`,
		'',
		`Click **Fill in my standup** and answer until ${closesAt}:`,
		...questions.map((q, i) => `${i + 1}. ${q}`),
	].join('\n');
}

/** Markdown that cannot start a list, heading or quote inside the reply, and keeps line breaks. */
const quoteBlock = (text: string) =>
	text
		.trim()
		.split('\n')
		.map((line) => `> ${line}`)
		.join('\n');

export function answerMessage(displayName: string, questions: string[], answers: string[]): string {
	const parts = [`**${displayName}**`];
	questions.forEach((question, i) => {
		const answer = String(answers[i] ?? '').trim();
		parts.push(`**${question}**\n${answer ? quoteBlock(answer) : '> _(no answer)_'}`);
	});
	return parts.join('\n\n');
}

const NO_BLOCKER = /^(none|no|nope|nothing|n\/?a|-+|—|no blockers?|nothing blocking( me)?)[.!]?$/i;

/** The answers to the last question (the blockers question) that say something. */
export function blockers(answers: Answer[]): Array<{ username: string; text: string }> {
	return answers
		.map((a) => ({ username: a.username, text: String(a.answers[a.answers.length - 1] ?? '').trim() }))
		.filter((b) => b.text && !NO_BLOCKER.test(b.text));
}

export function summaryMessage(input: { date: string; answers: Answer[]; missing: string[]; away: string[]; closedAt: string; questionCount: number }): string {
	const found = input.questionCount > 1 ? blockers(input.answers) : [];
	const lines = [`:sunrise: **Daily standup, ${dayTitle(input.date)}** (closed at ${input.closedAt})`, ''];
	if (found.length) {
		lines.push(':construction: **Blockers**');
		for (const b of found) lines.push(`- ${b.username}: ${b.text.replace(/\s*\n\s*/g, ' ')}`);
	} else {
		lines.push(':white_check_mark: No blockers.');
	}
	lines.push('');
	const names = input.answers.map((a) => a.username);
	lines.push(names.length ? `**Answered (${names.length}):** ${names.join(', ')}` : '**Answered:** nobody yet');
	lines.push(input.missing.length ? `**No answer yet:** ${input.missing.join(', ')}` : '**No answer yet:** nobody, everyone answered');
	if (input.away.length) lines.push(`**Away:** ${input.away.join(', ')}`);
	lines.push('', 'The answers are in the thread. A late answer still counts: **Fill in my standup** below.');
	return lines.join('\n');
}

export function reminderMessage(date: string, closesAt: string): string {
	return `:alarm_clock: You have not filled in the standup for ${dayTitle(date)} yet. It closes at ${closesAt}.`;
}

/** The dialog's fields: one per question, the last one optional (often there is no blocker). */
export function questionFields(questions: string[]): Array<{ label: string; name: string; type: 'textarea'; required: boolean }> {
	return questions.map((q, i) => ({ label: q, name: `answer${i + 1}`, type: 'textarea', required: i < questions.length - 1 || questions.length === 1 }));
}

/** Answers out of a dialog submission, in question order. */
export function answersFrom(questions: string[], submission: Record<string, unknown>): string[] {
	return questions.map((_q, i) => String(submission[`answer${i + 1}`] ?? '').trim());
}
