import type { MutationType } from '@flurfunk/protocol';
import { companyScope } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { lockUnusedOwnImage } from '../files/file-rows.js';
import { type MutationHandler, reject } from '../mutations/mutation-handler.js';
import { recordChanges } from '../sync/change-log.js';

type DirectoryMutation = Extract<MutationType, `directory.${string}`>;

interface OwnProfileRow {
  photo_id: string | null;
  birthday: string | null;
  show_work_anniversary: boolean;
}

async function ownProfile(tx: Queryable, personId: string): Promise<OwnProfileRow> {
  const [row] = await tx.query<OwnProfileRow>(
    `SELECT photo_id, birthday, show_work_anniversary FROM persons
      WHERE id = $1 AND deactivated_at IS NULL FOR UPDATE`,
    [personId],
  );
  if (!row) throw reject('not_found', 'Your profile is no longer in the directory');
  return row;
}

const personChanged = (personId: string) =>
  ({ entityType: 'person', entityId: personId, op: 'upsert', scope: companyScope }) as const;

/** What people write about themselves; HR's fields are not theirs to change. */
export const directoryMutations: { readonly [T in DirectoryMutation]: MutationHandler<T> } = {
  'directory.updateProfile': async ({ tx, personId }, profile) => {
    const current = await ownProfile(tx, personId);
    if (profile.photoFileId !== null && profile.photoFileId !== current.photo_id) {
      if (!(await lockUnusedOwnImage(tx, profile.photoFileId, personId))) {
        throw reject('invalid', 'A profile photo is an image you uploaded that is not used elsewhere');
      }
    }
    // A replaced photo is used by nothing now: the file cleanup removes it.
    await tx.query(
      `UPDATE persons SET pronouns = $2, languages = $3, skills = $4, out_of_office_message = $5,
         out_of_office_until = $6, photo_id = $7, updated_at = now()
       WHERE id = $1`,
      [
        personId,
        profile.pronouns,
        dedupe(profile.languages),
        dedupe(profile.skills),
        profile.outOfOffice?.message ?? null,
        profile.outOfOffice?.until ?? null,
        profile.photoFileId,
      ],
    );
    return { seq: await recordChanges(tx, [personChanged(personId)]), entityId: personId };
  },

  'directory.setCelebrations': async ({ tx, personId }, consent) => {
    const current = await ownProfile(tx, personId);
    const given = { birthday: consent.birthday !== null, workAnniversary: consent.showWorkAnniversary };
    const before = { birthday: current.birthday !== null, workAnniversary: current.show_work_anniversary };
    const decisions = (['birthday', 'workAnniversary'] as const).filter(
      (kind) => given[kind] !== before[kind],
    );
    if (decisions.length === 0 && consent.birthday === current.birthday)
      return { seq: null, entityId: personId };
    // Withdrawing consent removes the birthday itself, not just its display.
    await tx.query(
      'UPDATE persons SET birthday = $2, show_work_anniversary = $3, updated_at = now() WHERE id = $1',
      [personId, consent.birthday, consent.showWorkAnniversary],
    );
    await tx.query(
      `INSERT INTO consent_log (person_id, kind, granted)
       SELECT $1, d.kind, d.granted FROM json_to_recordset($2::json) AS d(kind text, granted boolean)`,
      [personId, JSON.stringify(decisions.map((kind) => ({ kind, granted: given[kind] })))],
    );
    return { seq: await recordChanges(tx, [personChanged(personId)]), entityId: personId };
  },
};

/** Case-insensitively unique, in the order given. */
function dedupe(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLocaleLowerCase('de');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
