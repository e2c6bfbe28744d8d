/**
 * The scenario runner of the real-n8n suites (e2e, reliability): one `ok`/`FAIL` line per scenario as it ends, a
 * failure never stops the others, and the plain `N passed, M failed` closing line CI reads.
 */
export interface Outcome {
	name: string;
	ok: boolean;
	detail?: string;
}

export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

export class Scenarios {
	readonly outcomes: Outcome[] = [];

	/**
	 * `detailLines`: how many lines of a failure's message to print; `only`: run just the scenarios whose name
	 * contains this text, or one of several separated by `|` (any case); the others are left out of the count.
	 */
	constructor(
		private readonly detailLines = 6,
		readonly only = '',
	) {}

	selects(name: string): boolean {
		return !this.only || this.only.toLowerCase().split('|').some((part) => part && name.toLowerCase().includes(part));
	}

	async run(name: string, run: () => Promise<void>): Promise<void> {
		if (!this.selects(name)) return;
		const started = Date.now();
		try {
			await run();
			this.outcomes.push({ name, ok: true });
			process.stdout.write(`ok    ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
		} catch (error) {
			const detail = (error as Error).message.split('\n').slice(0, this.detailLines).join('\n      ');
			this.outcomes.push({ name, ok: false, detail });
			process.stdout.write(`FAIL  ${name}\n      ${detail}\n`);
		}
	}

	/** An outcome decided outside run(), e.g. the harness failing to start. */
	record(outcome: Outcome): void {
		this.outcomes.push(outcome);
	}

	get passed(): number {
		return this.outcomes.filter((o) => o.ok).length;
	}

	get failed(): number {
		return this.outcomes.length - this.passed;
	}

	summaryLine(): string {
		return `${this.passed} passed, ${this.failed} failed`;
	}
}
