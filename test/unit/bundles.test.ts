/**
 * What each bundle under dist/ holds, read from esbuild's metafile of the build's own bundling (gulpfile.js
 * buildBundles, in memory): node bundles carry their own folder, nodes/core and nodes/shared and no third-party code;
 * Mattermost API code only where a node talks to Mattermost; ioredis only in the Redis store's own bundle, which the
 * nodes load with import() when they open a store.
 */
import type { Metafile } from 'esbuild';

type BuildBundles = (options: { write: boolean }) => Promise<Record<string, Metafile>>;
const { buildBundles } = jest.requireActual<{ buildBundles: BuildBundles }>('../../gulpfile.js');

const REDIS_STORE = 'nodes/shared/redis-store.ts';
const API = 'nodes/shared/mattermost-api/';
/** The nodes that send requests to Mattermost's REST API. */
const TALK_TO_MATTERMOST = ['Mattermost', 'MattermostInteractionTrigger', 'RecipientResolver'];
let bundles: Record<string, Metafile>;
beforeAll(async () => {
	bundles = await buildBundles({ write: false });
}, 60_000);

const inputs = (entry: string) => Object.keys(bundles[entry].inputs);
const imports = (entry: string) =>
	Object.values(bundles[entry].outputs)
		.filter((output) => output.entryPoint === entry)
		.flatMap((output) => output.imports.map((i) => `${i.kind} ${i.path}`));
const nodeEntries = () =>
	Object.keys(bundles)
		.map((entry) => /^nodes\/([^/]+)\/\1\.node\.ts$/.exec(entry)?.[1])
		.filter((name): name is string => Boolean(name));

describe('bundles (esbuild metafile)', () => {
	it('builds one bundle per node, per credential, for index.ts and for the Redis store', () => {
		expect(nodeEntries().sort()).toEqual([
			'GitlabEventFormatter',
			'Mattermost',
			'MattermostCommandTrigger',
			'MattermostInteractionTrigger',
			'RecipientResolver',
			'SecureWebhookTrigger',
		]);
		expect(Object.keys(bundles)).toEqual(expect.arrayContaining(['index.ts', REDIS_STORE, 'credentials/MattermostDevopsApi.credentials.ts']));
	});

	it('puts into a node bundle only its own folder, nodes/core and nodes/shared: no third-party code, no other node', () => {
		for (const node of nodeEntries()) {
			const foreign = inputs(`nodes/${node}/${node}.node.ts`).filter(
				(file) => !file.startsWith(`nodes/${node}/`) && !file.startsWith('nodes/core/') && !file.startsWith('nodes/shared/'),
			);
			expect({ node, foreign }).toEqual({ node, foreign: [] });
		}
	});

	it('loads at run time only n8n-workflow, node:crypto and, with import(), the Redis store bundle', () => {
		for (const node of nodeEntries()) {
			const loaded = new Set(imports(`nodes/${node}/${node}.node.ts`));
			loaded.delete('require-call n8n-workflow');
			loaded.delete('require-call node:crypto');
			loaded.delete('dynamic-import ../shared/redis-store.js');
			expect({ node, loaded: [...loaded] }).toEqual({ node, loaded: [] });
		}
	});

	it('holds Mattermost API code only in the bundles of nodes that talk to Mattermost', () => {
		const withApi = nodeEntries().filter((node) => inputs(`nodes/${node}/${node}.node.ts`).some((file) => file.startsWith(API)));
		expect(withApi.sort()).toEqual(TALK_TO_MATTERMOST);
		const formatter = inputs('nodes/GitlabEventFormatter/GitlabEventFormatter.node.ts');
		expect(formatter.filter((file) => file.startsWith(API) || file.startsWith('nodes/Mattermost/') || file.includes('@mattermost/'))).toEqual([]);
	});

	it('bundles no Mattermost client library anywhere (types only)', () => {
		for (const entry of Object.keys(bundles)) expect({ entry, client: inputs(entry).filter((file) => file.includes('@mattermost/')) }).toEqual({ entry, client: [] });
	});

	it('keeps ioredis, and the Redis store that reads n8n environment, in the Redis store bundle only', () => {
		const store = inputs(REDIS_STORE);
		expect(store).toEqual(expect.arrayContaining([REDIS_STORE, expect.stringMatching(/^node_modules\/ioredis\//)]));
		for (const entry of Object.keys(bundles).filter((e) => e !== REDIS_STORE)) {
			const redis = inputs(entry).filter((file) => file === REDIS_STORE || file.startsWith('node_modules/ioredis/'));
			expect({ entry, redis }).toEqual({ entry, redis: [] });
		}
		// Only node:fs (QUEUE_BULL_REDIS_*_FILE) is the store's own; the rest is what ioredis needs (net, tls, dns, …).
		expect(imports(REDIS_STORE)).toEqual(expect.arrayContaining(['require-call net', 'require-call tls', 'require-call node:fs']));
	});
});
