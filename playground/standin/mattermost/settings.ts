/**
 * The server settings whose rules the package meets, with a stock Mattermost 11's defaults. Names are the real
 * config.json names (the section in the comment), so a test reads like the System Console.
 */
export interface ServerSettings {
	/** ServiceSettings.PostPriority. Off: a post carrying metadata.priority is rejected whole (403). */
	PostPriority: boolean;
	/** ServiceSettings.PostEditTimeLimit, seconds; -1 = no limit. A patch with `message` on an older post gets 400. */
	PostEditTimeLimit: number;
	/** TeamSettings.RestrictDirectMessage: 'team' = DMs/GMs only between people who share a team (bots with their own token included). */
	RestrictDirectMessage: 'any' | 'team';
	/** PrivacySettings.ShowEmailAddress. Off: e-mails are blank for non-admins and users/email/{e} answers 403. */
	ShowEmailAddress: boolean;
	/** ServiceSettings.EnforceMultifactorAuthentication (with an MFA licence): users without MFA get 403 on everything but GET users/me; bots are exempt. */
	EnforceMultifactorAuthentication: boolean;
	/** FileSettings.EnableFileAttachments. Off: POST /files answers 403. */
	EnableFileAttachments: boolean;
	/** ServiceSettings.EnablePostUsernameOverride / EnablePostIconOverride: off, webhook name and icon overrides are ignored. */
	EnablePostUsernameOverride: boolean;
	EnablePostIconOverride: boolean;
	/** ServiceSettings.EnableDeveloper. Off: every error's detailed_error is blanked. */
	EnableDeveloper: boolean;
	/** ServiceSettings.ExperimentalEnableHardenedMode. On: 5xx errors say only "Internal Server Error", with no id. */
	ExperimentalEnableHardenedMode: boolean;
}

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
	PostPriority: true,
	PostEditTimeLimit: -1,
	RestrictDirectMessage: 'any',
	ShowEmailAddress: true,
	EnforceMultifactorAuthentication: false,
	EnableFileAttachments: true,
	EnablePostUsernameOverride: false,
	EnablePostIconOverride: false,
	EnableDeveloper: false,
	ExperimentalEnableHardenedMode: false,
});

const CHECKS: { [K in keyof ServerSettings]: (value: unknown) => boolean } = {
	PostPriority: (v) => typeof v === 'boolean',
	PostEditTimeLimit: (v) => Number.isInteger(v) && (v as number) >= -1,
	RestrictDirectMessage: (v) => v === 'any' || v === 'team',
	ShowEmailAddress: (v) => typeof v === 'boolean',
	EnforceMultifactorAuthentication: (v) => typeof v === 'boolean',
	EnableFileAttachments: (v) => typeof v === 'boolean',
	EnablePostUsernameOverride: (v) => typeof v === 'boolean',
	EnablePostIconOverride: (v) => typeof v === 'boolean',
	EnableDeveloper: (v) => typeof v === 'boolean',
	ExperimentalEnableHardenedMode: (v) => typeof v === 'boolean',
};

/** `more` checked against the known settings; unknown names and wrong types throw (a typo would test nothing). */
export function checkedSettings(more: Record<string, unknown>): Partial<ServerSettings> {
	for (const [name, value] of Object.entries(more)) {
		const check = CHECKS[name as keyof ServerSettings];
		if (!check) throw new Error(`unknown stand-in setting '${name}' (known: ${Object.keys(CHECKS).join(', ')})`);
		if (!check(value)) throw new Error(`stand-in setting ${name} cannot be ${JSON.stringify(value)}`);
	}
	return more as Partial<ServerSettings>;
}
