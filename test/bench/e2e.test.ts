import { pairedMedian, type RunFigures } from './e2e';

const run = (eventsPerSecond: number, p50 = 0): RunFigures => ({ events: 10, eventsPerSecond, latencyMs: { n: 10, p50, p99: p50, min: p50, max: p50, mean: p50 } });

describe('pairedMedian', () => {
	it('takes the ratio within each repetition, then the median: drift between repetitions cancels out', () => {
		// The machine slows down by half from one repetition to the next; within each, ours is 0.5× the minimal.
		const runs = {
			gitlab: { perRepetition: [run(5), run(2.5), run(1)] },
			minimal: { perRepetition: [run(10), run(5), run(2)] },
		};
		expect(pairedMedian(runs, (r) => r.gitlab.eventsPerSecond / r.minimal.eventsPerSecond)).toBe(0.5);
		// The ratio of the medians would mix repetitions: 2.5 / 5 here too, but 5 / 2 or 1 / 10 with other orders.
		const shuffled = { gitlab: { perRepetition: [run(1), run(5), run(2.5)] }, minimal: { perRepetition: [run(2), run(10), run(5)] } };
		expect(pairedMedian(shuffled, (r) => r.gitlab.eventsPerSecond / r.minimal.eventsPerSecond)).toBe(0.5);
	});

	it('takes differences the same way and rounds like the other figures', () => {
		const runs = {
			gitlab: { perRepetition: [run(1, 150.123), run(1, 400), run(1, 170)] },
			minimal: { perRepetition: [run(1, 50), run(1, 60), run(1, 70)] },
		};
		expect(pairedMedian(runs, (r) => r.gitlab.latencyMs.p50 - r.minimal.latencyMs.p50)).toBe(100);
	});

	it('uses only the repetitions every workflow has', () => {
		const runs = { a: { perRepetition: [run(4), run(8)] }, b: { perRepetition: [run(2)] } };
		expect(pairedMedian(runs, (r) => r.a.eventsPerSecond / r.b.eventsPerSecond)).toBe(2);
	});
});
