/** HTML text and attribute escaping for the demo page. */
export const escapeHtml = (value: unknown): string =>
	String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** `url` when it is http(s) (what Mattermost links and loads), else undefined. */
export const safeUrl = (url: unknown): string | undefined => (typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined);
