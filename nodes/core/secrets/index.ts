import { createHash, timingSafeEqual } from 'node:crypto';
import { splitList } from '../util';

/**
 * Shared secrets that callers present to this package's webhooks (GitLab's secret token, a Grafana or Alertmanager
 * bearer token, Mattermost command tokens), and the constant-time check of them.
 */

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether `candidate` equals one of `expected`, in time that depends on neither where they differ nor their
 * lengths: both sides are hashed to fixed-size digests before `timingSafeEqual`, and every expected token is
 * compared (no early exit), so the count of matches tried does not leak which one matched.
 */
export function tokenMatches(candidate: string, expected: string[]): boolean {
	if (!candidate) return false;
	const candidateDigest = digest(candidate);
	let matched = false;
	for (const token of expected) {
		if (!token) continue;
		if (timingSafeEqual(candidateDigest, digest(token))) matched = true;
	}
	return matched;
}

/**
 * The secrets in a credential field: one a line or separated by commas, so a new secret can be added before the
 * sender is switched over and the old one removed afterwards. Spaces inside a secret are kept.
 */
export function parseSecretList(value: unknown): string[] {
	return splitList(value);
}

/** Where a webhook caller puts its secret. */
export type SecretLocation =
	| { kind: 'header'; header: string }
	/** `Authorization: Bearer <secret>` (Grafana contact points, Alertmanager `http_config.authorization`). */
	| { kind: 'bearer' }
	/** A query parameter of the URL, for senders that can only be given a URL (Redmine's webhook plugin). */
	| { kind: 'query'; parameter: string };

/** Shorter secrets can be guessed; GitLab, Grafana, Alertmanager and a URL all take long ones. */
export const MIN_SECRET_LENGTH = 16;

/** Why the secrets cannot protect a webhook (none, or one shorter than MIN_SECRET_LENGTH), or undefined. */
export function weakSecretReason(secrets: string[]): string | undefined {
	if (secrets.length === 0) return 'it holds no secret';
	const short = secrets.findIndex((secret) => secret.length < MIN_SECRET_LENGTH);
	if (short !== -1) return `secret ${short + 1} is shorter than ${MIN_SECRET_LENGTH} characters, so it can be guessed`;
	return undefined;
}

/** The (lowercase) request header that carries the secret; it is removed from everything the workflow sees. */
export function secretHeaderName(location: SecretLocation): string {
	if (location.kind === 'query') return '';
	return location.kind === 'bearer' ? 'authorization' : location.header.trim().toLowerCase();
}

/**
 * The secret a request presents, or '' when it presents none. A header or query parameter sent twice arrives joined
 * or as an array; it then presents no single secret and is refused.
 */
export function presentedSecret(headers: Record<string, unknown>, location: SecretLocation, query: Record<string, unknown> = {}): string {
	if (location.kind === 'query') {
		const value = Object.hasOwn(query, location.parameter) ? query[location.parameter] : undefined;
		return typeof value === 'string' ? value.trim() : '';
	}
	const value = headers[secretHeaderName(location)];
	if (typeof value !== 'string') return '';
	if (location.kind === 'header') return value.trim();
	const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
	return match ? match[1] : '';
}

/** A copy of the request headers without the one carrying the secret. */
export function withoutSecretHeader(headers: Record<string, unknown>, location: SecretLocation): Record<string, unknown> {
	const name = secretHeaderName(location);
	return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name));
}

/** A copy of the query without the parameter carrying the secret (when the secret travels in the URL). */
export function withoutSecretParameter(query: Record<string, unknown>, location: SecretLocation): Record<string, unknown> {
	if (location.kind !== 'query') return query;
	return Object.fromEntries(Object.entries(query).filter(([key]) => key !== location.parameter));
}

/**
 * The secrets a webhook last read from each credential, for a few seconds. In n8n 2.40 every credential read in a
 * webhook's request phase builds a fresh expression isolate (tens of ms of CPU, on the answer's path); under a stream
 * of deliveries the secret is read at most once per `ttlMs` instead. Only a match is taken from here: a presented
 * secret that matches nothing remembered makes the caller read the credential again, so a newly added secret works at
 * once, while a removed one is refused at most `ttlMs` later.
 */
export class RecentSecrets {
	private readonly byCredential = new Map<string, { secrets: string[]; until: number }>();

	constructor(
		private readonly ttlMs: number,
		/** Credentials remembered at most; the oldest is forgotten first. */
		private readonly maxCredentials = 100,
		private readonly now: () => number = () => Date.now(),
	) {}

	/** Whether `candidate` is one of the secrets read from `credentialId` less than `ttlMs` ago. */
	matches(credentialId: string, candidate: string): boolean {
		const entry = this.byCredential.get(credentialId);
		if (!entry) return false;
		if (this.now() >= entry.until) {
			this.byCredential.delete(credentialId);
			return false;
		}
		return tokenMatches(candidate, entry.secrets);
	}

	remember(credentialId: string, secrets: string[]): void {
		this.byCredential.delete(credentialId);
		this.byCredential.set(credentialId, { secrets, until: this.now() + this.ttlMs });
		if (this.byCredential.size > this.maxCredentials) this.byCredential.delete(this.byCredential.keys().next().value as string);
	}
}
