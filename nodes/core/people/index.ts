export { OWN_OUTCOME_ROLES, hearsOwnOutcome } from './actor';
export { isEmailAddress, realEmail } from './email';
export { normaliseUsername, personOf, samePerson, userIdOf, usernameOf, type Identity } from './identity';
