// Build steps after `tsc` (which type-checks and writes the .d.ts files):
// - bundle: every node, credential and index.ts into CommonJS under dist/, one bundle each, with every import
//   inlined, so the packed tarball has no runtime dependencies and works when copied by hand into
//   ~/.n8n/nodes/node_modules on a closed network. Only n8n-workflow stays external: n8n provides it.
//   The Redis store (nodes/shared/redis-store.ts, with ioredis) is a bundle of its own that the others load with
//   import() when they open a store: it reads n8n's environment and opens sockets, the node bundles do neither.
//   test/unit/bundles.test.ts checks with esbuild's metafile what each bundle holds.
// - icons: the SVG icons and codex *.node.json files n8n reads next to each node.
const { src, dest, series } = require('gulp');
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

function listEntries(dir, suffix) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { recursive: true })
		.map((file) => path.join(dir, file))
		.filter((file) => file.endsWith(suffix));
}

/**
 * The bundle carries third-party code (MIT and similar licences ask that their notice goes with every copy), so the
 * packages esbuild actually inlined are listed with their licence in dist/THIRD_PARTY_NOTICES.md.
 */
function writeNotices(metafile) {
	const packages = new Map();
	for (const input of Object.keys(metafile.inputs)) {
		const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
		if (!match || packages.has(match[1])) continue;
		const dir = path.join('node_modules', match[1]);
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		const licenceFile = fs.readdirSync(dir).find((file) => /^licen[cs]e/i.test(file));
		// Packages without a licence file state their copyright in each source file's header.
		const header = /Copyright \(c\)[^\n]*/.exec(fs.readFileSync(input, 'utf8'));
		const text = licenceFile ? fs.readFileSync(path.join(dir, licenceFile), 'utf8').trim() : (header?.[0] ?? '');
		packages.set(match[1], { pkg, text });
	}
	const sections = [...packages.values()].map(({ pkg, text }) =>
		[`## ${pkg.name} ${pkg.version}`, `License: ${pkg.license ?? 'see package'}`, pkg.repository?.url ?? pkg.homepage ?? '', text]
			.filter(Boolean)
			.join('\n\n'),
	);
	fs.writeFileSync(
		path.join('dist', 'THIRD_PARTY_NOTICES.md'),
		`# Third-party code bundled into dist/\n\n${sections.join('\n\n')}\n`,
	);
}

/** The source file built into a bundle file of its own, and where that file goes. */
const REDIS_STORE = { source: path.resolve('nodes/shared/redis-store.ts'), output: 'dist/nodes/shared/redis-store.js' };

/** Imports of the Redis store stay imports (of its own bundle file, relative to the bundle that loads it). */
function ownBundle(outputDir) {
	return {
		name: 'redis-store-bundle',
		setup(build) {
			build.onResolve({ filter: /\/redis-store$/ }, (args) => {
				if (`${path.resolve(args.resolveDir, args.path)}.ts` !== REDIS_STORE.source) return undefined;
				if (args.kind !== 'dynamic-import') {
					return { errors: [{ text: `${args.importer} must load the Redis store with import(), so that it stays in its own bundle` }] };
				}
				const relative = path.relative(outputDir, REDIS_STORE.output).split(path.sep).join('/');
				return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
			});
		},
	};
}

function bundleEntries() {
	return [...listEntries('nodes', '.node.ts'), ...listEntries('credentials', '.credentials.ts'), 'index.ts', path.relative('.', REDIS_STORE.source)];
}

/**
 * Builds every bundle (one esbuild build per entry, so each output's metafile shows what that bundle holds).
 * `write: false` builds in memory (the bundle test). Resolves with { entry → metafile }.
 */
async function buildBundles({ write = true } = {}) {
	const metafiles = {};
	await Promise.all(
		bundleEntries().map(async (entry) => {
			const outfile = path.join('dist', entry.replace(/\.ts$/, '.js'));
			const result = await esbuild.build({
				entryPoints: [entry],
				outfile,
				bundle: true,
				platform: 'node',
				target: 'node20',
				format: 'cjs',
				external: ['n8n-workflow'],
				plugins: [ownBundle(path.dirname(outfile))],
				sourcemap: false,
				legalComments: 'linked',
				logLevel: 'warning',
				metafile: true,
				write,
			});
			metafiles[entry] = result.metafile;
		}),
	);
	return metafiles;
}

async function bundle() {
	const metafiles = await buildBundles();
	writeNotices({ inputs: Object.assign({}, ...Object.values(metafiles).map((m) => m.inputs)) });
}

function icons() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false })
		.pipe(dest('dist'));
}

exports.bundle = bundle;
exports.buildBundles = buildBundles;
exports['build:icons'] = icons;
exports.build = series(bundle, icons);
