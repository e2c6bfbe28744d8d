import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { LANGUAGES, PLACEHOLDERS, SUPPORTED_KINDS, eventKinds } from '../../nodes/core/gitlab';
import { HANDLERS } from '../../nodes/core/gitlab/registry';
import { properties } from '../../nodes/GitlabEventFormatter/description';

type DescriptionModule = typeof import('../../nodes/GitlabEventFormatter/description');

function templateFields(properties: INodeProperties[]): INodeProperties[] {
	const templates = properties.find((p) => p.name === 'templates');
	return (templates?.options as INodePropertyCollection[])[0].values;
}

function optionsOf(property: INodeProperties | undefined): Array<{ name: string; value: unknown }> {
	return (property?.options as INodePropertyOptions[]).map(({ name, value }) => ({ name, value }));
}

function kindLists(properties: INodeProperties[]) {
	const rules = properties.find((p) => p.name === 'rules')?.options as INodeProperties[];
	return {
		templateKind: optionsOf(templateFields(properties).find((p) => p.name === 'kind')),
		ruleKinds: optionsOf(rules.find((p) => p.name === 'kinds')),
	};
}

describe('the Formatter node lists what the core knows', () => {
	it('every registered event kind, under its registry label, and nothing else, in both kind lists', () => {
		const expected = Object.entries(HANDLERS).map(([value, entry]) => ({ name: entry.label, value }));
		const { templateKind, ruleKinds } = kindLists(properties);
		expect(templateKind).toEqual(expected);
		expect(ruleKinds).toEqual(expected);
		expect(templateKind.map((o) => o.value).sort()).toEqual([...SUPPORTED_KINDS].sort());
	});

	it('every language pack, and nothing else', () => {
		const language = optionsOf(properties.find((p) => p.name === 'language'));
		expect(language.map((o) => o.value).sort()).toEqual(Object.keys(LANGUAGES).sort());
		expect(language).toContainEqual({ name: 'English', value: 'en' });
	});

	it('the action help names every action with a default template, and the hint every placeholder', () => {
		const fields = templateFields(properties);
		const action = fields.find((p) => p.name === 'action')?.description ?? '';
		for (const { label, actions } of eventKinds()) {
			expect(action).toContain(`${label}: ${actions.join(', ')}`);
		}
		expect(action).toContain('Merge Request: open, ready, update, push, close, reopen, merge, approved, unapproved, approval, unapproval.');
		expect(action).toContain('Pipeline: failed, success, fixed or any other status.');
		const hint = fields.find((p) => p.name === 'template')?.hint ?? '';
		for (const name of PLACEHOLDERS) expect(hint).toContain(`{${name}}`);
	});

	it('every default template belongs to a registered kind (or the kind it speaks for)', () => {
		const kinds = new Set(Object.entries(HANDLERS).map(([kind, entry]) => entry.templates ?? kind));
		for (const key of Object.keys(LANGUAGES.en.templates)) expect(kinds).toContain(key.split(':')[0]);
		for (const { kind, actions, otherActions } of eventKinds()) {
			expect({ kind, templates: actions.length > 0 || otherActions }).toEqual({ kind, templates: true });
		}
	});

	it('a kind added to the registry appears in both lists without touching the node', () => {
		jest.isolateModules(() => {
			jest.doMock('../../nodes/core/gitlab/registry', () => {
				const actual = jest.requireActual('../../nodes/core/gitlab/registry');
				const extra = { handle: () => undefined, actor: 'user', label: 'Vulnerability' };
				return { ...actual, HANDLERS: { ...actual.HANDLERS, vulnerability: extra } };
			});
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const fresh = require('../../nodes/GitlabEventFormatter/description') as DescriptionModule;
			const { templateKind, ruleKinds } = kindLists(fresh.properties);
			expect(templateKind).toContainEqual({ name: 'Vulnerability', value: 'vulnerability' });
			expect(ruleKinds).toHaveLength(Object.keys(HANDLERS).length + 1);
		});
		jest.dontMock('../../nodes/core/gitlab/registry');
	});
});
