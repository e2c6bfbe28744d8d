import type { IExecuteFunctions } from 'n8n-workflow';

import type { ItemCall, MattermostSession } from '../../../../shared/mattermost-api';
import { fail } from '../../item';

export const MAX_FILES = 10;
/** Room for the multipart framing around one file (boundaries, headers, channel_id) within MaxFileSize. */
const MULTIPART_OVERHEAD = 1024;

/**
 * Uploads the item's binary properties `names` to the channel, one request per file, as the web app does: Mattermost
 * limits a whole upload request to MaxFileSize, so files that each fit could fail together. Every file is checked
 * against the limit before the first one is sent.
 */
export async function uploadFiles(
	ctx: IExecuteFunctions,
	session: MattermostSession,
	call: ItemCall,
	channelId: string,
	names: string[],
): Promise<string[]> {
	if (names.length === 0) return [];
	const { itemIndex } = call;
	const { maxFileSize } = await session.settings(call);
	const files = [];
	for (const name of names) {
		const binary = ctx.helpers.assertBinaryData(itemIndex, name);
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
		const fileName = binary.fileName ?? name;
		if (buffer.length + MULTIPART_OVERHEAD > maxFileSize) {
			fail(
				ctx,
				itemIndex,
				`File '${fileName}' (binary property ${name}) is ${buffer.length} bytes; this Mattermost accepts uploads up to ${maxFileSize} bytes`,
				'Raise System Console > Environment > File Storage > Maximum File Size (FileSettings.MaxFileSize), or send a smaller file.',
			);
		}
		files.push({ buffer, fileName, mimeType: binary.mimeType });
	}
	const ids: string[] = [];
	for (const file of files) {
		const uploaded = await session.api.uploadFile(channelId, file, call);
		ids.push(...uploaded.file_infos.map((info) => info.id));
	}
	return ids;
}
