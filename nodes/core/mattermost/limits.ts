/** The server settings Send Message and Update Message obey, as GET config/client?format=old gives them. */

/** Mattermost's smallest MaxPostSize (runes), used when the server does not say. */
export const DEFAULT_MAX_POST_SIZE = 16383;

/** What the node reads from the client config. */
export interface ServerLimits {
	maxPostSize: number;
	/** FileSettings.MaxFileSize, bytes: the limit of one upload request (all its files together). */
	maxFileSize: number;
	/** ServiceSettings.PostPriority: off, a post with a priority label is refused whole. */
	postPriority: boolean;
	/** ServiceSettings.PostEditTimeLimit in seconds; -1 = no limit. */
	postEditTimeLimit: number;
}

const DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024;

/** The client config's string values as numbers and booleans; the stock defaults where one is absent. */
export function serverLimits(config: Record<string, unknown>): ServerLimits {
	const number = (value: unknown, fallback: number, valid: (n: number) => boolean) => {
		const n = Number(value);
		return value !== undefined && value !== '' && Number.isFinite(n) && valid(n) ? n : fallback;
	};
	return {
		maxPostSize: number(config.MaxPostSize, DEFAULT_MAX_POST_SIZE, (n) => n > 0),
		maxFileSize: number(config.MaxFileSize, DEFAULT_MAX_FILE_SIZE, (n) => n > 0),
		postPriority: config.PostPriority !== 'false',
		postEditTimeLimit: number(config.PostEditTimeLimit, -1, (n) => n >= -1),
	};
}
