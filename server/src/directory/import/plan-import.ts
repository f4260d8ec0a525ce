import { type Location, type OrgUnit, PersonMasterData } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { ZodError } from 'zod';
import type { DirectoryState, ExistingPerson } from './directory-state.js';
import type { ImportField } from './fields.js';
import { LocationResolver } from './location-resolver.js';
import { reportManagerCycles, resolveManager } from './managers.js';
import { OrgUnitResolver, type Resolved } from './org-unit-resolver.js';
import { type FilePerson, PeopleIndex } from './people-index.js';
import { type PersonEntry, readRow, readUnitPath } from './read-row.js';
import { type ImportProblem, type ParsedFile, type SourceOrgUnit, sortProblems } from './source.js';
import { changedUnitHeads, claimUnitHeads } from './unit-heads.js';

export interface ImportOptions {
  /** Deactivate every active person the file leaves out. */
  deactivateMissing: boolean;
}

/** What the import changes, counted for the operator. A person may count twice (created and deactivated). */
export interface ImportSummary {
  created: number;
  updated: number;
  deactivated: number;
  reactivated: number;
  unchanged: number;
  /** Paths of the new units. */
  unitsCreated: string[];
  unitHeadsChanged: number;
  locationsCreated: string[];
  /** Usernames `--deactivate-missing` deactivates. */
  deactivatedMissing: string[];
}

/** The writes that bring the directory in line with the file; nothing in it is unchanged data. */
export interface ImportPlan {
  locations: Location[];
  /** New units, parents first, and existing units whose head changes. */
  orgUnits: OrgUnit[];
  /** Complete master data of new and changed people. */
  people: PersonMasterData[];
  /** Everyone in the file: those without an account get one (no password, role employee). */
  accountIds: string[];
  deactivate: string[];
  reactivate: string[];
  summary: ImportSummary;
}

export type PlanResult = { problems: ImportProblem[] } | { plan: ImportPlan };

/**
 * Checks the whole file against itself and the directory and plans its writes. Every problem is
 * collected, so the operator fixes the file in one go; with any problem there is no plan.
 */
export function planImport(
  file: ParsedFile,
  state: DirectoryState,
  options: ImportOptions,
  newId: () => string = uuidv7,
): PlanResult {
  const problems = [...file.problems];
  const entries = withoutDuplicates(
    file.rows.flatMap((row) => readRow(row, problems) ?? []),
    problems,
  );
  const existingByUsername = new Map(state.people.map((person) => [person.data.username, person]));
  const filePeople = entries.map((entry): FilePerson => {
    const existing = existingByUsername.get(entry.username);
    return { entry, existing, id: existing?.data.id ?? newId() };
  });
  const people = new PeopleIndex(filePeople, state.people, options.deactivateMissing);
  const units = new OrgUnitResolver(state.orgUnits, newId);
  const locations = new LocationResolver(state.locations, newId);

  resolveListedUnits(file.orgUnits, units, problems);
  const masterData = new Map<FilePerson, PersonMasterData>();
  for (const person of filePeople) {
    masterData.set(person, masterDataOf(person, { people, units, locations }, problems));
  }
  reportManagerCycles(managersAfterImport(state, masterData), people, problems);
  const heads = claimUnitHeads(people, units, problems);
  reportLastAdminLeaving(state, people, problems);
  if (problems.length > 0) return { problems: sortProblems(problems) };

  const newUnits = units.created.map(({ unit }) => ({ ...unit, managerId: heads.get(unit.id)?.id ?? null }));
  const changedHeads = changedUnitHeads(state.orgUnits, heads, people);
  const plan: ImportPlan = {
    locations: locations.created,
    orgUnits: [...newUnits, ...changedHeads],
    people: [],
    accountIds: filePeople.map((person) => person.id),
    deactivate: [],
    reactivate: [],
    summary: {
      created: 0,
      updated: 0,
      deactivated: 0,
      reactivated: 0,
      unchanged: 0,
      unitsCreated: units.created.map(({ path }) => path),
      unitHeadsChanged: changedHeads.length,
      locationsCreated: locations.created.map((location) => location.name),
      deactivatedMissing: [],
    },
  };
  for (const [person, data] of masterData) addPerson(plan, person, data);
  for (const missing of people.missing()) {
    plan.deactivate.push(missing.data.id);
    plan.summary.deactivated += 1;
    plan.summary.deactivatedMissing.push(missing.data.username);
  }
  return { plan };
}

/** The JSON variant's `orgUnits`: units to have, even before anyone is in them. */
function resolveListedUnits(
  listed: readonly SourceOrgUnit[],
  units: OrgUnitResolver,
  problems: ImportProblem[],
): void {
  for (const { order, at, path: text } of listed) {
    const path = readUnitPath(text);
    const resolved: Resolved =
      path === null ? { problem: 'is empty' } : 'problem' in path ? path : units.resolve(path);
    if ('problem' in resolved) problems.push({ order, at, message: resolved.problem });
  }
}

/** The second row of a username is an error, and only the first is imported. */
function withoutDuplicates(entries: readonly PersonEntry[], problems: ImportProblem[]): PersonEntry[] {
  const first = new Map<string, PersonEntry>();
  return entries.filter((entry) => {
    const earlier = first.get(entry.username);
    if (!earlier) {
      first.set(entry.username, entry);
      return true;
    }
    problems.push({
      order: entry.row.order,
      at: entry.row.at('username'),
      message: `"${entry.username}" is in the file twice (also at ${earlier.row.at()})`,
    });
    return false;
  });
}

interface References {
  people: PeopleIndex;
  units: OrgUnitResolver;
  locations: LocationResolver;
}

