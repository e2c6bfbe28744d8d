/**
 * n8n's memory while a benchmark phase runs: the resident set of its whole process tree (n8n and its task runner),
 * sampled from /proc/<pid>/status, and the kernel's high-water mark (VmHWM) of each process.
 */
import { readFileSync } from 'node:fs';

function statusOf(pid: number): { rssKb: number; hwmKb: number; children: number[] } | undefined {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
		return {
			rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
			hwmKb: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0),
			children: children ? children.split(/\s+/).map(Number) : [],
		};
	} catch {
		return undefined; // the process ended meanwhile
	}
}

export interface TreeMemory {
	/** Sum of VmRSS over the tree now. */
	rssKb: number;
	/** Sum of each process's VmHWM (its own peak since it started). */
	hwmKb: number;
	processes: number;
}

export function treeMemory(rootPid: number): TreeMemory {
	const total: TreeMemory = { rssKb: 0, hwmKb: 0, processes: 0 };
	const pending = [rootPid];
	while (pending.length) {
		const status = statusOf(pending.pop()!);
		if (!status) continue;
		total.rssKb += status.rssKb;
		total.hwmKb += status.hwmKb;
		total.processes++;
		pending.push(...status.children);
	}
	return total;
}

/** Samples the tree every `intervalMs` until stopped; the peak of the summed RSS is the phase's peak. */
export class MemorySampler {
	private timer: NodeJS.Timeout | undefined;
	private peak = 0;
	private samples = 0;

	constructor(
		private readonly pid: () => number | undefined,
		private readonly intervalMs = 100,
	) {}

	start(): void {
		this.peak = 0;
		this.samples = 0;
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
	}

	private sample(): void {
		const pid = this.pid();
		if (pid === undefined) return;
		this.peak = Math.max(this.peak, treeMemory(pid).rssKb);
		this.samples++;
	}

	stop(): { peakRssMb: number; samples: number } {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.sample();
		return { peakRssMb: Math.round(this.peak / 1024), samples: this.samples };
	}
}
