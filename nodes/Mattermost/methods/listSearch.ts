import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { MattermostApi, serverSettings } from '../../shared/mattermost-api';

/**
 * Channels the token's user belongs to, team by team (users/me/teams and users/me/teams/{id}/channels). Unlike
 * GET /channels this works for bot and non-admin tokens. Direct and group channels are left out.
 */
export async function searchChannels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const api = new MattermostApi(this);
	const call = { retries: 1 };
	const { baseUrl } = await serverSettings(this);
	const teams = await api.getMyTeams(call);
	const wanted = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchResult['results'] = [];
	for (const team of teams) {
		const channels = await api.getMyChannels(team.id, call);
		for (const channel of channels) {
			if (channel.type !== 'O' && channel.type !== 'P') continue;
			const name = `${team.display_name} / ${channel.display_name || channel.name}`;
			const haystack = `${name} ${team.name}/${channel.name}`.toLowerCase();
			if (wanted && !haystack.includes(wanted)) continue;
			results.push({ name, value: channel.id, url: `${baseUrl}/${team.name}/channels/${channel.name}` });
		}
	}
	results.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
