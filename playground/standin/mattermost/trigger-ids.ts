/**
 * Trigger ids (model.PostActionIntegrationRequest.GenerateTriggerId, OpenDialogRequest.DecodeAndVerifyTriggerId): what
 * lets an integration open a dialog for the person who clicked, signed with the server's own key and short-lived.
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

import { AppError } from './http';
import { newId } from './ids';

export class TriggerIds {
	private readonly keys: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

	/** GenerateTriggerId: base64(clientTriggerId:userId:millis:base64(ECDSA signature of the first three)). */
	make(userId: string): string {
		const payload = `${newId()}:${userId}:${Date.now()}`;
		const signature = sign('sha256', Buffer.from(payload), this.keys.privateKey).toString('base64');
		return Buffer.from(`${payload}:${signature}`).toString('base64');
	}

	/** DecodeAndVerifyTriggerId: the user the trigger id was made for, or the server's 400. */
	verify(triggerId: unknown, timeoutSeconds: number): { userId: string; clientTriggerId: string } {
		const decoded = typeof triggerId === 'string' ? Buffer.from(triggerId, 'base64').toString('utf8') : '';
		if (!decoded) {
			throw new AppError(400, 'interactive_message.decode_trigger_id.base64_decode_failed', 'Failed to decode base64 for trigger ID for interactive dialog.');
		}
		const parts = decoded.split(':');
		if (parts.length !== 4) {
			throw new AppError(400, 'interactive_message.decode_trigger_id.missing_data', 'Trigger ID missing required data for interactive dialog.');
		}
		const [clientTriggerId, userId, millis, signature] = parts;
		const timeoutMs = timeoutSeconds * 1000;
		if (Date.now() - Number(millis) > timeoutMs) {
			throw new AppError(
				400,
				'interactive_message.decode_trigger_id.expired',
				`Trigger ID for interactive dialog is expired. Trigger IDs live for a maximum of ${timeoutSeconds}s.`,
			);
		}
		const valid = verify('sha256', Buffer.from(`${clientTriggerId}:${userId}:${millis}`), this.keys.publicKey, Buffer.from(signature, 'base64'));
		if (!valid) {
			throw new AppError(400, 'interactive_message.decode_trigger_id.verify_signature_failed', 'Signature verification failed of trigger ID for interactive dialog.');
		}
		return { userId, clientTriggerId };
	}
}
