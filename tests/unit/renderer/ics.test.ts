import { describe, expect, it } from 'vitest';
import { calendarFile, calendarFileName } from '@/features/feed/ics.js';

const event = {
  uid: '01900000-0000-7000-8000-000000000001@flurfunk',
  title: 'Betriebsversammlung',
  description: 'Alle Schichten; bitte pünktlich.',
  place: 'Halle 2, Werk Gütersloh',
  startsAt: '2026-12-12T09:00:00.000000Z',
  endsAt: '2026-12-12T11:30:00.000000Z',
  stampedAt: new Date('2026-11-26T10:00:00Z'),
};

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('the calendar file of an event', () => {
  it('holds one event in UTC with title, place and description, in CRLF lines', () => {
    const ics = calendarFile(event);
    expect(ics.split('\r\n').slice(0, 6)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Flurfunk//Newsfeed//DE',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
    ]);
    expect(ics).toContain('\r\nDTSTART:20261212T090000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20261212T113000Z\r\n');
    expect(ics).toContain('\r\nLOCATION:Halle 2\\, Werk Gütersloh\r\n');
    expect(ics).toContain('\r\nDESCRIPTION:Alle Schichten\\; bitte pünktlich.\r\n');
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
  });

  it('lasts an hour without an end', () => {
    expect(calendarFile({ ...event, endsAt: null })).toContain('\r\nDTEND:20261212T100000Z\r\n');
  });

  it('cannot be given extra properties through a title with line breaks', () => {
    const ics = calendarFile({ ...event, title: 'Feier\r\nATTACH:https://evil.example/x\nBEGIN:VALARM' });
    expect(
      unfold(ics)
        .split('\r\n')
        .filter((line) => line.startsWith('ATTACH') || line === 'BEGIN:VALARM'),
    ).toEqual([]);
    expect(unfold(ics)).toContain('SUMMARY:Feier\\nATTACH:https://evil.example/x\\nBEGIN:VALARM');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const ics = calendarFile({ ...event, description: 'Ä'.repeat(200) });
    for (const line of ics.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(unfold(ics)).toContain(`DESCRIPTION:${'Ä'.repeat(200)}`);
  });

  it('names the file after the title, safely', () => {
    expect(calendarFileName('Sommerfest 2027: Grillen & Spiele!')).toBe('Sommerfest-2027-Grillen-Spiele.ics');
    expect(calendarFileName('../../etc/passwd')).toBe('etc-passwd.ics');
    expect(calendarFileName('***')).toBe('event.ics');
  });
});
