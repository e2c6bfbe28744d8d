/** What the stand-in hands to clients and writes to its logs: posts without `integration`, no resume signatures. */
/**
 * Post.StripActionIntegrations, which the server applies to every post it hands out (EncodeJSON/ToJSON): buttons and
 * menus lose their `integration` (URL and context), which only the server keeps. Any JSON value; posts are found by
 * their `props.attachments[].actions`.
 */
export function stripActionIntegrations<T>(value: T): T {
	if (Array.isArray(value)) return value.map(stripActionIntegrations) as T;
	if (!value || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		if (key === 'actions' && Array.isArray(inner)) {
			out[key] = inner.map((action) => {
				if (!action || typeof action !== 'object') return action;
				const { integration: _integration, ...rest } = action as Record<string, unknown>;
				return rest;
			});
		} else {
			out[key] = stripActionIntegrations(inner);
		}
	}
	return out as T;
}

/**
 * n8n's signed resume URLs authorise resuming an execution: like tokens and hook ids, their `signature` stays out of
 * what the stand-in records and logs.
 */
export function redactSignatures<T>(value: T): T {
	if (value === undefined) return value;
	const text = JSON.stringify(value);
	if (!text || !text.includes('signature=')) return value;
	return JSON.parse(text.replace(/([?&]signature=)[^&"\\\s]+/g, '$1[redacted]')) as T;
}
