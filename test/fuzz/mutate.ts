/**
 * Hostile-input generators for property tests: mutations of real-shaped JSON fixtures (fields deleted, wrong types,
 * nulls deep inside, huge strings, deep nesting, odd Unicode, arrays where objects belong, prototype-ish keys) and
 * completely arbitrary values. Everything is a fast-check arbitrary, so failures shrink and replay from a seed.
 */
import * as fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that break naive code: direction marks, zero-width characters, lone surrogates, emoji, NUL, controls. */
export const ODD_UNICODE = [
	'\u200f', '\u202e', '\u2066', '\u200b', '\u200d', '\u2060', '\ufeff', '\ud800', '\udfff', '\ud83d', '\u0000',
	'\u0007', '\u001b[31m', '\r', '\r\n', '\u2028', '\u2029', '\u0301', '👩‍💻', '🏳️‍🌈', 'ß', 'İ', 'Ω', 'ﬀ', '＠',
	'\uffff', '\ufffd', '\t', ' ', '%00', '%s', '${x}', '{{ $json }}', '</script>', '"\'`', '\\',
	// Character references named after inherited members (an entity table looked up with them crashed the formatter)
	// and the 8-digit decimal references Mattermost's parser accepts.
	'&toString;', '&constructor;', '&valueOf;', '&__proto__;', '&hasOwnProperty;', '@al&#00000108;', '&#00000064;here',
];

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

/** Upper bound for generated huge strings; FUZZ_HUGE (bytes) may change it. */
export const HUGE = Number(process.env.FUZZ_HUGE ?? 1_000_000);

