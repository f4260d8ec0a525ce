import { Person, directoryMutationArgs } from '@flurfunk/protocol';
import type { CelebrationsConsent, MutationType, ProfileEdit, SessionUser } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { CacheDatabase } from '../cache/database.js';
import { CoreError } from '../errors.js';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import type { KnownFiles } from '../files/known-files.js';
import type { ChangeSet } from '../sync/change-set.js';
import type { DirectoryStore } from './directory-store.js';

/** The writes whose optimistic change is to the user's own person row. */
export const directoryMutations: ReadonlySet<MutationType> = new Set([
  'directory.updateProfile',
  'directory.setCelebrations',
]);

/** Profile edits go out in the order they were made. */
const profileQueue = (personId: string) => `profile:${personId}`;

/**
 * The user's edits of their own profile: applied to their cached person at once and queued in
 * the outbox in the same transaction; sync's version replaces them once the server has them.
 */
export class DirectoryWrites {
  constructor(
    private readonly db: CacheDatabase,
    private readonly directory: DirectoryStore,
    private readonly outbox: OutboxStore,
    private readonly user: SessionUser,
    private readonly files: KnownFiles,
  ) {}

  updateProfile(edit: ProfileEdit, changes: ChangeSet): void {
    this.change(changes, 'directory.updateProfile', edit, (person) => this.withProfile(person, edit));
  }

  setCelebrations(consent: CelebrationsConsent, changes: ChangeSet): void {
    this.change(changes, 'directory.setCelebrations', consent, (person) => withCelebrations(person, consent));
  }

  /** Restores the fields a discarded write changed, from before it. Call inside its transaction. */
  undo(entry: OutboxEntry, changes: ChangeSet): void {
    const before = Person.safeParse(entry.undo);
    const current = this.directory.getPersonRecord(this.user.id);
    if (!before.success || !current) return;
    if (entry.type === 'directory.updateProfile') {
      const { pronouns, languages, skills, outOfOffice, photo } = before.data;
      this.directory.putPerson({ ...current, pronouns, languages, skills, outOfOffice, photo });
    } else if (entry.type === 'directory.setCelebrations') {
      this.directory.putPerson({
        ...current,
        birthday: before.data.birthday,
        workAnniversary: before.data.workAnniversary,
      });
    }
    changes.add('person', this.user.id);
  }

  /** Applies unconfirmed edits again over the server's older version of the user's row. */
  reapply(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      const current = this.directory.getPersonRecord(this.user.id);
      if (!current) return;
      if (entry.type === 'directory.updateProfile') {
        const edit = directoryMutationArgs['directory.updateProfile'].parse(entry.args);
        this.directory.putPerson(this.withProfile(current, edit));
      } else if (entry.type === 'directory.setCelebrations') {
        const consent = directoryMutationArgs['directory.setCelebrations'].parse(entry.args);
        this.directory.putPerson(withCelebrations(current, consent));
      }
    }
  }

  /** The person with the edit applied; a new photo shows at once when it is the user's known upload. */
  private withProfile(person: Person, edit: ProfileEdit): Person {
    const { pronouns, languages, skills, outOfOffice, photoFileId } = edit;
    const photo =
      photoFileId === null
        ? null
        : photoFileId === person.photo?.id
          ? person.photo
          : this.files.meta(photoFileId);
    return { ...person, pronouns, languages, skills, outOfOffice, photo };
  }

  private change(
    changes: ChangeSet,
    type: MutationType,
    args: ProfileEdit | CelebrationsConsent,
    edit: (person: Person) => Person,
  ): void {
    const before = this.directory.getPersonRecord(this.user.id);
    if (!before || before.deactivated) {
      throw new CoreError('not_found', 'your profile is not in the directory yet; try again after syncing');
    }
    const id = uuidv7();
    this.db
      .transaction(() => {
        this.directory.putPerson(edit(before));
        this.outbox.add({
          id,
          queue: profileQueue(this.user.id),
          type,
          args,
          entityId: this.user.id,
          undo: before,
          createdAt: new Date().toISOString(),
        });
      })
      .immediate();
    changes.add('person', this.user.id);
    changes.add('outboxEntry', id);
  }
}

/** A work anniversary turned on shows once the server sends the date HR keeps. */
function withCelebrations(person: Person, consent: CelebrationsConsent): Person {
  return {
    ...person,
    birthday: consent.birthday,
    workAnniversary: consent.showWorkAnniversary ? person.workAnniversary : null,
  };
}
