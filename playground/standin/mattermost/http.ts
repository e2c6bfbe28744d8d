import type { IncomingMessage } from 'node:http';

/** Mattermost's AppError body, as every JSON error response carries it. */
export interface AppErrorBody {
	id: string;
	message: string;
	detailed_error: string;
	request_id: string;
	status_code: number;
}

/** Thrown by handlers; the server turns it into the AppError JSON response. */
export class AppError extends Error {
	constructor(
		readonly status: number,
		readonly id: string,
		message: string,
		readonly detailedError = '',
	) {
		super(message);
	}

	body(requestId: string): AppErrorBody {
		return { id: this.id, message: this.message, detailed_error: this.detailedError, request_id: requestId, status_code: this.status };
	}
}

export const errors = {
	sessionExpired: () => new AppError(401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.'),
	permissions: (detail = '') =>
		new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.', detail),
	invalidUrlParam: (name: string) =>
		new AppError(400, 'api.context.invalid_url_param.app_error', `Invalid or missing ${name} parameter in request URL.`),
	invalidBodyParam: (name: string) =>
		new AppError(400, 'api.context.invalid_body_param.app_error', `Invalid or missing ${name} in request body.`),
	userMissing: () => new AppError(404, 'app.user.missing_account.const', 'Unable to find the user.'),
	notFound: () => new AppError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.'),
	tooLarge: () => new AppError(413, 'api.context.request_body_too_large.app_error', 'The request body is too large.'),
};

export interface UploadedFile {
	field: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

/** Form parts in the order they arrived: the server requires `channel_id` before the files. */
export type FormPart = { kind: 'field'; name: string; value: string } | ({ kind: 'file' } & UploadedFile);

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('end', () => (size > limit ? reject(errors.tooLarge()) : resolve(Buffer.concat(chunks))));
		req.on('error', reject);
	});
}

export function mediaType(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
	try {
		return { ok: true, value: JSON.parse(raw.toString('utf8')) };
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}

export function parseUrlEncoded(raw: Buffer): Record<string, string> {
	return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

/** Minimal multipart/form-data parser (RFC 7578): enough for Client4 uploads and webhook forms. */
export function parseMultipart(raw: Buffer, contentType: string): FormPart[] {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!match) throw new Error('multipart body without boundary');
	const delimiter = Buffer.from(`--${match[1] ?? match[2].trim()}`);
	const parts: FormPart[] = [];
	let start = raw.indexOf(delimiter);
	if (start < 0) throw new Error('multipart boundary not found');
	for (;;) {
		start += delimiter.length;
		if (raw.subarray(start, start + 2).toString() === '--') break;
		start += 2; // CRLF after the delimiter line
		const next = raw.indexOf(delimiter, start);
		if (next < 0) throw new Error('unterminated multipart body');
		const part = raw.subarray(start, next - 2); // drop the CRLF that precedes the next delimiter
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd < 0) throw new Error('multipart part without headers');
		const headers = part.subarray(0, headerEnd).toString('utf8');
		const data = Buffer.from(part.subarray(headerEnd + 4));
		const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
		const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
		if (filename === undefined) {
			parts.push({ kind: 'field', name, value: data.toString('utf8') });
		} else {
			const partType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
			parts.push({ kind: 'file', field: name, filename, contentType: partType, data });
		}
		start = next;
	}
	return parts;
}
