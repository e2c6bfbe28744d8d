import * as fc from 'fast-check';

import { buildReply } from '../../nodes/core/commands';
import { neutraliseMessage, parseAttachments, safeMessageParts } from '../../nodes/core/mattermost';
import { hasChannelMention, neutraliseChannelMentions } from '../../nodes/core/text';
import { honouredChannelMentions, scannedAttachmentTexts } from './mattermost-model';
import { fuzz, guarded, runs } from './run';
import { mentionText, type MentionText } from './texts';

const FILE = 'mention-safety.fuzz';

/** Throws with the offending text when Mattermost (as modelled) would notify a channel for it. */
export function assertNoChannelMention(where: string, text: unknown, slack = true) {
	const found = honouredChannelMentions(text, { slack });
	if (found.length) throw new Error(`${where} notifies the channel (${found.join(', ')}): ${JSON.stringify(text)}`);
}

/** Throws when a piece that must survive (user mention, code) is missing from the output. */
export function assertKept(where: string, input: MentionText, output: string) {
	for (const piece of input.keep) {
		if (!output.includes(piece)) throw new Error(`${where} changed ${JSON.stringify(piece)}: ${JSON.stringify(output)}`);
	}
}

describe('mention safety', () => {
	it('the independent model and hasChannelMention agree that a text notifies (the detector never misses one)', () => {
		fuzz(
			FILE,
			'model ⇒ hasChannelMention',
			fc.property(mentionText, ({ text }) => {
				const modelled = honouredChannelMentions(text, { slack: true });
				if (modelled.length && !hasChannelMention(text)) throw new Error(`hasChannelMention misses ${modelled.join(', ')} in ${JSON.stringify(text)}`);
			}),
			{ numRuns: runs(3000) },
		);
	});

	it('neutraliseChannelMentions leaves nothing Mattermost would honour, only inserts invisible characters, and keeps @users and code', () => {
		fuzz(
			FILE,
			'neutraliseChannelMentions',
			fc.property(mentionText, (input) => {
				const safe = guarded('neutraliseChannelMentions', () => neutraliseChannelMentions(input.text));
				assertNoChannelMention('neutralised text', safe);
				if (safe.replace(/[\u200b\u2060]/g, '') !== input.text.replace(/[\u200b\u2060]/g, '')) throw new Error(`changed visible text: ${JSON.stringify(safe)}`);
				assertKept('neutralised text', input, safe);
				if (neutraliseChannelMentions(safe) !== safe) throw new Error('not idempotent');
			}),
			{ numRuns: runs(4000) },
		);
	});

	it('a message split into posts never notifies a channel in any post, wherever the cut falls (inside code too)', () => {
		fuzz(
			FILE,
			'safeMessageParts',
			fc.property(fc.array(mentionText, { minLength: 1, maxLength: 6 }), fc.integer({ min: 20, max: 120 }), (texts, max) => {
				const message = texts.map((t) => `\`${t.text}\` ${t.text}`).join('\n');
				for (const part of guarded('safeMessageParts', () => safeMessageParts(message, max, true, 1000))) {
					assertNoChannelMention('split part', part);
					if (Array.from(part).length > max) throw new Error(`part longer than ${max}: ${JSON.stringify(part)}`);
				}
			}),
			{ numRuns: runs(1000) },
		);
	});

	it('the Mattermost node message and attachments (pretext, text, field values) never notify a channel', () => {
		fuzz(
			FILE,
			'Mattermost node neutraliseMessage',
			fc.property(mentionText, mentionText, mentionText, mentionText, (message, pretext, text, value) => {
				const attachments = parseAttachments(
					JSON.stringify([{ pretext: pretext.text, text: text.text, title: 'Build', fields: [{ title: 'Note', value: value.text, short: false }] }]),
				);
				const safe = guarded('neutraliseMessage', () => neutraliseMessage(message.text, attachments));
				assertNoChannelMention('message', safe.message);
				assertKept('message', message, safe.message);
				for (const t of scannedAttachmentTexts(safe.attachments).filter((x) => x !== 'Build' && x !== 'Note')) assertNoChannelMention('attachment', t);
				const [a] = safe.attachments;
				assertKept('attachment pretext', pretext, a.pretext ?? '');
				assertKept('attachment text', text, a.text ?? '');
				assertKept('attachment field value', value, a.fields?.[0]?.value ?? '');
			}),
			{ numRuns: runs(1500) },
		);
	});

	it('command replies never notify a channel and keep @users and code', () => {
		fuzz(
			FILE,
			'buildReply',
			fc.property(mentionText, fc.constantFrom('slash_command', 'outgoing_webhook') as fc.Arbitrary<'slash_command' | 'outgoing_webhook'>, (input, kind) => {
				const reply = buildReply(kind, input.text);
				if (!reply) return;
				assertNoChannelMention('reply', reply.text);
				assertKept('reply', input, reply.text);
			}),
			{ numRuns: runs(1500) },
		);
	});
});
