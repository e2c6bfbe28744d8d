import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import {
	parseMapping,
	toIdentity,
	type EventRef,
	type NamedPerson,
	type MappingInput,
	type RecipientRequest,
	type ResolveOptions,
} from '../core/recipients';
import { isRecord, splitList } from '../core/util';
import { DEFAULT_RECIPIENT_LIMIT } from './options';

function readPath(json: IDataObject, path: string): unknown {
	let value: unknown = json;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}

export function readRequest(ctx: IExecuteFunctions, json: IDataObject, i: number, useMapping: boolean): RecipientRequest {
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
	const identities: NamedPerson[] = list.map((entry, n) => {
		try {
			return toIdentity(entry, n);
		} catch (error) {
			throw bad(`${where}, ${(error as Error).message}`);
		}
	});

	const event = isRecord(json.event) ? json.event : undefined;
	const eventRef: EventRef = {};
	if (typeof event?.kind === 'string') eventRef.kind = event.kind;
	if (typeof event?.action === 'string') eventRef.action = event.action;
	const actor = isRecord(event?.actor) ? toIdentity(event.actor, 0) : undefined;

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

export interface ResolverSettings {
	outputMode: 'perRecipient' | 'perInput';
	unresolvedOutput: 'perPerson' | 'perEvent';
	useMapping: boolean;
	lookUpGitlabUsers: boolean;
	cacheMinutes: number;
	resolve: ResolveOptions;
}

/** The node-wide settings (read from the first item), checked before any item is resolved. */
export function readSettings(ctx: IExecuteFunctions): ResolverSettings {
	const outputMode = ctx.getNodeParameter('outputMode', 0) as 'perRecipient' | 'perInput';
	const useMapping = ctx.getNodeParameter('useMapping', 0) as boolean;
	const lookUpGitlabUsers = ctx.getNodeParameter('lookUpGitlabUsers', 0) as boolean;
	const options = ctx.getNodeParameter('options', 0, {}) as {
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
	const invalid = (message: string) => new NodeOperationError(ctx.getNode(), `Invalid node settings: ${message}`);
	if (useMapping) {
		const table = ctx.getNodeParameter('mappingTable.mappings', 0, []) as Array<{ gitlabUser?: string; mattermostUsername?: string }>;
		tableMapping = table.map((row) => ({ gitlab: row.gitlabUser ?? '', mattermost: row.mattermostUsername ?? '' }));
		try {
			parseMapping(tableMapping);
		} catch (error) {
			throw invalid(`Mapping Table: ${(error as Error).message}`);
		}
	}
	if (ctx.getNodeParameter('onlyChannelMembers', 0) as boolean) {
		channel = {
			team: String(ctx.getNodeParameter('team', 0)).trim(),
			channel: String(ctx.getNodeParameter('channel', 0)).trim(),
		};
		if (!channel.team || !channel.channel) throw invalid('Team Name and Channel Name are needed for Only Members of a Channel');
	}
	for (const entry of options.mutedKinds?.entries ?? []) {
		if (!entry.username?.trim()) throw invalid('a Muted Event Kinds row has no Mattermost username');
		mutedKinds[entry.username] = [...(mutedKinds[entry.username] ?? []), ...splitList(entry.kinds ?? '')];
	}
	return {
		outputMode,
		unresolvedOutput: options.unresolvedOutput ?? 'perPerson',
		useMapping,
		lookUpGitlabUsers,
		cacheMinutes: options.cacheMinutes ?? 10,
		resolve: {
			useMapping,
			mapping: tableMapping,
			useGitlab: lookUpGitlabUsers,
			matchUsername: ctx.getNodeParameter('matchUsername', 0) as boolean,
			matchEmail: ctx.getNodeParameter('matchEmail', 0) as boolean,
			channel,
			excludeActor: options.excludeActor !== false,
			mutedUsers: splitList(options.mutedUsers ?? ''),
			mutedKinds,
			recipientLimit: options.recipientLimit ?? DEFAULT_RECIPIENT_LIMIT,
		},
	};
}
