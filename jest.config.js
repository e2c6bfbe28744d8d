// Jest runs the TypeScript tests under test/ with ts-jest (kept out of package.json: n8n's package scanner reads
// `<rootDir>` there as an unfilled template placeholder and the nested `name` keys as package names).
/** @type {import('jest').Config} */
module.exports = {
	"preset": "ts-jest",
	"testEnvironment": "node",
	"roots": [
		"<rootDir>/test"
	],
	"testMatch": [
		"**/*.test.ts"
	],
	"testTimeout": 30000,
	"transform": {
		"^.+\\.ts$": [
			"ts-jest",
			{
				"tsconfig": {
					"strict": true,
					"esModuleInterop": true,
					"resolveJsonModule": true,
					"skipLibCheck": true,
					"target": "es2022",
					"module": "commonjs",
					"types": [
						"node",
						"jest"
					]
				},
				"diagnostics": {
					"warnOnly": false
				},
				"isolatedModules": false
			}
		]
	},
	"setupFiles": [
		"<rootDir>/test/helpers/jest-setup.ts"
	]
};
