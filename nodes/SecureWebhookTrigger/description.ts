import type { INodeProperties } from 'n8n-workflow';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Give the sender this node\'s Production URL and the secret from the credential. The node answers at once with HTTP 200 <code>{"ok": true}</code> and runs the workflow afterwards; a wrong or missing secret gets HTTP 401 and starts nothing. The output is shaped like the Webhook node\'s (headers, params, query, body), without the secret header.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: 'gitlab',
		required: true,
		placeholder: 'gitlab',
		description: 'The last part of the webhook URL: https://your-n8n/webhook/&lt;path&gt;',
	},
	{
		displayName: 'Secret Header',
		name: 'tokenHeader',
		type: 'options',
		options: [
			{
				name: 'X-Gitlab-Token (GitLab)',
				value: 'x-gitlab-token',
				description: "GitLab sends the webhook's Secret token in this header",
			},
			{
				name: 'Authorization: Bearer (Grafana, Alertmanager)',
				value: 'authorization-bearer',
				description:
					"Grafana's webhook contact point and Alertmanager's http_config.authorization send Authorization: Bearer &lt;secret&gt;",
			},
			{
				name: 'Custom Header',
				value: 'custom',
				description: 'Another header whose whole value is the secret',
			},
			{
				name: 'Query Parameter (Redmine)',
				value: 'query',
				description:
					"For senders that can only be given a URL, such as Redmine's webhook plugin: https://your-n8n/webhook/&lt;path&gt;?token=&lt;secret&gt;. Use HTTPS, since the URL carries the secret.",
			},
		],
		default: 'x-gitlab-token',
		description: 'Where the sender puts the secret. That header or query parameter is removed from the output.',
	},
	{
		displayName: 'Header Name',
		name: 'customHeader',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. X-Webhook-Secret',
		description: 'Name of the header that carries the secret (letter case is ignored)',
		displayOptions: { show: { tokenHeader: ['custom'] } },
	},
	{
		displayName: 'Query Parameter Name',
		name: 'queryParameter',
		type: 'string',
		default: 'token',
		required: true,
		description: 'Name of the query parameter that carries the secret (letter case matters)',
		displayOptions: { show: { tokenHeader: ['query'] } },
	},
];
