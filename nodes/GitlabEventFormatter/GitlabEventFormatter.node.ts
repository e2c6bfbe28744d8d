import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { createFormatterState, formatGitLabEvent, TemplateError, validateTemplates } from '../core/gitlab';
import { mattermostDevopsRedisTest, openStore } from '../shared/store';
import { properties } from './description';
import { formatOptionsOf, templatesOf } from './params';

export class GitlabEventFormatter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GitLab Event Formatter',
		name: 'gitlabEventFormatter',
		icon: { light: 'file:gitlabEventFormatter.svg', dark: 'file:gitlabEventFormatter.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Language: " + $parameter["language"]}}',
		description:
			'Turns GitLab webhook events into a Mattermost message, its thread key and the people to tell. Drafts stay quiet until first ready; repeated deliveries are dropped (remembered only in published executions).',
		defaults: { name: 'GitLab Event Formatter' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Notify', 'Skipped'],
		credentials: [{ name: 'mattermostDevopsRedisApi', required: true, testedBy: 'mattermostDevopsRedisTest', displayOptions: { show: { stateStore: ['redis'] } } }],
		properties,
	};

	methods = { credentialTest: { mattermostDevopsRedisTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const notify: INodeExecutionData[] = [];
		const skipped: INodeExecutionData[] = [];

		if (items.length) {
			try {
				validateTemplates(templatesOf(this, 0));
			} catch (error) {
				throw new NodeOperationError(this.getNode(), error as Error, {
					description: 'Fix or remove the placeholder in Message Templates.',
				});
			}
		}

		// Scoped to this node in this workflow, so copies of one delivery handled by concurrent executions still meet.
		const store = await openStore(this);
		const state = createFormatterState(store);

		try {
			for (let i = 0; i < items.length; i++) {
				try {
					const result = await formatGitLabEvent(items[i].json, { state, ...formatOptionsOf(this, i) });
					if (result.skip !== undefined) {
						skipped.push({ json: result as unknown as IDataObject, pairedItem: { item: i } });
					} else {
						const { event, recipients, message } = result;
						notify.push({ json: { event, recipients, message } as unknown as IDataObject, pairedItem: { item: i } });
					}
				} catch (error) {
					const reason = error instanceof Error ? error.message : String(error);
					if (this.continueOnFail()) {
						skipped.push({ json: { skip: `error: ${reason}`, error: reason }, pairedItem: { item: i } });
						continue;
					}
					throw new NodeOperationError(this.getNode(), error as Error, {
						itemIndex: i,
						message: `Item ${i}: ${reason}`,
						description:
							error instanceof TemplateError ? 'Fix or remove the placeholder in Message Templates.' : undefined,
					});
				}
			}
		} finally {
			// Also when an item failed: the deliveries before it were claimed and went on.
			await store.flush();
		}
		return [notify, skipped];
	}
}
