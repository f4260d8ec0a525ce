import type { CelebrationsConsent, PersonMasterData, ProfileEdit } from '@flurfunk/protocol';
import { Prng } from './prng.js';

const seed = 0x50726f66; // "Prof"

const languagePool = [
  'Englisch',
  'Französisch',
  'Polnisch',
  'Türkisch',
  'Spanisch',
  'Russisch',
  'Italienisch',
];
const skillPool = [
  'SAP',
  'Excel',
  'Projektmanagement',
  'CNC-Programmierung',
  'Schweißen',
  'Hydraulik',
  'SPS-Programmierung',
  'Ersthelfer',
  'Brandschutzhelfer',
  'Staplerschein',
  'Qualitätsmanagement ISO 9001',
  'Lean Management',
  'CAD (SolidWorks)',
  'Präsentation',
  'Vertragsrecht',
  'Ausbilderschein (AdA)',
];

/** What HR adds to a demo person beyond the basics, and what the person filled in about themselves. */
export interface DemoProfile {
  master: Pick<Required<PersonMasterData>, 'mobile' | 'privatePhone' | 'hiredOn'>;
  profile: Omit<ProfileEdit, 'photoFileId'>;
  celebrations: CelebrationsConsent;
}

/**
 * Profiles for the demo people, from their own random sequence so the rest of the demo company
 * stays as it was. `birthdayToday` (MM-DD) is given to a few people, so the directory's "today"
 * list is not empty on the day the demo is seeded.
 */
export class DemoProfiles {
  private readonly random = new Prng(seed);
  private count = 0;

  constructor(private readonly birthdayToday: string | null) {}

  next(options: { female: boolean; mobileFirst: boolean }): DemoProfile {
    const random = this.random;
    const index = this.count++;
    const hired = `${random.int(1988, 2025)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
    const mobile = options.mobileFirst || random.next() < 0.3 ? this.mobileNumber() : '';
    const privatePhone = random.next() < 0.25 ? this.mobileNumber() : '';
    const languages = ['Deutsch', ...this.someOf(languagePool, random.int(0, 2))];
    const skills = this.someOf(skillPool, random.int(0, 4));
    const pronouns = random.next() < 0.05 ? (options.female ? 'sie/ihr' : 'er/ihm') : '';
    const birthdayShown = (this.birthdayToday !== null && index % 97 === 5) || random.next() < 0.4;
    const birthday =
      this.birthdayToday !== null && index % 97 === 5
        ? this.birthdayToday
        : `${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
    return {
      master: { mobile, privatePhone, hiredOn: hired },
      profile: { pronouns, languages, skills, outOfOffice: null },
      celebrations: {
        birthday: birthdayShown ? birthday : null,
        showWorkAnniversary: random.next() < 0.5,
      },
    };
  }

  private mobileNumber(): string {
    return `+49 ${this.random.pick(['151', '152', '160', '170', '171', '175'])} ${this.random.int(1000000, 9999999)}`;
  }

  private someOf(pool: readonly string[], count: number): string[] {
    const picked = new Set<string>();
    while (picked.size < count) picked.add(this.random.pick(pool));
    return [...picked];
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
