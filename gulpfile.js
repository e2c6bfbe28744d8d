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

async function bundle() {
	const entryPoints = [
		...listEntries('nodes', '.node.ts'),
		...listEntries('credentials', '.credentials.ts'),
		'index.ts',
	];
	const result = await esbuild.build({
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
		metafile: true,
	});
	writeNotices(result.metafile);
}

function icons() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false })
		.pipe(dest('dist'));
}

exports.bundle = bundle;
exports['build:icons'] = icons;
exports.build = series(bundle, icons);
