export interface Words {
	/** Stands in for a missing actor. */
	someone: string;
	/** Names of GitLab objects by target type; unknown types are shown as GitLab names them. */
	objects: Record<string, string>;
	/** `{object}` is the commented object, e.g. "a comment on merge request". */
	commentOn: string;
	assigned: string;
	reviewRequested: string;
	commitOne: string;
	commitMany: string;
	moreCommits: string;
	readMore: string;
	listSeparator: string;
	project: string;
	labels: string;
	status: string;
	ref: string;
	duration: string;
	failedJobs: string;
	environment: string;
	stage: string;
	reason: string;
}

/** One language: `Key` is the English template keys, so a language that lacks one (or has one more) fails the type check. */
export interface LanguagePack<Key extends string = string> {
	/** The language's English name, as the GitLab Event Formatter node lists it. */
	name: string;
	/** Default templates by `kind:action`; `kind:*` covers the other actions of a kind. */
	templates: Record<Key, string>;
	words: Words;
}
