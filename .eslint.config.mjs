// ESLint flat config: the rule sets n8n's own community-node tooling applies (eslint-plugin-n8n-nodes-base's
// community, credentials and nodes sets; @n8n/eslint-plugin-community-nodes recommended), plus TypeScript checks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import * as jsoncParser from 'jsonc-eslint-parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

// The self-hosted variant: it drops only the bans on the global `process` and on Node built-in imports, which n8n Cloud
// needs. This package is for self-hosted n8n (GitLab and Mattermost on the same network), and its nodes read n8n's own
// environment (EXECUTIONS_MODE, QUEUE_BULL_REDIS_* and their _FILE variants) to find the queue-mode Redis.
const { ignores: _ignored, ...communityRecommended } = communityNodes.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'e2e-output/**', 'bench-output/**', '.n8n-local/**', 'coverage/**', '.eslint.config.mjs', 'gulpfile.js'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts', 'index.ts'],
		...communityRecommended,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.credentials.rules,
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// n8n's own node-cli turns these three off: they predate NodeConnectionTypes and multi-output nodes.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
);
