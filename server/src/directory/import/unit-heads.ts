import type { OrgUnit } from '@flurfunk/protocol';
import type { OrgUnitResolver } from './org-unit-resolver.js';
import type { FilePerson, PeopleIndex } from './people-index.js';
import type { ImportProblem } from './source.js';

/**
 * Who heads which unit after the import, from the file's `manages` column: a row naming a unit
 * makes the person its head; the current head's row naming another unit, or none, removes them;
 * and a head the import leaves inactive heads nothing. Every other unit keeps its head.
 * Returns the heads by unit id.
 */
export function claimUnitHeads(
  people: PeopleIndex,
  units: OrgUnitResolver,
  problems: ImportProblem[],
): Map<string, FilePerson> {
  const heads = new Map<string, FilePerson>();
  for (const person of people.filePeople) {
    const { entry } = person;
    if (!entry.manages) continue;
    const problem = (message: string) =>
      problems.push({ order: entry.row.order, at: entry.row.at('manages'), message });
    const unit = units.resolve(entry.manages);
    if ('problem' in unit) {
      problem(unit.problem);
      continue;
    }
    const other = heads.get(unit.id);
    if (!entry.active) problem('an inactive person cannot head an org unit');
    else if (other) {
      problem(
        `"${entry.manages.join(' / ')}" is already headed by "${other.entry.username}" (${other.entry.row.at()})`,
      );
    } else heads.set(unit.id, person);
  }
  return heads;
}

/** The existing units whose head changes, with their new head. */
export function changedUnitHeads(
  existing: readonly OrgUnit[],
  heads: ReadonlyMap<string, FilePerson>,
  people: PeopleIndex,
): OrgUnit[] {
  return existing.flatMap((unit) => {
    const managerId = headAfterImport(unit, heads, people);
    return managerId === unit.managerId ? [] : [{ ...unit, managerId }];
  });
}

function headAfterImport(
  unit: OrgUnit,
  heads: ReadonlyMap<string, FilePerson>,
  people: PeopleIndex,
): string | null {
  const claimed = heads.get(unit.id);
  if (claimed) return claimed.id;
  if (unit.managerId === null) return null;
  if (people.inFile(unit.managerId)?.entry.manages !== undefined) return null;
  return people.activeAfterImport(unit.managerId) === false ? null : unit.managerId;
}
