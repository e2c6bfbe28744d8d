import { NodeOperationError, type IWebhookFunctions } from 'n8n-workflow';
import type { SecretLocation } from '../core/secrets';

/** HTTP header names (RFC 9110 tokens). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** Where this request must carry the secret, from Secret Header and the header or query parameter name. */
export function secretLocation(context: IWebhookFunctions): SecretLocation {
	const choice = context.getNodeParameter('tokenHeader', 'x-gitlab-token') as string;
	if (choice === 'authorization-bearer') return { kind: 'bearer' };
	if (choice === 'query') {
		const parameter = (context.getNodeParameter('queryParameter', 'token') as string).trim();
		if (!parameter) throw new NodeOperationError(context.getNode(), 'Query Parameter Name is empty');
		return { kind: 'query', parameter };
	}
	if (choice !== 'custom') return { kind: 'header', header: 'x-gitlab-token' };
	const header = (context.getNodeParameter('customHeader', '') as string).trim();
	if (!HEADER_NAME.test(header)) {
		throw new NodeOperationError(context.getNode(), `Header Name "${header}" is not a valid HTTP header name`, {
			description: 'Enter the name of the header the sender puts the secret in, e.g. X-Webhook-Secret.',
		});
	}
	return { kind: 'header', header };
}
