/** Who may answer a question (Send and Wait for Response → Who May Answer), carried in its signed resume URL. */
export interface Answerer {
	id: string;
	username: string;
}

/** Who may answer: nobody listed means anyone who can click (anyone in the channel). */
export function mayAnswer(allowed: Answerer[], userId: string): boolean {
	return allowed.length === 0 || allowed.some((u) => u.id === userId);
}

/** The allowed users as one URL parameter ("id:username,…"), which the resume URL's signature covers. */
export function encodeAnswerers(users: Answerer[]): string {
	return users.map((u) => `${u.id}:${u.username}`).join(',');
}

export function decodeAnswerers(value: unknown): Answerer[] {
	if (typeof value !== 'string' || !value) return [];
	return value.split(',').map((pair) => {
		const [id, username = ''] = pair.split(':');
		return { id, username };
	});
}

export function notForYou(users: Answerer[]): string {
	return `This request is for ${users.map((u) => `@${u.username}`).join(', ')}.`;
}
