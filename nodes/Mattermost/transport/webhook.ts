/**
 * An incoming webhook's URL is its only credential: `<server>/hooks/<hook id>`. Mattermost names the hook id in its
 * error messages ("… for incoming webhook <id>."), so every text that reaches an execution error or a credential test
 * result goes through redactHookId first.
 */
const REDACTED = '[redacted]';

/** The hook id in a webhook URL (its last path segment), or '' when the URL has none. */
export function hookIdOf(url: string): string {
	try {
		return new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
	} catch {
		return '';
	}
}

/** `text` without the hook id of `url`, nor any other hook id a server message may quote. */
export function redactHookId(text: string, url: string): string {
	const id = hookIdOf(url);
	let out = id.length >= 4 ? text.split(id).join(REDACTED) : text;
	out = out.replace(/(incoming webhook )(?!\[redacted\])\S+?(\.?)(?=\s|$)/g, `$1${REDACTED}$2`);
	return out.replace(/\/hooks\/(?!\[redacted\])[^\s/?#"']+/g, `/hooks/${REDACTED}`);
}
