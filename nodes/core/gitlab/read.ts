import { isRecord, type Rec } from '../util';

/**
 * Defensive reading of untrusted webhook JSON. Every accessor either returns a value of the expected type or throws
 * Malformed naming the field, so handlers never meet a TypeError whatever the payload holds (nulls deep inside,
 * arrays where objects belong, numbers where strings belong).
 */

export { isRecord, type Rec };

export class Malformed extends Error {
	constructor(readonly field: string, problem: string) {
		super(`${field} ${problem}`);
		this.name = 'Malformed';
	}
}

/** Own properties only: a payload key such as `constructor` or `__proto__` must never reach prototype members. */
export function field(rec: Rec | undefined, key: string): unknown {
	return rec !== undefined && Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

export function requireRecord(value: unknown, path: string): Rec {
	if (value === undefined || value === null) throw new Malformed(path, 'missing');
	if (!isRecord(value)) throw new Malformed(path, 'is not an object');
	return value;
}

/** An optional object: absent gives undefined, anything but an object is malformed. */
export function optionalRecord(value: unknown, path: string): Rec | undefined {
	if (value === undefined || value === null) return undefined;
	return requireRecord(value, path);
}

/** A record or undefined, ignoring wrong types: for parts that only decorate a message. */
export function looseRecord(value: unknown): Rec | undefined {
	return isRecord(value) ? value : undefined;
}

export function requireNumber(value: unknown, path: string): number {
	if (value === undefined || value === null) throw new Malformed(path, 'missing');
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed(path, 'is not a number');
	return value;
}

export function optionalNumber(value: unknown, path: string): number | undefined {
	if (value === undefined || value === null) return undefined;
	return requireNumber(value, path);
}

/** A number or undefined, ignoring wrong types. */
export function looseNumber(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function requireString(value: unknown, path: string): string {
	if (value === undefined || value === null) throw new Malformed(path, 'missing');
	if (typeof value !== 'string') throw new Malformed(path, 'is not a string');
	return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	return requireString(value, path);
}

/** Text for display: strings as they are, numbers and booleans as text, anything else undefined. */
export function looseString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean') return String(value);
	return undefined;
}

/** An array or undefined, ignoring wrong types. */
export function looseArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** A numeric id given as a number or as digits; anything else undefined. */
export function looseId(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
	if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
	return undefined;
}

export function looseBoolean(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

/** Caps text from a payload so a multi-megabyte title or comment cannot blow up a message or a regex. */
export function clip(text: string | undefined, max: number): string | undefined {
	if (text === undefined) return undefined;
	return text.length > max ? text.slice(0, max) : text;
}

export function requireBoolean(value: unknown, path: string): boolean {
	if (value === undefined || value === null) throw new Malformed(path, 'missing');
	if (typeof value !== 'boolean') throw new Malformed(path, 'is not a boolean');
	return value;
}

/** A value from a fixed lookup table by an untrusted key, never an inherited member such as `constructor`. */
export function lookup<T>(table: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** A well-formed payload about something the formatter does not handle (a comment on a design, say). */
export class Unsupported extends Error {
	constructor(what: string) {
		super(what);
		this.name = 'Unsupported';
	}
}
