/**
 * Whether a text looks like an e-mail address: one `@` with something on both sides and a dot inside the domain,
 * no whitespace. Written without a regular expression so its time is linear whatever the input (the pattern
 * `^[^\s@]+@[^\s@]+\.[^\s@]+$` backtracks over every dot).
 */
export function isEmailAddress(text: string): boolean {
	const at = text.indexOf('@');
	if (at < 1 || at !== text.lastIndexOf('@') || /\s/.test(text)) return false;
	const dot = text.indexOf('.', at + 2);
	return dot !== -1 && dot < text.length - 1;
}
