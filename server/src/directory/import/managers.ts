import type { PeopleIndex, FilePerson } from './people-index.js';
import type { ImportProblem } from './source.js';

/**
 * The id of the person's manager once the import is done. A manager must be in the file or the
 * directory, and an active person's manager must stay active.
 */
export function resolveManager(
  person: FilePerson,
  people: PeopleIndex,
  problems: ImportProblem[],
): string | null {
  const { entry, existing } = person;
  if (entry.manager === undefined) return existing?.data.managerId ?? null;
  if (entry.manager === null) return null;
  const problem = (message: string) => {
    problems.push({ order: entry.row.order, at: entry.row.at('manager'), message });
    return null;
  };
  const username = entry.manager;
  if (username === entry.username) return problem(`"${username}" cannot be their own manager`);
  const inFile = people.fileByUsername.get(username);
  if (inFile) {
    if (entry.active && !inFile.entry.active) {
      return problem(`"${username}" is inactive in this file (${inFile.entry.row.at()})`);
    }
    return inFile.id;
  }
  const known = people.existingByUsername.get(username);
  if (!known) return problem(`"${username}" is neither in this file nor in the directory`);
  if (entry.active && !known.active) return problem(`"${username}" is deactivated`);
  if (entry.active && people.deactivateMissing) {
    return problem(`"${username}" is not in this file, so --deactivate-missing would deactivate them`);
  }
  return known.data.id;
}

/**
 * Reports every chain of managers that leads back to where it started (A manages B manages A)
 * and goes through someone in the file, once, at the first of them in the file.
 */
export function reportManagerCycles(
  managerOf: ReadonlyMap<string, string | null>,
  people: PeopleIndex,
  problems: ImportProblem[],
): void {
  const done = new Set<string>();
  for (const start of people.filePeople) {
    const chain: string[] = [];
    const onChain = new Set<string>();
    let current: string | null = start.id;
    while (current !== null && !done.has(current) && !onChain.has(current)) {
      chain.push(current);
      onChain.add(current);
      current = managerOf.get(current) ?? null;
    }
    if (current !== null && onChain.has(current)) {
      const cycle = chain.slice(chain.indexOf(current));
      const first = cycle
        .flatMap((id) => people.inFile(id) ?? [])
        .sort((a, b) => a.entry.row.order - b.entry.row.order)[0];
      if (first) {
        const rotated = cycle.slice(cycle.indexOf(first.id)).concat(cycle.slice(0, cycle.indexOf(first.id)));
        const names = [...rotated, first.id].map((id) => `"${people.usernameOf(id)}"`);
        problems.push({
          order: first.entry.row.order,
          at: first.entry.row.at('manager'),
          message: `managers form a cycle: ${names.join(' → ')} (the arrow points to the manager)`,
        });
      }
    }
    for (const id of chain) done.add(id);
  }
}
