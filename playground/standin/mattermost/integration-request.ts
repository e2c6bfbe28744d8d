/**
 * DoActionRequest and httpservice's dial filter (server/channels/app/integration_action.go, platform/services/
 * httpservice): how the server calls an integration for a button, a menu or a dialog, and which addresses it refuses.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

import { AppError } from './http';

export interface InteractiveConfig {
	/** ServiceSettings.OutgoingIntegrationRequestsTimeout in seconds (default 30): integration answers and trigger ids. */
	integrationTimeoutSeconds: number;
	/** ServiceSettings.AllowedUntrustedInternalConnections: hosts and CIDR ranges, space- or comma-separated. */
	allowedUntrustedInternalConnections: string;
}

const ACTION_FAILED = 'api.post.do_action.action_integration.app_error';
export const actionFailed = (detail: string) => new AppError(400, ACTION_FAILED, 'Action integration error.', detail);
const USER_AGENT = 'Mattermost-Bot/1.1';
/** httpservice reservedIPRanges: never reachable for untrusted integration requests. */
const RESERVED = ['0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];
const RESERVED_V6 = ['::/128', '::1/128', 'fc00::/7', 'fe80::/10'];

const reserved = new BlockList();
for (const range of RESERVED) reserved.addSubnet(range.split('/')[0], Number(range.split('/')[1]), 'ipv4');
for (const range of RESERVED_V6) reserved.addSubnet(range.split('/')[0], Number(range.split('/')[1]), 'ipv6');

const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** dialContextFilter: loopback/private/own addresses only when AllowedUntrustedInternalConnections allows them. */
async function checkAddress(config: InteractiveConfig, rawUrl: string): Promise<void> {
	let url: URL;
	try {
		url = new URL(rawUrl);
	} catch {
		throw actionFailed('parse "' + rawUrl + '": invalid URL');
	}
	const host = url.hostname.replace(/^\[|\]$/g, '');
	const allowed = config.allowedUntrustedInternalConnections.split(/[\s,]+/).filter(Boolean);
	if (allowed.includes(host)) return;
	const address = isIP(host) ? host : (await lookup(host).catch(() => ({ address: '' }))).address;
	if (!address) throw actionFailed(`err=dial tcp: lookup ${host}: no such host`);
	if (!reserved.check(address, family(address))) return;
	const ranges = new BlockList();
	for (const entry of allowed) {
		const [ip, bits] = entry.split('/');
		if (bits !== undefined && isIP(ip)) ranges.addSubnet(ip, Number(bits), family(ip));
	}
	if (ranges.check(address, family(address))) return;
	throw actionFailed(
		`err=Post "${rawUrl}": address forbidden, you may need to set AllowedUntrustedInternalConnections to allow an integration access to your internal network`,
	);
}

/** DoActionRequest: POST JSON, 200 only, within the integration timeout. Answers the body text. */
export async function integrationRequest(config: InteractiveConfig, url: string, body: unknown): Promise<string> {
	await checkAddress(config, url);
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': USER_AGENT },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(config.integrationTimeoutSeconds * 1000),
		});
	} catch (error) {
		const reason = (error as Error).name === 'TimeoutError' ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' : (error as Error).message;
		throw actionFailed(`err=Post "${url}": ${reason}`);
	}
	const text = await response.text();
	if (response.status !== 200) throw actionFailed(`status=${response.status}`);
	return text;
}
