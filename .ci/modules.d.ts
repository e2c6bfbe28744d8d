// The parts of two untyped dev dependencies the repository checks use.

declare module 'madge' {
	interface MadgeResult {
		/** Each file (relative to baseDir) and the files it imports. */
		obj(): Record<string, string[]>;
		circular(): string[][];
		warnings(): { skipped: string[] };
	}
	interface MadgeConfig {
		baseDir?: string;
		fileExtensions?: string[];
		tsConfig?: string;
		detectiveOptions?: Record<string, Record<string, unknown>>;
	}
	function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
	export default madge;
}

declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	/** ESLint with n8n's verification rule set over the files of a package folder; `details` is ESLint's stylish text. */
	export function analyzePackage(
		packageDir: string,
		filePatterns?: string[],
	): Promise<{ passed: boolean; message?: string; details?: string }>;
}
