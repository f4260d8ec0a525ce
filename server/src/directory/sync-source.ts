import type { SyncEntity } from '@flurfunk/protocol';
import { type SyncSource, sourceById } from '../sync/sync-source.js';
import { personJson } from './rows.js';

/** The directory's entities as sync pages carry them: the company's, and private contacts per reader. */
export const directorySyncSources: Readonly<
  Record<Extract<SyncEntity, 'person' | 'orgUnit' | 'location' | 'privateContact'>, SyncSource>
> = {
  person: sourceById(`SELECT p.id, ${personJson('p')} AS data FROM persons p WHERE p.id = ANY($1::uuid[])`),
  orgUnit: sourceById(
    `SELECT u.id, json_build_object('id', u.id, 'name', u.name, 'parentId', u.parent_id, 'managerId', u.manager_id) AS data
       FROM org_units u WHERE u.id = ANY($1::uuid[])`,
  ),
  location: sourceById(
    `SELECT l.id, json_build_object('id', l.id, 'name', l.name, 'kind', l.kind, 'address', l.address) AS data
       FROM locations l WHERE l.id = ANY($1::uuid[])`,
  ),
  privateContact: sourceById(
    `SELECT p.id, json_build_object('id', p.id, 'privatePhone', p.private_phone) AS data
       FROM persons p
      WHERE p.id = ANY($1::uuid[]) AND p.private_phone <> '' AND p.deactivated_at IS NULL`,
  ),
};
