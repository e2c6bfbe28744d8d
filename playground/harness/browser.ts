/**
 * A headless Debian chromium driven by playwright-core, for the e2e suite's editor checks and the README's
 * screenshots. Its profile lives in a temporary folder that is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ensureChromium } from './toolchain';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function withBrowserPage<T>(viewport: { width: number; height: number }, use: (page: Page) => Promise<T>): Promise<T> {
	const executablePath = await ensureChromium();
	const userDataDir = mkdtempSync(join(tmpdir(), 'mmdevops-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: ['--headless', ...FLAGS], viewport });
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(60_000);
		return await use(page);
	} finally {
		await context.close();
		rmSync(userDataDir, { recursive: true, force: true });
	}
}
