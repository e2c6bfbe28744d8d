/** Bad standup settings; `field` names the setting to fix. */
export class StandupError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'StandupError';
	}
}
