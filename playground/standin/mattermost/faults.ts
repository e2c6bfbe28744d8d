/**
 * 'hang' keeps a POST /posts in flight for slowMs with its pending_post_id already in the server's dedupe cache, so
 * repeats meanwhile get 500 api.post.deduplicate_create_post.pending; other requests are just delayed. It is only used
 * when named (in `kinds` or `sequence`).
 */
export type FaultKind = '429' | '500' | 'slow' | 'drop' | 'hang';
export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', 'slow', 'drop', 'hang'];
const RANDOM_KINDS: readonly FaultKind[] = ['429', '500', 'slow', 'drop'];

export interface FaultOptions {
	/** Share (0..1) of matching requests that get a fault, chosen by a seeded PRNG so runs repeat exactly. */
	rate?: number;
	/** Kinds to choose from when `rate` fires (uniformly, by the same PRNG). Default: 429, 500, slow and drop. */
	kinds?: FaultKind[];
	/** Explicit plan, one entry per matching request ('ok' = answer normally). Used before `rate` applies. */
	sequence?: (FaultKind | 'ok')[];
	/** Retry-After / X-Ratelimit-Reset value for 429 answers. Default 1. */
	retryAfterSeconds?: number;
	/** Delay for 'slow'. Default 1500 ms. */
	slowMs?: number;
	/** Only requests for which this returns true can get a fault. Default: every API and /hooks request. */
	match?: (method: string, path: string) => boolean;
	/** PRNG seed. Default 1. */
	seed?: number;
	/**
	 * For 'drop' on a request that changes state (any method but GET/HEAD): the share of drops that happen AFTER the
	 * request took effect (post created, file stored, …) — the connection then dies before the answer, the case where a
	 * naive retry duplicates the post. The remaining drops happen before the request is handled. Default 0.5.
	 */
	dropAfterEffect?: number;
	/**
	 * Every request lands on a server node that has not seen the earlier ones: the pending_post_id dedupe forgets
	 * (a cluster without a shared cache, or a 5xx after the post was saved, which drops the id on the real server).
	 */
	forgetPendingPostIds?: boolean;
}

export interface FaultDecision {
	kind: FaultKind | undefined;
	/** For 'drop': whether the request is applied before the socket is destroyed. */
	afterEffect: boolean;
}

/** mulberry32: tiny, fast, good enough for deterministic fault shares and event mixes from a seed. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class FaultPlan {
	private readonly random: () => number;
	private readonly sequence: (FaultKind | 'ok')[];
	private readonly kinds: FaultKind[];

	constructor(readonly options: FaultOptions) {
		for (const kind of [...(options.kinds ?? []), ...(options.sequence ?? [])]) {
			if (kind !== 'ok' && !FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind '${kind}'`);
		}
		const rate = options.rate ?? 0;
		if (!(rate >= 0 && rate <= 1)) throw new Error(`fault rate must be between 0 and 1, got ${rate}`);
		this.random = prng(options.seed ?? 1);
		this.sequence = [...(options.sequence ?? [])];
		this.kinds = options.kinds?.length ? [...options.kinds] : [...RANDOM_KINDS];
	}

	get retryAfterSeconds(): number {
		return this.options.retryAfterSeconds ?? 1;
	}

	get slowMs(): number {
		return this.options.slowMs ?? 1500;
	}

	decide(method: string, path: string): FaultDecision {
		if (this.options.match && !this.options.match(method, path)) return { kind: undefined, afterEffect: false };
		let kind: FaultKind | undefined;
		const planned = this.sequence.shift();
		if (planned !== undefined) {
			kind = planned === 'ok' ? undefined : planned;
		} else if ((this.options.rate ?? 0) > 0 && this.random() < (this.options.rate ?? 0)) {
			kind = this.kinds[Math.floor(this.random() * this.kinds.length)];
		}
		const mutating = method !== 'GET' && method !== 'HEAD';
		const afterEffect = kind === 'drop' && mutating && this.random() < (this.options.dropAfterEffect ?? 0.5);
		return { kind, afterEffect };
	}
}