export const oddString: fc.Arbitrary<string> = fc.oneof(
	{ weight: 4, arbitrary: fc.array(fc.constantFrom(...ODD_UNICODE), { maxLength: 8 }).map((parts) => parts.join('')) },
	{ weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
	{
		weight: 2,
		arbitrary: fc
			.tuple(fc.string({ maxLength: 6 }), fc.array(fc.constantFrom(...ODD_UNICODE), { maxLength: 4 }), fc.string({ maxLength: 6 }))
			.map(([a, odd, b]) => a + odd.join('') + b),
	},
	{ weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', 'null', 'undefined', 'NaN', '0', '-1', 'true', '[]', '{}', '[object Object]') },
);

/** A huge string (tens of KB up to HUGE) built cheaply from a repeated chunk. */
export const hugeString: fc.Arbitrary<string> = fc
	.tuple(fc.constantFrom('a', '@channel ', '\u200b', '`', '👩‍💻', 'x\n', '[', '*', '\\'), fc.integer({ min: 10_000, max: HUGE }))
	.map(([chunk, size]) => chunk.repeat(Math.max(1, Math.floor(size / chunk.length))));

/** Nesting hundreds of levels deep, as arrays or objects. */
export const deepValue: fc.Arbitrary<Json> = fc
	.tuple(fc.integer({ min: 50, max: 600 }), fc.boolean(), fc.constantFrom<Json>(null, 'x', 1, {}, []))
	.map(([depth, useArray, leaf]) => {
		let v: Json = leaf;
		for (let i = 0; i < depth; i++) v = useArray ? [v] : { a: v };
		return v;
	});

/** Objects with own keys such as `__proto__` and `constructor` (created the way JSON.parse creates them). */
export const protoObject: fc.Arbitrary<Json> = fc
	.tuple(fc.subarray(PROTO_KEYS, { minLength: 1 }), fc.constantFrom<Json>(null, 'x', 1, { polluted: true }, [], {}))
	.map(([keys, value]) => JSON.parse(`{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(value)}`).join(',')}}`) as Json);

const oddNumber = fc.oneof(
	fc.constantFrom(0, -0, -1, 1.5, 2 ** 53, -(2 ** 53), 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any one hostile value: odd scalars, nested junk, huge strings (rarely), deep nesting, prototype-ish objects. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
	{ weight: 6, arbitrary: oddString as fc.Arbitrary<Json> },
	{ weight: 3, arbitrary: oddNumber as fc.Arbitrary<Json> },
	{ weight: 2, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [null], { '': null }) },
	{ weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
	{ weight: 1, arbitrary: deepValue },
	{ weight: 1, arbitrary: protoObject },
	{ weight: 1, arbitrary: fc.oneof({ weight: 1, arbitrary: hugeString }, { weight: 15, arbitrary: fc.string({ maxLength: 2000 }) }) as fc.Arbitrary<Json> },
);

export type MutationKind = 'delete' | 'replace' | 'null' | 'retype' | 'wrapArray' | 'emptyContainer' | 'proto' | 'unicode';
const KINDS: MutationKind[] = ['delete', 'replace', 'null', 'retype', 'wrapArray', 'emptyContainer', 'proto', 'unicode'];

export interface Mutation {
	/** Index into the fixture's paths (taken modulo their number, so it shrinks toward the root). */
	at: number;
	kind: MutationKind;
	value: Json;
}

/** Every path (array of keys) to a value inside `root`, root first. */
export function pathsOf(root: Json, max = 5000): Array<Array<string | number>> {
	const out: Array<Array<string | number>> = [];
	const walk = (value: Json, path: Array<string | number>) => {
		if (out.length >= max) return;
		out.push(path);
		if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
		else if (value && typeof value === 'object') for (const k of Object.keys(value)) walk(value[k], [...path, k]);
	};
	walk(root, []);
	return out;
}

function retype(value: Json, pick: Json): Json {
	switch (typeof value) {
		case 'string':
			return Number.isNaN(Number(value)) ? (value.length > 0 ? [value] : 0) : Number(value);
		case 'number':
			return typeof pick === 'boolean' ? pick : String(value);
		case 'boolean':
			return value ? 'true' : 0;
		default:
			if (value === null) return 'null';
			if (Array.isArray(value)) return value.length ? { ...value } : 'array';
			return Object.values(value);
	}
}

function setAt(root: Json, path: Array<string | number>, update: (old: Json) => Json | undefined): Json {
	if (path.length === 0) return update(root) ?? null;
	const [head, ...rest] = path;
	if (Array.isArray(root)) {
		const copy = root.slice();
		const i = Number(head);
		const next = rest.length ? setAt(copy[i], rest, update) : update(copy[i]);
		if (next === undefined) copy.splice(i, 1);
		else copy[i] = next;
		return copy;
	}
	if (root && typeof root === 'object') {
		const copy: { [key: string]: Json } = {};
		for (const k of Object.keys(root)) Object.defineProperty(copy, k, { value: root[k], enumerable: true, writable: true, configurable: true });
		const key = String(head);
		const next = rest.length ? setAt(copy[key], rest, update) : update(copy[key]);
		if (next === undefined) delete copy[key];
		else Object.defineProperty(copy, key, { value: next, enumerable: true, writable: true, configurable: true });
		return copy;
	}
	return root;
}

/** A copy of `root` with the value at `path` replaced. */
export function setPath(root: Json, path: Array<string | number>, value: Json): Json {
	return setAt(root, path, () => value);
}

/** Applies mutations to a fixture without touching the original. */
export function applyMutations(fixture: Json, mutations: Mutation[]): Json {
	let current = fixture;
	for (const m of mutations) {
		const paths = pathsOf(current);
		const path = paths[m.at % paths.length];
		current = setAt(current, path, (old) => {
			switch (m.kind) {
				case 'delete':
					return path.length === 0 ? {} : undefined;
				case 'replace':
					return m.value;
				case 'null':
					return null;
				case 'retype':
					return retype(old, m.value);
				case 'wrapArray':
					return [old, m.value];
				case 'emptyContainer':
					return Array.isArray(old) ? [] : old && typeof old === 'object' ? {} : '';
				case 'proto': {
					if (!old || typeof old !== 'object' || Array.isArray(old)) return m.value;
					const copy = JSON.parse(JSON.stringify(old)) as { [key: string]: Json };
					Object.defineProperty(copy, '__proto__', { value: m.value, enumerable: true, writable: true, configurable: true });
					Object.defineProperty(copy, 'constructor', { value: 'x', enumerable: true, writable: true, configurable: true });
					return copy;
				}
				case 'unicode':
					return typeof old === 'string' ? `${old}${typeof m.value === 'string' ? m.value : '\u202e\u0000\ud800'}` : m.value;
			}
		});
	}
	return current;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
	at: fc.nat({ max: 4999 }),
	kind: fc.constantFrom(...KINDS),
	value: hostileValue,
});

/** A fixture with 1–5 hostile mutations. */
export function mutated(fixture: Json): fc.Arbitrary<Json> {
	return fc.array(mutationArb, { minLength: 1, maxLength: 5 }).map((ms) => applyMutations(fixture, ms));
}

/** Mutated fixtures from a list, plus, now and then, something completely arbitrary. */
export function hostilePayload(fixtures: Json[]): fc.Arbitrary<Json> {
	const fromFixtures = fc.integer({ min: 0, max: Math.max(0, fixtures.length - 1) }).chain((i) => mutated(fixtures[i]));
	return fc.oneof(
		{ weight: 16, arbitrary: fromFixtures },
		{ weight: 2, arbitrary: fc.jsonValue() as fc.Arbitrary<Json> },
		{ weight: 1, arbitrary: fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withObjectString: true, withBigInt: false, withDate: true }) as fc.Arbitrary<Json> },
		{ weight: 1, arbitrary: hostileValue },
	);
}

/** Hostile HTTP headers (names and values), as a Webhook node passes them on. */
export const hostileHeaders: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
	fc.dictionary(fc.oneof(fc.constantFrom('x-gitlab-event', 'x-gitlab-token', 'X-Gitlab-Event', 'content-type', 'x-gitlab-event-uuid', 'authorization', '__proto__', 'constructor'), fc.string({ maxLength: 12 })), hostileValue as fc.Arbitrary<unknown>, { maxKeys: 6 }),
	fc.constantFrom<Record<string, unknown>>({}, { 'x-gitlab-event': ['Merge Request Hook', 'Push Hook'] }, { 'x-gitlab-event': 'Merge Request Hook\u0000' }, { 'x-gitlab-event': 'System Hook' }),
);

/** The fixture wrapped the way n8n's Webhook node emits a request: `{headers, params, query, body}`. */
export function webhookShaped(payloads: fc.Arbitrary<Json>, eventHeaderOf: (payload: Json) => string | undefined): fc.Arbitrary<Json> {
	return fc
		.tuple(payloads, hostileHeaders, fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 3 })), fc.boolean())
		.map(([body, headers, query, keepEventHeader]) => {
			const event = keepEventHeader ? eventHeaderOf(body) : undefined;
			const allHeaders: Record<string, unknown> = { ...headers };
			if (event) allHeaders['x-gitlab-event'] = event;
			return { headers: allHeaders, params: {}, query, body } as unknown as Json;
		});
}
