import type { Person } from '@flurfunk/protocol';

/**
 * The fields an admin writes (`PUT /api/v1/admin/people/:id`) of a person as the directory lists
 * them: what the person fills in about themselves is not the admin's to send.
 */
export function masterDataOf(person: Person) {
  const { id: _id, pronouns: _p, languages: _l, skills: _s, outOfOffice: _o, photo: _f, ...rest } = person;
  const { birthday: _b, workAnniversary: _w, deactivated: _d, ...master } = rest;
  return master;
}
