/** Profiles for the person-profile tests: the fake host's people with every profile field. */
import { createPinia, setActivePinia } from 'pinia';
import type { Pinia } from 'pinia';
import type { CelebrationsConsent, IpcError, PersonProfile, ProfileEdit } from '@flurfunk/protocol';
import { useSessionStore } from '@/stores/session.js';
import { chatUserId, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

/** Person `index` of the fake directory with empty profile fields, overridden by `fields`. */
export function makeProfile(index: number, fields: Partial<PersonProfile> = {}): PersonProfile {
  return {
    ...makePerson(index),
    mobile: '',
    pronouns: '',
    languages: [],
    skills: [],
    outOfOffice: null,
    photoFileId: null,
    birthday: null,
    workAnniversary: null,
    deactivated: false,
    unitPath: [],
    manager: null,
    directReports: [],
    privatePhone: null,
    ...fields,
  } as PersonProfile;
}

export interface ProfileHost {
  /** The profiles getPerson answers with, by id. */
  profiles: Map<string, PersonProfile>;
  /** Holds back the answer for this person until `release()` is called. */
  hold(id: string): { release(): void };
  updateCalls: ProfileEdit[];
  celebrationCalls: CelebrationsConsent[];
  /** When set, the next profile write fails with this error. */
  writeError: IpcError | null;
}

/**
 * Makes the fake host answer getPerson, updateProfile and setCelebrations from `profiles`, as the
 * core would: writes return at once with the changed profile.
 */
export function serveProfiles(host: FakeHost, profiles: PersonProfile[]): ProfileHost {
  const gates = new Map<string, Promise<void>>();
  const served: ProfileHost = {
    profiles: new Map(profiles.map((profile) => [profile.id, profile])),
    hold(id) {
      let release = () => {};
      gates.set(id, new Promise<void>((resolve) => (release = resolve)));
      return { release: () => release() };
    },
    updateCalls: [],
    celebrationCalls: [],
    writeError: null,
  };
  const own = () => served.profiles.get(chatUserId)!;
  function failure(): IpcError | null {
    const error = served.writeError;
    served.writeError = null;
    return error;
  }
  host.api.getPerson = async ({ id }) => {
    await gates.get(id);
    return { ok: true, value: served.profiles.get(id) ?? null };
  };
  host.api.updateProfile = async (edit) => {
    served.updateCalls.push(edit as ProfileEdit);
    const error = failure();
    if (error) return { ok: false, error };
    const changed = { ...own(), ...(edit as ProfileEdit) };
    served.profiles.set(chatUserId, changed);
    return { ok: true, value: changed };
  };
  host.api.setCelebrations = async (consent) => {
    served.celebrationCalls.push(consent);
    const error = failure();
    if (error) return { ok: false, error };
    const current = own();
    const changed = {
      ...current,
      birthday: consent.birthday,
      workAnniversary: consent.showWorkAnniversary ? (current.workAnniversary ?? '2012-04-01') : null,
    };
    served.profiles.set(chatUserId, changed);
    return { ok: true, value: changed };
  };
  return served;
}

/** A fresh store world with person 0 of the fake directory signed in. */
export function signedInAsPersonZero(): Pinia {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSessionStore(pinia).session = {
    status: 'signedIn',
    serverUrl: 'http://127.0.0.1:4100',
    user: { id: chatUserId, username: 'person.0', displayName: 'Person 0000', roles: ['employee'] },
  };
  return pinia;
}
