import { Attendance, Reaction, scopeKey } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { generateDemoFeed } from '../../../server/src/demo/feed-seed.js';
import { generateDemoCompany } from '../../../server/src/demo/generate.js';

describe('demo newsfeed', () => {
  const company = generateDemoCompany(300);
  const feed = generateDemoFeed(company);
  const person = (username: string) => company.people.find((p) => p.person.username === username)?.person;

  it('is the same on every installation', () => {
    expect(generateDemoFeed(generateDemoCompany(300))).toEqual(feed);
  });

  it('asks the plant, Lena among it, to confirm a safety briefing by the editor', () => {
    const lena = person('lena.weber');
    const briefing = feed.posts.find((p) => p.requiresConfirmation);
    const channel = feed.channels.find((c) => c.id === briefing?.channelId);
    expect(channel).toMatchObject({
      name: 'Standort Werk Gütersloh',
      audience: scopeKey('location', lena?.locationId ?? ''),
    });
    expect(briefing?.authorId).toBe(person('jonas.becker')?.id);
    expect(feed.states.map((s) => s.personId)).not.toContain(lena?.id);
    expect(feed.states.some((s) => s.confirmedAfter !== null)).toBe(true);
  });

  it('pins a Markdown welcome in the mandatory company channel', () => {
    const pinned = feed.posts.filter((p) => p.pinned);
    expect(pinned).toHaveLength(1);
    expect(feed.channels.find((c) => c.id === pinned[0]?.channelId)).toMatchObject({
      name: 'Unternehmen',
      audience: 'company',
      mandatory: true,
    });
    expect(pinned[0]?.body).toMatch(/^## .*\n[\s\S]*\n- \*\*[\s\S]*\(https:\/\/www\.example\.com\)/);
  });

  it('has a channel per location and per division, and one for the editors', () => {
    const names = feed.channels.map((c) => c.name);
    for (const location of company.locations) expect(names).toContain(`Standort ${location.name}`);
    expect(names).toEqual(expect.arrayContaining(['Bereich Produktion', 'Bereich Kantine', 'Redaktion']));
    expect(new Set(feed.channels.map((c) => c.id)).size).toBe(feed.channels.length);
  });

  it('has the plant react to the summer party, Lena and its author not among them', () => {
    const summer = feed.posts.find((p) => p.title === 'Sommerfest am 4. Juli');
    const reactions = feed.states.filter((s) => s.reaction !== null);
    expect(reactions.length).toBeGreaterThan(3);
    expect(new Set(reactions.map((s) => s.postId))).toEqual(new Set([summer?.id]));
    expect(reactions.some((s) => s.reaction === 'like')).toBe(true);
    const plant = person('lena.weber')?.locationId;
    for (const state of reactions) {
      expect(Reaction.options).toContain(state.reaction);
      expect(company.people.find((p) => p.person.id === state.personId)?.person.locationId).toBe(plant);
    }
    expect(reactions.map((s) => s.personId)).not.toContain(person('lena.weber')?.id);
    expect(reactions.map((s) => s.personId)).not.toContain(person('jonas.becker')?.id);
    // One state per reader and post.
    const keys = feed.states.map((s) => `${s.postId} ${s.personId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('invites the company to a staff meeting in Halle 2 in three weeks, answered by others than Lena and Jonas', () => {
    const events = feed.posts.filter((p) => p.event !== null);
    expect(events.map((p) => p.title)).toEqual(['Betriebsversammlung']);
    const meeting = events[0];
    expect(meeting?.event).toEqual({
      daysAhead: 21,
      startsAt: '10:00',
      endsAt: '12:00',
      place: 'Halle 2, Werk Gütersloh',
    });
    expect(feed.channels.find((c) => c.id === meeting?.channelId)?.name).toBe('Unternehmen');
    expect(meeting?.authorId).toBe(person('jonas.becker')?.id);

    const answers = feed.states.filter((s) => s.attendance !== null);
    expect(answers.length).toBeGreaterThan(10);
    expect(new Set(answers.map((s) => s.postId))).toEqual(new Set([meeting?.id]));
    expect(new Set(answers.map((s) => s.attendance))).toEqual(new Set(Attendance.options));
    expect(answers.filter((s) => s.attendance === 'yes').length).toBeGreaterThan(answers.length / 2);
    const people = new Set(company.people.map((p) => p.person.id));
    for (const state of answers) {
      expect(people.has(state.personId)).toBe(true);
      expect(state).toMatchObject({ reaction: null, confirmedAfter: null });
      // Seen after it appeared, and before now.
      expect(state.seenAfter).toBeGreaterThan(0);
      expect(state.seenAfter).toBeLessThan((meeting?.hoursAgo ?? 0) * 60);
    }
    // People from every location answered, Lena and its author not among them.
    const locations = new Set(
      answers.map((s) => company.people.find((p) => p.person.id === s.personId)?.person.locationId),
    );
    expect(locations.size).toBe(company.locations.length);
    expect(answers.map((s) => s.personId)).not.toContain(person('lena.weber')?.id);
    expect(answers.map((s) => s.personId)).not.toContain(person('jonas.becker')?.id);
    // No other post announces an event, so no one answered another.
    expect(feed.states.filter((s) => s.postId !== meeting?.id).every((s) => s.attendance === null)).toBe(
      true,
    );
  });
});
