import type { INodeProperties } from 'n8n-workflow';

/** Options that several operations offer, worded the same everywhere. */
export const blockChannelMentionsOption: INodeProperties = {
	displayName: 'Block Channel-Wide Mentions',
	name: 'blockChannelMentions',
	type: 'boolean',
	default: true,
	description:
		'Whether to neutralise @channel, @all, @here (and &lt;!channel&gt;, &lt;!here&gt;, &lt;!all&gt;) in the message and attachments so input data cannot notify a whole channel. @username mentions still work.',
};

export const attachmentsJsonOption: INodeProperties = {
	displayName: 'Attachments (JSON)',
	name: 'attachmentsJson',
	type: 'json',
	default: '[]',
	description:
		'Message attachments as a JSON array (or an expression giving an array), e.g. from the GitLab Event Formatter. Added after the attachments above.',
};

export const propsOption: INodeProperties = {
	displayName: 'Extra Props (JSON)',
	name: 'props',
	type: 'json',
	default: '{}',
	description: 'Additional post props as a JSON object; attachments set here are replaced by the attachments above',
};

export const retriesOption: INodeProperties = {
	displayName: 'Retries',
	name: 'retries',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 10 },
	default: 3,
	description:
		'How often to repeat a request that hit a rate limit (waiting as the server asks), a server error or a network error. A message is never posted twice.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 15,
	description:
		'How long to wait for Mattermost to answer one request. A request that takes longer is treated like a network error and repeated (within Retries).',
};

export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.message.idempotencyKey }}',
	description:
		'An ID for this message. When the same key is sent to the same channel again (for example by a retried execution or a replayed webhook), the earlier post is reused instead of posting twice. Kept for 7 days.',
};