/** The person's master data after the import: the file's fields, and what they had for the rest. */
function masterDataOf(person: FilePerson, refs: References, problems: ImportProblem[]): PersonMasterData {
  const { entry, existing } = person;
  const kept = existing?.data;
  const at = (field: ImportField) => entry.row.at(field);
  /** The id of a named unit or location; left out of the file, what the person had. */
  const reference = <Name>(
    field: 'department' | 'location',
    name: Name | null | undefined,
    keptId: string | null | undefined,
    resolve: (name: Name) => Resolved,
  ): string | null => {
    if (name === undefined) return keptId ?? null;
    if (name === null) return null;
    const result = resolve(name);
    if ('id' in result) return result.id;
    problems.push({ order: entry.row.order, at: at(field), message: result.problem });
    return null;
  };
  const firstName = entry.firstName ?? kept?.firstName ?? '';
  const lastName = entry.lastName ?? kept?.lastName ?? '';
  const data: PersonMasterData = {
    id: person.id,
    username: entry.username,
    firstName,
    lastName,
    displayName: displayNameOf(entry, kept, firstName, lastName),
    title: entry.title ?? kept?.title ?? '',
    orgUnitId: reference('department', entry.department, kept?.orgUnitId, (path) => refs.units.resolve(path)),
    locationId: reference('location', entry.location, kept?.locationId, (name) =>
      refs.locations.resolve(name),
    ),
    managerId: resolveManager(person, refs.people, problems),
    email: entry.email ?? kept?.email ?? '',
    phone: entry.phone ?? kept?.phone ?? '',
    room: entry.room ?? kept?.room ?? '',
    mobile: entry.mobile ?? kept?.mobile ?? '',
    privatePhone: entry.privatePhone ?? kept?.privatePhone ?? '',
    hiredOn: entry.hiredOn === undefined ? (kept?.hiredOn ?? null) : entry.hiredOn,
  };
  if (data.displayName === '') {
    problems.push({
      order: entry.row.order,
      at: entry.row.at(),
      message: 'has no name: fill in first_name and last_name, or display_name',
    });
  }
  const checked = PersonMasterData.safeParse(data);
  if (!checked.success) problems.push(...limitProblems(checked.error, person));
  return data;
}

/**
 * An empty display name means "first last". Without the column, a display name that followed
 * the names keeps following them, and one an admin chose stays.
 */
function displayNameOf(
  entry: PersonEntry,
  kept: PersonMasterData | undefined,
  firstName: string,
  lastName: string,
): string {
  if (entry.displayName) return entry.displayName;
  const followsNames = (person: PersonMasterData) =>
    person.displayName === `${person.firstName} ${person.lastName}`.trim();
  if (entry.displayName === undefined && kept && !followsNames(kept)) return kept.displayName;
  return `${firstName} ${lastName}`.trim();
}

const importFieldOf: Partial<Record<keyof PersonMasterData, ImportField>> = {
  orgUnitId: 'department',
  locationId: 'location',
  managerId: 'manager',
};

/** The protocol's limits (lengths, formats), said in the file's terms. */
function limitProblems(error: ZodError, person: FilePerson): ImportProblem[] {
  const { row } = person.entry;
  return error.issues.flatMap((issue) => {
    const key = String(issue.path[0]) as keyof PersonMasterData;
    // An empty display name has its own message.
    if (key === 'displayName' && issue.code === 'too_small') return [];
    const field = importFieldOf[key] ?? (key as ImportField);
    const message =
      issue.code === 'too_big' ? `is too long (at most ${String(issue.maximum)} characters)` : issue.message;
    return [{ order: row.order, at: row.at(field), message }];
  });
}

function managersAfterImport(
  state: DirectoryState,
  masterData: ReadonlyMap<FilePerson, PersonMasterData>,
): Map<string, string | null> {
  const managerOf = new Map(state.people.map(({ data }) => [data.id, data.managerId]));
  for (const data of masterData.values()) managerOf.set(data.id, data.managerId);
  return managerOf;
}

/** Deactivating every admin would leave no one to undo it in the admin API. */
function reportLastAdminLeaving(state: DirectoryState, people: PeopleIndex, problems: ImportProblem[]): void {
  const activeBefore = new Set(state.people.filter((p) => p.active).map((p) => p.data.id));
  const adminsBefore = state.adminIds.filter((id) => activeBefore.has(id));
  if (adminsBefore.length === 0) return;
  if (state.adminIds.some((id) => people.activeAfterImport(id))) return;
  problems.push({
    order: Number.MAX_SAFE_INTEGER,
    message: `the import would deactivate every admin (${adminsBefore.map((id) => people.usernameOf(id)).join(', ')}); keep at least one of them active${people.deactivateMissing ? ' (add them to the file: --deactivate-missing deactivates everyone not in it)' : ''}`,
  });
}

function addPerson(plan: ImportPlan, person: FilePerson, data: PersonMasterData): void {
  const { existing, entry } = person;
  const { summary } = plan;
  if (!existing) {
    plan.people.push(data);
    summary.created += 1;
    if (!entry.active) {
      plan.deactivate.push(data.id);
      summary.deactivated += 1;
    }
    return;
  }
  const changed = !sameMasterData(existing, data);
  if (changed) {
    plan.people.push(data);
    summary.updated += 1;
  }
  if (existing.active && !entry.active) {
    plan.deactivate.push(data.id);
    summary.deactivated += 1;
  } else if (!existing.active && entry.active) {
    plan.reactivate.push(data.id);
    summary.reactivated += 1;
  } else if (!changed) summary.unchanged += 1;
}

function sameMasterData(existing: ExistingPerson, data: PersonMasterData): boolean {
  return (Object.keys(data) as (keyof PersonMasterData)[]).every((key) => existing.data[key] === data[key]);
}
