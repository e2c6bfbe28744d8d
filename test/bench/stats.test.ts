import { median, percentile, round, summarise } from './stats';

describe('percentile', () => {
	it('interpolates between the closest ranks', () => {
		expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
		expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
		expect(percentile([0, 100], 99)).toBe(99);
	});

	it('does not depend on the order of the samples and leaves them as they are', () => {
		const samples = [5, 1, 4, 2, 3];
		expect(percentile(samples, 50)).toBe(3);
		expect(samples).toEqual([5, 1, 4, 2, 3]);
	});

	it('gives the extremes at 0 and 100, the single value for one sample, NaN for none', () => {
		expect(percentile([3, 9, 7], 0)).toBe(3);
		expect(percentile([3, 9, 7], 100)).toBe(9);
		expect(percentile([42], 99)).toBe(42);
		expect(percentile([], 50)).toBeNaN();
	});

	it('rejects a percentile outside 0..100', () => {
		expect(() => percentile([1], 101)).toThrow(RangeError);
		expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
	});
});

describe('summarise and median', () => {
	it('reports count, p50, p99, min, max and mean', () => {
		const samples = Array.from({ length: 101 }, (_, i) => i);
		expect(summarise(samples)).toEqual({ n: 101, p50: 50, p99: 99, min: 0, max: 100, mean: 50 });
		expect(median([3, 1, 2])).toBe(2);
	});
});

describe('round', () => {
	it('keeps three significant digits below 100 and whole numbers above', () => {
		expect(round(0.012345)).toBe(0.0123);
		expect(round(12.345)).toBe(12.3);
		expect(round(1234.5)).toBe(1235);
		expect(round(Number.NaN)).toBeNaN();
	});
});
