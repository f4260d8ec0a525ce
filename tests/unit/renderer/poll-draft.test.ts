import { describe, expect, it } from 'vitest';
import { emptyPollDraft, pollDraftProblem, toPostPoll } from '@/features/feed/polls/pollDraft.js';

describe('a poll as the composer holds it', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  const typed = { ...emptyPollDraft(), question: 'Wohin?', options: ['Pizza', ' Biergarten ', ''] };

  it('is anonymous and single-choice until the author says otherwise', () => {
    expect(emptyPollDraft()).toMatchObject({ anonymous: true, multiple: false, options: ['', ''] });
  });

  it('names what is missing or wrong before it is published', () => {
    expect(pollDraftProblem({ ...typed, question: '  ' }, now)).toBe('questionRequired');
    expect(pollDraftProblem({ ...typed, options: ['Pizza', ' ', ''] }, now)).toBe('twoOptions');
    expect(pollDraftProblem({ ...typed, options: ['Pizza', 'pizza '] }, now)).toBe('duplicateOptions');
    expect(pollDraftProblem({ ...typed, closesAt: '2026-11-26T11:00' }, now)).toBe('closesInPast');
    expect(pollDraftProblem({ ...typed, closesAt: '2026-11-27T11:00' }, now)).toBeNull();
    expect(pollDraftProblem(typed, now)).toBeNull();
  });

  it('publishes trimmed options without the empty ones, and the closing time as an instant', () => {
    expect(toPostPoll({ ...typed, closesAt: '2026-11-27T11:00' })).toEqual({
      question: 'Wohin?',
      options: ['Pizza', 'Biergarten'],
      multiple: false,
      anonymous: true,
      closesAt: new Date('2026-11-27T11:00').toISOString(),
    });
    expect(toPostPoll(typed).closesAt).toBeNull();
  });
});
