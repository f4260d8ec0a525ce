import type { PostComposerDraft, PostPoll } from '@flurfunk/protocol';

export type PollDraft = NonNullable<PostComposerDraft['poll']>;

export const emptyPollDraft = (): PollDraft => ({
  question: '',
  options: ['', ''],
  multiple: false,
  // Anonymous unless the author decides otherwise: names are the exception, as for reach.
  anonymous: true,
  closesAt: '',
});

/** Why the poll as typed cannot be published (an i18n key under feed.poll), or null. */
export function pollDraftProblem(draft: PollDraft, now = Date.now()): string | null {
  if (draft.question.trim() === '') return 'questionRequired';
  const options = draft.options.map((option) => option.trim()).filter((option) => option !== '');
  if (options.length < 2) return 'twoOptions';
  if (new Set(options.map((option) => option.toLocaleLowerCase('de'))).size !== options.length)
    return 'duplicateOptions';
  if (draft.closesAt !== '' && !(Date.parse(draft.closesAt) > now)) return 'closesInPast';
  return null;
}

/** The poll to publish: empty options left out, the closing time (local input) as an instant. */
export function toPostPoll(draft: PollDraft): PostPoll {
  return {
    question: draft.question.trim(),
    options: draft.options.map((option) => option.trim()).filter((option) => option !== ''),
    multiple: draft.multiple,
    anonymous: draft.anonymous,
    closesAt: draft.closesAt === '' ? null : new Date(draft.closesAt).toISOString(),
  };
}
