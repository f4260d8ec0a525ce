import type { ExistingPerson } from './directory-state.js';
import type { PersonEntry } from './read-row.js';

/** A person of the file: their row, who they are in the directory so far, and their id. */
export interface FilePerson {
  entry: PersonEntry;
  existing?: ExistingPerson;
  id: string;
}

/**
 * Everyone the import is about, by username and id: the file's people and the directory's, and
 * whether each of them is active once the import is done.
 */
export class PeopleIndex {
  readonly fileByUsername: ReadonlyMap<string, FilePerson>;
  readonly existingByUsername: ReadonlyMap<string, ExistingPerson>;
  private readonly fileById: ReadonlyMap<string, FilePerson>;
  private readonly existingById: ReadonlyMap<string, ExistingPerson>;

  constructor(
    readonly filePeople: readonly FilePerson[],
    readonly existing: readonly ExistingPerson[],
    /** `--deactivate-missing`: everyone not in the file ends up inactive. */
    readonly deactivateMissing: boolean,
  ) {
    this.fileByUsername = new Map(filePeople.map((person) => [person.entry.username, person]));
    this.fileById = new Map(filePeople.map((person) => [person.id, person]));
    this.existingByUsername = new Map(existing.map((person) => [person.data.username, person]));
    this.existingById = new Map(existing.map((person) => [person.data.id, person]));
  }

  inFile(id: string): FilePerson | undefined {
    return this.fileById.get(id);
  }

  usernameOf(id: string): string {
    return this.fileById.get(id)?.entry.username ?? this.existingById.get(id)?.data.username ?? id;
  }

  /** Undefined for an id that names no one. */
  activeAfterImport(id: string): boolean | undefined {
    const inFile = this.fileById.get(id);
    if (inFile) return inFile.entry.active;
    const existing = this.existingById.get(id);
    return existing && existing.active && !this.deactivateMissing;
  }

  /** Active people the import deactivates because the file leaves them out. */
  missing(): ExistingPerson[] {
    if (!this.deactivateMissing) return [];
    return this.existing.filter((person) => person.active && !this.fileByUsername.has(person.data.username));
  }
}
