import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('GitLab handler tests mirror the handlers', () => {
	it('every handler under nodes/core/gitlab/events has its test file under test/unit/gitlab/events, and no test file lacks a handler', () => {
		const handlers = readdirSync(join(root, 'nodes', 'core', 'gitlab', 'events'))
			.filter((file) => file.endsWith('.ts') && file !== 'common.ts')
			.map((file) => file.replace(/\.ts$/, ''));
		const tests = readdirSync(join(__dirname, 'events'))
			.filter((file) => file.endsWith('.test.ts'))
			.map((file) => file.replace(/\.test\.ts$/, ''));
		expect(tests.sort()).toEqual(handlers.sort());
	});
});
