// Build steps after `tsc` (which type-checks and writes the .d.ts files):
// - bundle: every node, credential and index.ts into CommonJS under dist/, with @mattermost/client and every other
//   import inlined, so the packed tarball has no runtime dependencies and works when copied by hand into
//   ~/.n8n/nodes/node_modules on a closed network. Only n8n-workflow stays external: n8n provides it.
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

async function bundle() {
	const entryPoints = [
		...listEntries('nodes', '.node.ts'),
		...listEntries('credentials', '.credentials.ts'),
		'index.ts',
	];
	await esbuild.build({
		entryPoints,
		outdir: 'dist',
		outbase: '.',
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		external: ['n8n-workflow'],
		sourcemap: false,
		legalComments: 'linked',
		logLevel: 'warning',
	});
}

function icons() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false })
		.pipe(dest('dist'));
}

exports.bundle = bundle;
exports['build:icons'] = icons;
exports.build = series(bundle, icons);
