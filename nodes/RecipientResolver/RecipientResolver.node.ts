import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import {
	cachedDirectory,
	gatherUnreached,
	parseMapping,
	resolveRecipientsBatch,
	toIdentity,
	type Directory,
	type EventRef,
	type Identity,
	type MappingInput,
	type RecipientRequest,
	type ResolveResult,
} from '../core/recipients';
import { identityScope, openBook, type BookSpec, type Store } from '../core/state';
import { mattermostDevopsRedisTest, openStore, stateStoreProperty } from '../shared/store';
import { gitlabLookup, mattermostDirectory } from './directory';

/** Users, e-mails, GitLab ids and channels remembered at most, per node. */
const CACHE_MAX_ENTRIES = 2000;
/** Most people one event reaches unless the node says otherwise: a delivery naming hundreds costs hundreds of DMs. */
export const DEFAULT_RECIPIENT_LIMIT = 20;
/** Answers are cheap to ask again, so the instance store keeps them in memory only. */
const CACHE_BOOK: BookSpec = { name: 'recipientCache', ttlMs: 10 * 60_000, maxEntries: CACHE_MAX_ENTRIES, persist: 0 };

function readPath(json: IDataObject, path: string): unknown {
	let value: unknown = json;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function splitList(value: string): string[] {
	return value
		.split(/[,\n]/)
		.map((part) => part.trim())
		.filter(Boolean);
}

function readRequest(ctx: IExecuteFunctions, json: IDataObject, i: number, useMapping: boolean): RecipientRequest {
	const source = ctx.getNodeParameter('recipients', i, 'recipients') as unknown;
	let list: unknown;
	let where: string;
	if (typeof source === 'string') {
		where = `field "${source}"`;
		list = source.trim() === '' ? undefined : readPath(json, source.trim());
		if (list === undefined || list === null) list = [];
	} else {
		where = 'Recipients';
		list = source;
	}
	const bad = (message: string) => new NodeOperationError(ctx.getNode(), `Item ${i}: ${message}`, { itemIndex: i });
	if (!Array.isArray(list)) throw bad(`${where} must be a list of people, not ${typeof list}`);
	const identities: Identity[] = list.map((entry, n) => {
		try {
			return toIdentity(entry, n);
		} catch (error) {
			throw bad(`${where}, ${(error as Error).message}`);
		}
	});

	const event = asObject(json.event);
	const eventRef: EventRef = {};
	if (typeof event?.kind === 'string') eventRef.kind = event.kind;
	if (typeof event?.action === 'string') eventRef.action = event.action;
	const actorJson = asObject(event?.actor);
	const actor = actorJson ? toIdentity(actorJson, 0) : undefined;

	let mapping: MappingInput | undefined;
	if (useMapping) {
		let raw = ctx.getNodeParameter('mappingJson', i, '{}') as unknown;
		if (typeof raw === 'string') {
			try {
				raw = raw.trim() === '' ? {} : JSON.parse(raw);
			} catch (error) {
				throw bad(`Mapping (JSON) is not valid JSON: ${(error as Error).message}`);
			}
		}
		try {
			parseMapping(raw as MappingInput);
			mapping = raw as MappingInput;
		} catch (error) {
			throw bad(`Mapping (JSON): ${(error as Error).message}`);
		}
	}
	return { identities, actor, event: eventRef, mapping };
}

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
		properties: [
			{
				displayName: 'Recipients',
				name: 'recipients',
				type: 'string',
				default: 'recipients',
				description:
					'Name of the input field holding the GitLab people (dot notation for nested fields), or an expression that returns the list itself. Each entry may have username, ID, email, name and role (or roles); a plain text entry is a username or an e-mail.',
			},
			{
				displayName: 'Output',
				name: 'outputMode',
				type: 'options',
				default: 'perRecipient',
				options: [
					{
						name: 'One Item per Recipient',
						value: 'perRecipient',
						description: 'One item per Mattermost user, with mattermost, gitlab, roles and the rest of the input item',
					},
					{
						name: 'One Item per Input Item',
						value: 'perInput',
						description: 'The input item plus mattermostUsers, the list of its recipients',
					},
				],
			},
			{
				displayName: 'Use Mapping Table',
				name: 'useMapping',
				type: 'boolean',
				default: true,
				description: 'Whether to look people up in the mapping below first (step 1)',
			},
			{
				displayName: 'Mapping Table',
				name: 'mappingTable',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Mapping',
				default: {},
				description: 'People whose GitLab and Mattermost names differ. Checked first; a mapping is final.',
				displayOptions: { show: { useMapping: [true] } },
				options: [
					{
						name: 'mappings',
						displayName: 'Mapping',
						values: [
							{
								displayName: 'GitLab User',
								name: 'gitlabUser',
								type: 'string',
								default: '',
								placeholder: 'e.g. jdoe, 42 or jane@example.com',
								description: 'A GitLab username, a numeric GitLab user ID, or an e-mail',
							},
							{
								displayName: 'Mattermost Username',
								name: 'mattermostUsername',
								type: 'string',
								default: '',
								placeholder: 'e.g. jane.doe',
								description: 'Their Mattermost username, with or without @',
							},
						],
					},
				],
			},
			{
				displayName: 'Mapping (JSON)',
				name: 'mappingJson',
				type: 'json',
				default: '{}',
				displayOptions: { show: { useMapping: [true] } },
				description:
					'More mappings as one JSON object, for example from an expression that reads a file or a sheet: {"jdoe": "jane.doe", "42": "sam", "kim@example.com": "kim"}. Wins over the table for the same GitLab user.',
			},
			{
				displayName: 'Look Up GitLab Users',
				name: 'lookUpGitlabUsers',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask GitLab for the username and public e-mail of people known only by their numeric ID (step 2; needs a GitLab User Lookup API credential)',
			},
			{
				displayName: 'Match Same Username',
				name: 'matchUsername',
				type: 'boolean',
				default: true,
				description: 'Whether a GitLab username is looked up as the same Mattermost username (step 3, one request for all of them)',
			},
			{
				displayName: 'Match E-Mail',
				name: 'matchEmail',
				type: 'boolean',
				default: true,
				description:
					'Whether a real e-mail (GitLab shows non-public ones as [REDACTED]) is looked up on Mattermost (step 4). The Mattermost account must be allowed to see e-mails.',
			},
			{
				displayName: 'Only Members of a Channel',
				name: 'onlyChannelMembers',
				type: 'boolean',
				default: false,
				description: 'Whether only members of one Mattermost channel receive anything, so people opt in by joining it (step 5)',
			},
			{
				displayName: 'Team Name',
				name: 'team',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. engineering',
				description: 'The team as it appears in the Mattermost URL',
				displayOptions: { show: { onlyChannelMembers: [true] } },
			},
			{
				displayName: 'Channel Name',
				name: 'channel',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. gitlab-notifications',
				description: 'The channel as it appears in the Mattermost URL',
				displayOptions: { show: { onlyChannelMembers: [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Cache Lookups For (Minutes)',
						name: 'cacheMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description:
							'How long found (and not found) people are remembered across executions, so a burst of events costs one lookup. 0 remembers nothing beyond one execution.',
					},
					{
						displayName: 'Exclude Actor',
						name: 'excludeActor',
						type: 'boolean',
						default: true,
						description:
							'Whether the person who caused the event (event.actor) is left out, reported on Unresolved with reason actor. Whoever started a pipeline, job or deployment (role pipeline_user) still hears how it ended.',
					},
					{
						displayName: 'Muted Event Kinds',
						name: 'mutedKinds',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Muted Kinds',
						default: {},
						description: 'Event kinds individual people do not want to hear about',
						options: [
							{
								name: 'entries',
								displayName: 'Muted Kinds',
								values: [
									{
										displayName: 'Mattermost Username',
										name: 'username',
										type: 'string',
										default: '',
										placeholder: 'e.g. jane.doe',
										description: 'Mattermost username of the person who muted these kinds',
									},
									{
										displayName: 'Event Kinds',
										name: 'kinds',
										type: 'string',
										default: '',
										placeholder: 'e.g. pipeline, merge_request:update',
										description: 'Comma-separated event kinds, or kind:action pairs, this person does not want',
									},
								],
							},
						],
					},
					{
						displayName: 'Muted Users',
						name: 'mutedUsers',
						type: 'string',
						default: '',
						placeholder: 'e.g. jane.doe, sam',
						description: 'Comma-separated Mattermost usernames that never receive anything from this node',
					},
					{
						displayName: 'Recipient Limit per Event',
						name: 'recipientLimit',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_RECIPIENT_LIMIT,
						description:
							'Most people one input item (one event) reaches, in the order they are listed. The rest are neither looked up nor told, and are reported once on Unresolved with reason over_limit. 0 means no limit.',
					},
					{
						displayName: 'Unresolved Output',
						name: 'unresolvedOutput',
						type: 'options',
						default: 'perPerson',
						options: [
							{
								name: 'One Item per Person',
								value: 'perPerson',
								description: 'Every person not reached, with reason and detail (actor, muted and bot included)',
							},
							{
								name: 'One Item per Event',
								value: 'perEvent',
								description:
									'One item per input item that has people who should have been reached and were not (not found, deactivated, ambiguous, not in the channel, over the limit): unreached lists them, detail says why in one text. Made for a single fallback post per event.',
							},
						],
					},
				],
			},
			stateStoreProperty,
		],
	};

	methods = { credentialTest: { mattermostDevopsRedisTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const recipientsOut: INodeExecutionData[] = [];
		const unresolvedOut: INodeExecutionData[] = [];
		if (items.length === 0) return [recipientsOut, unresolvedOut];

		const outputMode = this.getNodeParameter('outputMode', 0) as 'perRecipient' | 'perInput';
		const useMapping = this.getNodeParameter('useMapping', 0) as boolean;
		const lookUpGitlabUsers = this.getNodeParameter('lookUpGitlabUsers', 0) as boolean;
		const options = this.getNodeParameter('options', 0, {}) as {
			cacheMinutes?: number;
			excludeActor?: boolean;
			mutedUsers?: string;
			mutedKinds?: { entries?: Array<{ username?: string; kinds?: string }> };
			recipientLimit?: number;
			unresolvedOutput?: 'perPerson' | 'perEvent';
		};
		let tableMapping: MappingInput = [];
		let channel: { team: string; channel: string } | undefined;
		const mutedKinds: Record<string, string[]> = {};
		const invalid = (message: string) => new NodeOperationError(this.getNode(), `Invalid node settings: ${message}`);
		if (useMapping) {
			const table = this.getNodeParameter('mappingTable.mappings', 0, []) as Array<{ gitlabUser?: string; mattermostUsername?: string }>;
			tableMapping = table.map((row) => ({ gitlab: row.gitlabUser ?? '', mattermost: row.mattermostUsername ?? '' }));
			try {
				parseMapping(tableMapping);
			} catch (error) {
				throw invalid(`Mapping Table: ${(error as Error).message}`);
			}
		}
		if (this.getNodeParameter('onlyChannelMembers', 0) as boolean) {
			channel = {
				team: String(this.getNodeParameter('team', 0)).trim(),
				channel: String(this.getNodeParameter('channel', 0)).trim(),
			};
			if (!channel.team || !channel.channel) throw invalid('Team Name and Channel Name are needed for Only Members of a Channel');
		}
		for (const entry of options.mutedKinds?.entries ?? []) {
			if (!entry.username?.trim()) throw invalid('a Muted Event Kinds row has no Mattermost username');
			mutedKinds[entry.username] = [...(mutedKinds[entry.username] ?? []), ...splitList(entry.kinds ?? '')];
		}

		// Per item: read its people, actor, event and mapping; a bad item becomes an error, the others go on.
		const requests: Array<{ index: number; request: RecipientRequest }> = [];
		const failures = new Map<number, Error>();
		for (let i = 0; i < items.length; i++) {
			try {
				requests.push({ index: i, request: readRequest(this, items[i].json, i, useMapping) });
			} catch (error) {
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
				failures.set(i, error as Error);
			}
		}

		const store = await openStore(this);
		const directory = await buildDirectory(this, store, lookUpGitlabUsers, options.cacheMinutes ?? 10);
		const results = await resolveRecipientsBatch(
			requests.map((r) => r.request),
			directory,
			{
				useMapping,
				mapping: tableMapping,
				useGitlab: lookUpGitlabUsers,
				matchUsername: this.getNodeParameter('matchUsername', 0) as boolean,
				matchEmail: this.getNodeParameter('matchEmail', 0) as boolean,
				channel,
				excludeActor: options.excludeActor !== false,
				mutedUsers: splitList(options.mutedUsers ?? ''),
				mutedKinds,
				recipientLimit: options.recipientLimit ?? DEFAULT_RECIPIENT_LIMIT,
			},
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
			if (outputMode === 'perInput') {
				recipientsOut.push({ json: { ...rest, mattermostUsers: recipients as unknown as IDataObject[] }, pairedItem });
			} else {
				for (const recipient of recipients) {
					recipientsOut.push({ json: { ...rest, ...(recipient as unknown as IDataObject) }, pairedItem });
				}
			}
			const context: IDataObject = {};
			if (items[i].json.event !== undefined) context.event = items[i].json.event;
			if (items[i].json.message !== undefined) context.message = items[i].json.message;
			if (options.unresolvedOutput === 'perEvent') {
				const gathered = gatherUnreached(unresolved);
				if (gathered) unresolvedOut.push({ json: { ...(gathered as unknown as IDataObject), ...context }, pairedItem });
				continue;
			}
			for (const entry of unresolved) unresolvedOut.push({ json: { ...(entry as unknown as IDataObject), ...context }, pairedItem });
		}
		return [recipientsOut, unresolvedOut];
	}
}
