/**
 * Roles whose person caused the event but must still hear how it ended: whoever started a pipeline, job or
 * deployment is its actor in GitLab's payload, yet the failure is news to them. The formatter and the resolver
 * both leave the actor out, except in these roles.
 */
export const OWN_OUTCOME_ROLES: readonly string[] = ['pipeline_user'];

/** Whether the "never tell the actor" rule spares a person named in these roles. */
export function hearsOwnOutcome(roles: readonly string[]): boolean {
	return roles.some((role) => OWN_OUTCOME_ROLES.includes(role));
}
