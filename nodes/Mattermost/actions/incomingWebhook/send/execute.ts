import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { neutraliseMessage, parseAttachments, type Attachment } from '../../../../core/mattermost';
import { safeUrl } from '../../../../core/text';
import { postToIncomingWebhook, WEBHOOK_CREDENTIAL_TYPE } from '../../../../shared/mattermost-api';
import { fail, itemCall } from '../../item';

/** Posts through an incoming webhook (see postToIncomingWebhook: never repeated once it may have been posted). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const credentials = await this.getCredentials(WEBHOOK_CREDENTIAL_TYPE, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const url = String(credentials.webhookUrl ?? '').trim();
	if (!/^https?:\/\//i.test(url)) fail(this, itemIndex, 'The webhook credential needs a URL starting with http:// or https://');

	let text = this.getNodeParameter('text', itemIndex, '') as string;
	let attachments: Attachment[] = [];
	let props: IDataObject | undefined;
	try {
		attachments = parseAttachments(
			typeof options.attachmentsJson === 'string' && !options.attachmentsJson.trim() ? undefined : options.attachmentsJson,
			'options.attachmentsJson',
		);
		const rawProps = typeof options.props === 'string' ? (options.props.trim() ? JSON.parse(options.props) : undefined) : options.props;
		if (rawProps !== undefined && (typeof rawProps !== 'object' || rawProps === null || Array.isArray(rawProps))) {
			throw new Error('options.props must be a JSON object');
		}
		props = rawProps as IDataObject | undefined;
	} catch (error) {
		fail(this, itemIndex, (error as Error).message);
	}
	if (options.blockChannelMentions !== false) ({ message: text, attachments } = neutraliseMessage(text, attachments, { serverSplits: true }));
	if (!text.trim() && !attachments.length) fail(this, itemIndex, 'Nothing to send: the text is empty and there are no attachments');

	const pick = (option: unknown, fallback: unknown) => String(option || fallback || '').trim();
	const body: IDataObject = { text };
	const channel = pick(options.channel, credentials.channel);
	const username = pick(options.username, credentials.username);
	const iconUrl = pick(options.iconUrl, credentials.iconUrl);
	const iconEmoji = pick(options.iconEmoji, '');
	if (channel) body.channel = channel;
	if (username) body.username = username;
	if (iconUrl) {
		const safe = safeUrl(iconUrl);
		if (!safe) fail(this, itemIndex, 'The icon URL must be an http(s) URL');
		body.icon_url = safe;
	}
	if (iconEmoji) body.icon_emoji = iconEmoji.replace(/^:|:$/g, '');
	// Incoming webhooks take attachments at the top level, not inside props.
	if (attachments.length) body.attachments = attachments as unknown as IDataObject[];
	if (props && Object.keys(props).length) body.props = props;

	await postToIncomingWebhook(this, url, body, itemCall(this, itemIndex));
	return [{ json: { ok: true, text, ...(channel ? { channel } : {}), ...(username ? { username } : {}) } }];
}
