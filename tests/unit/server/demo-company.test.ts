import { describe, expect, it } from 'vitest';
import { generateDemoCompany, usernameFor } from '../../../server/src/demo/generate.js';

describe('demo company generator', () => {
  it('produces the same company on every call', () => {
    expect(generateDemoCompany(300)).toEqual(generateDemoCompany(300));
  });

  it('produces exactly the requested headcount with unique usernames and consistent references', () => {
    for (const size of [300, 1200]) {
      const company = generateDemoCompany(size);
      expect(company.people).toHaveLength(size);
      const usernames = company.people.map((p) => p.person.username);
      expect(new Set(usernames).size).toBe(size);
      const unitIds = new Set(company.orgUnits.map((u) => u.id));
      const personIds = new Set(company.people.map((p) => p.person.id));
      for (const { person } of company.people) {
        expect(unitIds.has(person.orgUnitId ?? '')).toBe(true);
        if (person.managerId !== null) expect(personIds.has(person.managerId)).toBe(true);
      }
      for (const unit of company.orgUnits) {
        if (unit.parentId !== null) expect(unitIds.has(unit.parentId)).toBe(true);
      }
    }
  });

  it('splits large companies into teams (about 1000 units for 10 000 people)', () => {
    const company = generateDemoCompany(10_000);
    expect(company.people).toHaveLength(10_000);
    expect(company.orgUnits.length).toBeGreaterThan(900);
    expect(company.orgUnits.length).toBeLessThan(1200);
  });

  it('always contains the demo accounts with their roles', () => {
    for (const size of [1, 300, 5000]) {
      const roles = new Map(generateDemoCompany(size).people.map((p) => [p.person.username, p.roles]));
      expect(roles.get('lena.weber')).toEqual(['employee']);
      expect(roles.get('jonas.becker')).toContain('editor');
      expect(roles.get('petra.koch')).toContain('canteenManager');
      expect(roles.get('admin')).toContain('admin');
    }
  });

  it('derives ASCII usernames from German and other names', () => {
    expect(usernameFor('Jürgen', 'Weiß')).toBe('juergen.weiss');
    expect(usernameFor('Hans-Peter', 'Öztürk')).toBe('hans-peter.oeztuerk');
    expect(usernameFor('Ayşe', 'Yılmaz')).toBe('ayse.yilmaz');
    expect(usernameFor('Piotr', 'Wiśniewski')).toBe('piotr.wisniewski');
  });
});
