import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatGitLabEvent, type FormatOptions, type FormatResult, type Notification, type SkippedResult } from '../../nodes/core/gitlab';

export function fixture(name: string): Record<string, any> {
	return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'gitlab', `${name}.json`), 'utf8'));
}

export function notified(result: FormatResult): Notification {
	if (result.skip !== undefined) throw new Error(`expected a notification, got Skipped "${result.skip}"`);
	return result;
}

export function skippedOf(result: FormatResult): SkippedResult {
	if (result.skip === undefined) throw new Error(`expected Skipped, got a notification: ${result.message.text}`);
	return result;
}

/** Recipients as `who:role` strings, `who` being the username, else #id, else the e-mail. */
export function who(result: FormatResult): string[] {
	return notified(result).recipients.map((r) => `${r.username ?? (r.id !== undefined ? `#${r.id}` : r.email)}:${r.role}`);
}

/** Formats a stored GitLab payload from test/fixtures/gitlab. */
export async function format(name: string, options?: FormatOptions): Promise<FormatResult> {
	return formatGitLabEvent(fixture(name), options);
}

/** Kinds told to a channel rather than to people: the action, the text and the thread, and no DMs. */
export async function expectChannelNews(name: string, action: string, text: string, thread: string): Promise<void> {
	const result = notified(await format(name));
	expect(result.event.action).toBe(action);
	expect(result.recipients).toEqual([]);
	expect(result.message.text).toContain(text);
	expect(result.message.threadKey).toBe(thread);
}
