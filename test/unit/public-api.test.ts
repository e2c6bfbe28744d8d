/**
 * The package's public API (index.ts) is a deliberate, short list: renaming an internal helper must not break a
 * user's script, and adding or removing a name is a decision recorded in CHANGELOG.md. The entry is also bundled on its
 * own (dist/index.js), so it must carry no node, no credential and no n8n import.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'index.ts');

const VALUES = [
	// GitLab Event Formatter
	'DEFAULT_RULES',
	'LANGUAGES',
	'PLACEHOLDERS',
	'SUPPORTED_KINDS',
	'TemplateError',
	'formatGitLabEvent',
	'validateTemplates',
	// Recipient Resolver
	'resolveRecipients',
	'resolveRecipientsBatch',
	// Message building
	'AttachmentError',
	'buildAttachment',
	'parseAttachments',
	'runeLength',
	'safeMessageParts',
	'splitMessage',
	// Mention safety
	'escapeInline',
	'extractMentions',
	'hasChannelMention',
	'markdownLink',
	'neutraliseChannelMentions',
	'neutraliseMessage',
];

const TYPES = [
	'FormatOptions',
	'FormatResult',
	'GitLabEvent',
	'Language',
	'Layout',
	'Message',
	'Notification',
	'Recipient',
	'Rules',
	'SkippedResult',
	'TemplateOverride',
	'ChannelRef',
	'Directory',
	'GitlabUser',
	'MappingInput',
	'MattermostUser',
	'RecipientIdentity',
	'RecipientRequest',
	'ResolveOptions',
	'ResolveResult',
	'ResolvedRecipient',
	'UnresolvedReason',
	'UnresolvedRecipient',
	'Attachment',
	'AttachmentField',
	'NeutraliseOptions',
];

const sorted = (names: Iterable<string>) => [...names].sort();

describe('public API (index.ts)', () => {
	it('exports exactly the documented values and types', () => {
		const program = ts.createProgram([ENTRY], { strict: true, skipLibCheck: true, noEmit: true, types: [] });
		const checker = program.getTypeChecker();
		const module = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
		const names = checker.getExportsOfModule(module).map((symbol) => symbol.getName());
		expect(sorted(names)).toEqual(sorted([...VALUES, ...TYPES]));
	});

	it('has the documented values at run time', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const api = require(ENTRY) as Record<string, unknown>;
		expect(sorted(Object.keys(api))).toEqual(sorted(VALUES));
		for (const name of VALUES) expect(api[name]).toBeDefined();
	});

	it('bundles without any node, credential or n8n import', async () => {
		const result = await build({
			entryPoints: [ENTRY],
			bundle: true,
			platform: 'node',
			format: 'cjs',
			write: false,
			metafile: true,
			logLevel: 'silent',
			absWorkingDir: ROOT,
		});
		const inputs = Object.keys(result.metafile.inputs);
		const outsideCore = inputs.filter((file) => file.startsWith('nodes/') && !/^nodes\/(core|shared)\//.test(file));
		expect(outsideCore).toEqual([]);
		expect(inputs.filter((file) => file.startsWith('credentials/'))).toEqual([]);
		const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
		expect(imports.filter((path) => path.includes('n8n'))).toEqual([]);
	});
});
