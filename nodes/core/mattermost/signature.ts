/**
 * The signature that lets the Interaction Trigger tell its own buttons from forged requests. Mattermost signs nothing
 * it sends to an integration; it keeps `integration` (URL and context) off what clients see, so a signature in the
 * action's context is the documented way to authenticate a click.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { InteractiveError } from './interactive';

/** The context key the signature goes in; Mattermost adds `selected_option` to a menu's context, so it is not signed. */
export const SIGNATURE_KEY = 'mmdevops_sig';
const UNSIGNED_KEYS = new Set([SIGNATURE_KEY, 'selected_option']);

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

function contextDigest(secret: string, context: Record<string, unknown>): string {
	const signed = Object.fromEntries(Object.entries(context).filter(([key]) => !UNSIGNED_KEYS.has(key)));
	return createHmac('sha256', secret).update(canonical(signed)).digest('hex');
}

/** The context with its signature added (HMAC-SHA256 over the sorted context with the secret). */
export function signContext(secret: string, context: Record<string, unknown>): Record<string, unknown> {
	if (!secret) throw new InteractiveError('The signing secret is empty', 'secret');
	return { ...context, [SIGNATURE_KEY]: contextDigest(secret, context) };
}

/**
 * Whether the context carries a signature made with one of the secrets (several while a secret is being rotated),
 * compared in constant time.
 */
export function verifyContext(secrets: string[], context: unknown): boolean {
	if (!context || typeof context !== 'object' || Array.isArray(context)) return false;
	const presented = (context as Record<string, unknown>)[SIGNATURE_KEY];
	if (typeof presented !== 'string' || !/^[0-9a-f]{64}$/.test(presented)) return false;
	let valid = false;
	for (const secret of secrets) {
		if (!secret) continue;
		const expected = Buffer.from(contextDigest(secret, context as Record<string, unknown>), 'hex');
		if (timingSafeEqual(expected, Buffer.from(presented, 'hex'))) valid = true;
	}
	return valid;
}

/** The context as the workflow should see it: without the signature. */
export function withoutSignature(context: unknown): Record<string, unknown> {
	if (!context || typeof context !== 'object' || Array.isArray(context)) return {};
	const { [SIGNATURE_KEY]: _signature, ...rest } = context as Record<string, unknown>;
	return rest;
}
