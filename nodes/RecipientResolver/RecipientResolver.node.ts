import {
	NodeConnectionTypes,
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type JsonObject,
	type INodeTypeDescription,
} from 'n8n-workflow';
import {
	cachedDirectory,
	gatherUnreached,
	resolveRecipientsBatch,
	type Directory,
	type RecipientRequest,
	type ResolveResult,
} from '../core/recipients';
import { identityScope, openBook, type BookSpec, type Store } from '../core/state';
import { mattermostDevopsRedisTest, openStore } from '../shared/store';
import { properties } from './description';
import { gitlabLookup, mattermostDirectory } from './directory';
import { readRequest, readSettings } from './params';

/** Users, e-mails, GitLab ids and channels remembered at most, per node. */
const CACHE_MAX_ENTRIES = 2000;
/** Answers are cheap to ask again, so the instance store keeps them in memory only. */
const CACHE_BOOK: BookSpec = { name: 'recipientCache', ttlMs: 10 * 60_000, maxEntries: CACHE_MAX_ENTRIES, persist: 0 };

/** Lookups go through a cache in the node's store (memory only in the instance store: asking again is cheap). */
async function buildDirectory(ctx: IExecuteFunctions, store: Store, lookUpGitlabUsers: boolean, cacheMinutes: number): Promise<Directory> {
	const directory: Directory = mattermostDirectory(ctx);
	let gitlabServer = '';
	if (lookUpGitlabUsers) {
		directory.gitlabUserById = await gitlabLookup(ctx);
		gitlabServer = String((await ctx.getCredentials('gitlabUserLookupApi')).server ?? '');
	}
	if (!(cacheMinutes > 0)) return directory;
	const mattermostServer = String((await ctx.getCredentials('mattermostDevopsApi')).baseUrl ?? '');
	// Cached people belong to one pair of servers; switching either starts afresh.
	return cachedDirectory(directory, openBook(store, CACHE_BOOK), {
		ttlMs: cacheMinutes * 60_000,
		identity: identityScope(mattermostServer, gitlabServer),
	});
}

function lookupError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError {
	const original = error as { message?: string; description?: string | null; httpCode?: string | null };
	const reason = original?.message ?? String(error);
	return new NodeApiError(ctx.getNode(), { message: reason } as JsonObject, {
		itemIndex,
		message: `Could not look up the recipients of item ${itemIndex}: ${reason}`,
		description: original?.description ?? undefined,
		httpCode: original?.httpCode ?? undefined,
	});
}

export class RecipientResolver implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recipient Resolver',
		name: 'recipientResolver',
		icon: { light: 'file:recipientResolver.svg', dark: 'file:recipientResolver.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["outputMode"] === "perInput" ? "One item per input item" : "One item per recipient"}}',
		description:
			'Turns the GitLab people of an event into Mattermost users: mapping table, GitLab ids, same username, e-mail, optional opt-in channel, with mutes and a lookup cache',
		defaults: { name: 'Recipient Resolver' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Recipients', 'Unresolved'],
		credentials: [
			{ name: 'mattermostDevopsApi', required: true },
			{ name: 'gitlabUserLookupApi', required: true, displayOptions: { show: { lookUpGitlabUsers: [true] } } },
			// Where the state goes when the State Store is Redis.
			{ name: 'mattermostDevopsRedisApi', required: true, testedBy: 'mattermostDevopsRedisTest', displayOptions: { show: { stateStore: ['redis'] } } },
		],
		properties,
	};

	methods = { credentialTest: { mattermostDevopsRedisTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const recipientsOut: INodeExecutionData[] = [];
		const unresolvedOut: INodeExecutionData[] = [];
		if (items.length === 0) return [recipientsOut, unresolvedOut];

		const settings = readSettings(this);

		// Per item: read its people, actor, event and mapping; a bad item becomes an error, the others go on.
		const requests: Array<{ index: number; request: RecipientRequest }> = [];
		const failures = new Map<number, Error>();
		for (let i = 0; i < items.length; i++) {
			try {
				requests.push({ index: i, request: readRequest(this, items[i].json, i, settings.useMapping) });
			} catch (error) {
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
				failures.set(i, error as Error);
			}
		}

		const store = await openStore(this);
		const directory = await buildDirectory(this, store, settings.lookUpGitlabUsers, settings.cacheMinutes);
		const results = await resolveRecipientsBatch(
			requests.map((r) => r.request),
			directory,
			settings.resolve,
		);
		await store.flush();
		const byIndex = new Map<number, ResolveResult>(requests.map((r, n) => [r.index, results[n]]));

		for (let i = 0; i < items.length; i++) {
			const pairedItem = { item: i };
			const result = byIndex.get(i);
			const failure = failures.get(i) ?? (result?.error !== undefined ? lookupError(this, result.error, i) : undefined);
			if (failure) {
				if (!this.continueOnFail()) throw failure;
				recipientsOut.push({ json: { error: failure.message }, pairedItem });
				continue;
			}
			const { recipients, unresolved } = result as ResolveResult;
			const rest: IDataObject = { ...items[i].json };
			// The list of people has been turned into recipients; leaving it beside them would only confuse.
			const recipientsField = this.getNodeParameter('recipients', i, 'recipients') as unknown;
			if (typeof recipientsField === 'string' && !recipientsField.includes('.')) delete rest[recipientsField.trim()];
			if (settings.outputMode === 'perInput') {
				recipientsOut.push({ json: { ...rest, mattermostUsers: recipients as unknown as IDataObject[] }, pairedItem });
			} else {
				for (const recipient of recipients) {
					recipientsOut.push({ json: { ...rest, ...(recipient as unknown as IDataObject) }, pairedItem });
				}
			}
			const context: IDataObject = {};
			if (items[i].json.event !== undefined) context.event = items[i].json.event;
			if (items[i].json.message !== undefined) context.message = items[i].json.message;
			if (settings.unresolvedOutput === 'perEvent') {
				const gathered = gatherUnreached(unresolved);
				if (gathered) unresolvedOut.push({ json: { ...(gathered as unknown as IDataObject), ...context }, pairedItem });
				continue;
			}
			for (const entry of unresolved) unresolvedOut.push({ json: { ...(entry as unknown as IDataObject), ...context }, pairedItem });
		}
		return [recipientsOut, unresolvedOut];
	}
}
