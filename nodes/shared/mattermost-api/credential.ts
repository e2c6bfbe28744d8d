import type { IExecuteFunctions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';

import { identityScope } from '../../core/state';

export const CREDENTIAL_TYPE = 'mattermostDevopsApi';

export type MattermostContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface ServerSettings {
	baseUrl: string;
	skipSslCertificateValidation: boolean;
	/** Server and token fingerprint: what cached answers belong to, so a changed credential starts afresh. */
	account: string;
}

const settingsByContext = new WeakMap<object, Promise<ServerSettings>>();

/** The Mattermost credential's server settings, read once per node run. */
export async function serverSettings(ctx: MattermostContext, itemIndex?: number): Promise<ServerSettings> {
	let found = settingsByContext.get(ctx);
	if (!found) {
		found = ctx.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0).then((credentials) => {
			const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
			return {
				baseUrl,
				skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
				account: identityScope(baseUrl, String(credentials.accessToken ?? '')),
			};
		});
		settingsByContext.set(ctx, found);
	}
	return await found;
}
