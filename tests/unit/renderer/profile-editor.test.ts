// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import type { DOMWrapper, VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as MediaModule from '@/ui/attachments/media.js';
import { defineComponent, h, ref } from 'vue';
import type { FileMeta, PersonProfile } from '@flurfunk/protocol';
import { ApiError } from '@/api/index.js';
import ProfileEditor from '@/features/directory/profile/ProfileEditor.vue';
import { createAppI18n } from '@/i18n/index.js';
import { chatUserId, installFakeHost } from './fakeHost.js';
import { makeProfile, serveProfiles } from './profileSupport.js';
import type { ProfileHost } from './profileSupport.js';

const { uploadFile } = vi.hoisted(() => ({
  uploadFile:
    vi.fn<(file: File, onProgress: (fraction: number) => void, signal: AbortSignal) => Promise<FileMeta>>(),
}));
vi.mock('@/ui/attachments/media.js', async (importOriginal) => ({
  ...(await importOriginal<typeof MediaModule>()),
  uploadFile,
}));

const uploadedPhoto: FileMeta = {
  id: '01900000-0000-7000-8000-0000000f0001',
  name: 'ich.png',
  mediaType: 'image/png',
  size: 120_000,
  sha256: 'a'.repeat(64),
  width: 400,
  height: 400,
};
const oldPhotoId = '01900000-0000-7000-8000-0000000f0000';

let served: ProfileHost;

beforeEach(() => {
  served = serveProfiles(installFakeHost(3), [makeProfile(0)]);
  uploadFile.mockReset();
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
});

function own(fields: Partial<PersonProfile> = {}): PersonProfile {
  const profile = makeProfile(0, fields);
  served.profiles.set(chatUserId, profile);
  return profile;
}

function renderEditor(profile: PersonProfile = own(), locale: 'en' | 'de' = 'en') {
  return mount(ProfileEditor, {
    props: { profile },
    global: { plugins: [createAppI18n(locale)] },
    attachTo: document.body,
  });
}

type Wrapper = VueWrapper<InstanceType<typeof ProfileEditor>>;

/** The form control a visible label names. */
function field(wrapper: Wrapper, label: string): DOMWrapper<HTMLInputElement> {
  const found = wrapper.findAll('label').find((element) => element.text() === label);
  if (!found) throw new Error(`no label "${label}"`);
  const id = found.attributes('for');
  return id ? wrapper.find<HTMLInputElement>(`[id="${id}"]`) : found.find<HTMLInputElement>('input');
}

const button = (wrapper: Wrapper, name: string) => {
  const found = wrapper.findAll('button').find((element) => element.text() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
};

const chips = (wrapper: Wrapper, label: string) =>
  wrapper.findAll(`ul[aria-label="${label}"] li span`).map((chip) => chip.text());

async function type(input: DOMWrapper<HTMLInputElement>, text: string, key = 'Enter'): Promise<void> {
  await input.setValue(text);
  await input.trigger('keydown', { key });
}

async function save(wrapper: Wrapper): Promise<void> {
  await wrapper.get('form').trigger('submit');
  await flushPromises();
}

async function choosePhoto(wrapper: Wrapper, file: File): Promise<void> {
  const input = wrapper.get('input[type="file"]');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
  await flushPromises();
}

describe('profile editor', () => {
  it('is a modal dialog that names what HR keeps and what the user may change', () => {
    const wrapper = renderEditor();
    const dialog = wrapper.get('dialog');
    expect(dialog.attributes('aria-modal')).toBe('true');
    expect(document.getElementById(dialog.attributes('aria-labelledby')!)?.textContent).toBe(
      'Edit your profile',
    );
    expect(dialog.get('input[type="file"]').attributes('accept')).toBe('image/png,image/jpeg,image/webp');
  });

  it('adds languages with Enter or a comma, ignores the same one twice and takes back the last', async () => {
    const wrapper = renderEditor();
    const languages = field(wrapper, 'Languages');
    await type(languages, 'Deutsch');
    expect(chips(wrapper, 'Languages')).toEqual(['Deutsch']);
    expect(languages.element.value).toBe('');
    await languages.setValue('englisch, Französisch');
    expect(chips(wrapper, 'Languages')).toEqual(['Deutsch', 'englisch', 'Französisch']);
    expect(wrapper.text()).toContain('3 of 20.');

    await type(languages, ' DEUTSCH ', ',');
    expect(chips(wrapper, 'Languages')).toEqual(['Deutsch', 'englisch', 'Französisch']);
    expect(wrapper.text()).toContain('“DEUTSCH” is already in the list.');

    // Backspace in the empty field takes the last one back into the field.
    await type(languages, '', 'Backspace');
    expect(chips(wrapper, 'Languages')).toEqual(['Deutsch', 'englisch']);
    expect(languages.element.value).toBe('Französisch');

    const remove = wrapper.get('button[aria-label="Remove englisch"]');
    await remove.trigger('click');
    expect(chips(wrapper, 'Languages')).toEqual(['Deutsch']);
    expect(document.activeElement).toBe(languages.element);

    // What is still in the field is saved too.
    await save(wrapper);
    expect(served.updateCalls).toEqual([
      {
        pronouns: '',
        languages: ['Deutsch', 'Französisch'],
        skills: [],
        outOfOffice: null,
        photoFileId: null,
      },
    ]);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('keeps to the limits and says so', async () => {
    const skills = Array.from({ length: 50 }, (_, i) => `Kenntnis ${i + 1}`);
    const wrapper = renderEditor(own({ skills }));
    await type(field(wrapper, 'Skills'), 'Noch eine');
    expect(chips(wrapper, 'Skills')).toHaveLength(50);
    expect(wrapper.text()).toContain('You can add at most 50.');

    const languages = field(wrapper, 'Languages');
    await type(languages, 'x'.repeat(51));
    expect(chips(wrapper, 'Languages')).toEqual([]);
    expect(wrapper.text()).toContain('Each entry can have at most 50 characters.');
    // Kept in the field, to be shortened.
    expect(languages.element.value).toBe('x'.repeat(51));
  });

  it('asks for a note when the user is away and sends it with the last day', async () => {
    const wrapper = renderEditor();
    await field(wrapper, 'I’m away').setValue(true);
    await save(wrapper);
    const note = field(wrapper, 'Note for colleagues');
    expect(note.attributes('aria-invalid')).toBe('true');
    expect(wrapper.text()).toContain('Please write a short note for your colleagues.');
    expect(document.activeElement).toBe(note.element);
    expect(served.updateCalls).toEqual([]);

    await note.setValue('  Auf Dienstreise, bitte an Jonas wenden. ');
    await field(wrapper, 'Last day away (optional)').setValue('2000-01-03');
    await save(wrapper);
    expect(wrapper.text()).toContain('The last day away cannot be in the past.');
    expect(served.updateCalls).toEqual([]);

    await field(wrapper, 'Last day away (optional)').setValue('2999-08-01');
    await save(wrapper);
    expect(served.updateCalls[0]?.outOfOffice).toEqual({
      message: 'Auf Dienstreise, bitte an Jonas wenden.',
      until: '2999-08-01',
    });
    expect(wrapper.emitted('saved')?.[0]?.[0]).toMatchObject({
      outOfOffice: { message: 'Auf Dienstreise, bitte an Jonas wenden.', until: '2999-08-01' },
    });
  });

  it('ends being away', async () => {
    const wrapper = renderEditor(own({ outOfOffice: { message: 'Urlaub', until: null } }));
    const away = field(wrapper, 'I’m away');
    expect(away.element.checked).toBe(true);
    expect(field(wrapper, 'Note for colleagues').element.value).toBe('Urlaub');
    await away.setValue(false);
    await save(wrapper);
    expect(served.updateCalls[0]?.outOfOffice).toBeNull();
  });

  it('records the consent to show the birthday as day and month, never a year', async () => {
    const wrapper = renderEditor();
    expect(wrapper.text()).toContain(
      'Showing these is voluntary. The server records your consent with the time you gave it. You can withdraw it at any time',
    );
    await field(wrapper, 'Show my birthday to colleagues').setValue(true);
    await save(wrapper);
    expect(wrapper.text()).toContain('Please choose the day and month of your birthday.');
    expect(served.celebrationCalls).toEqual([]);

    const month = field(wrapper, 'Month');
    expect(month.findAll('option').map((option) => option.text())).toContain('February');
    await field(wrapper, 'Day').setValue('31');
    await month.setValue('02');
    await month.trigger('change');
    // February has no 31st: the day moves to the month's last, the 29th (the birthday has no year).
    expect(field(wrapper, 'Day').element.value).toBe('29');
    await field(wrapper, 'Show my work anniversary').setValue(true);
    expect(wrapper.text()).toContain('Your start date appears once the server has sent it.');
    await save(wrapper);

    expect(served.celebrationCalls).toEqual([{ birthday: '02-29', showWorkAnniversary: true }]);
    expect(served.celebrationCalls[0]!.birthday).toMatch(/^\d\d-\d\d$/);
    // Only what changed is sent.
    expect(served.updateCalls).toEqual([]);
    expect(wrapper.emitted('saved')).toHaveLength(1);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('withdraws the consent', async () => {
    const wrapper = renderEditor(own({ birthday: '03-14', workAnniversary: '2012-04-01' }));
    expect(field(wrapper, 'Day').element.value).toBe('14');
    expect(field(wrapper, 'Month').element.value).toBe('03');
    await field(wrapper, 'Show my birthday to colleagues').setValue(false);
    await field(wrapper, 'Show my work anniversary').setValue(false);
    await save(wrapper);
    expect(served.celebrationCalls).toEqual([{ birthday: null, showWorkAnniversary: false }]);
  });

  it('names the months in German', () => {
    const wrapper = renderEditor(own({ birthday: '03-14' }), 'de');
    expect(field(wrapper, 'Monat').findAll('option').at(3)?.text()).toBe('März');
  });

  it('removes the photo', async () => {
    const wrapper = renderEditor(own({ photoFileId: oldPhotoId }));
    expect(wrapper.get('.photo img').attributes('src')).toBe(`/media/${oldPhotoId}?thumbnail=`);
    await button(wrapper, 'Remove photo').trigger('click');
    expect(wrapper.find('.photo img').exists()).toBe(false);
    expect(wrapper.get('.photo').text()).toBe('P0');
    await save(wrapper);
    expect(served.updateCalls[0]?.photoFileId).toBeNull();
  });

  it('uploads a new photo', async () => {
    uploadFile.mockResolvedValue(uploadedPhoto);
    const wrapper = renderEditor(own({ photoFileId: oldPhotoId }));
    const picture = new File(['png'], 'ich.png', { type: 'image/png' });
    await choosePhoto(wrapper, picture);
    expect(uploadFile.mock.calls[0]?.[0]).toBe(picture);
    expect(wrapper.get('.photo img').attributes('src')).toBe(`/media/${uploadedPhoto.id}?thumbnail=`);
    await save(wrapper);
    expect(served.updateCalls[0]?.photoFileId).toBe(uploadedPhoto.id);
  });

  it('refuses other files than PNG, JPEG and WebP images and too large ones', async () => {
    const wrapper = renderEditor();
    await choosePhoto(wrapper, new File(['gif'], 'tanz.gif', { type: 'image/gif' }));
    expect(wrapper.get('[role="alert"]').text()).toBe('Please choose a PNG, JPEG or WebP image.');

    const huge = new File(['jpeg'], 'riesig.jpg', { type: 'image/jpeg' });
    Object.defineProperty(huge, 'size', { value: 25_000_000 });
    await choosePhoto(wrapper, huge);
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'The photo is too large. Please choose one of at most 10 MB.',
    );
    expect(uploadFile).not.toHaveBeenCalled();

    uploadFile.mockRejectedValue(new ApiError({ code: 'unreachable', message: 'offline' }));
    await choosePhoto(wrapper, new File(['webp'], 'ich.webp', { type: 'image/webp' }));
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'The photo could not be uploaded: there is no connection to the server.',
    );
  });

  it('shows why saving failed and stays open', async () => {
    served.writeError = { code: 'server_error', message: 'boom' };
    const wrapper = renderEditor();
    await field(wrapper, 'Pronouns').setValue('they/them');
    await save(wrapper);
    expect(wrapper.get('[role="alert"]').text()).toBe('Your profile could not be saved. Please try again.');
    expect(wrapper.emitted('close')).toBeUndefined();

    served.writeError = { code: 'not_found', message: 'not synced yet' };
    await save(wrapper);
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'Your profile is not on this device yet. Please try again after the next sync.',
    );

    await save(wrapper);
    expect(served.updateCalls.map((edit) => edit.pronouns)).toEqual(['they/them', 'they/them', 'they/them']);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('closes without writing when nothing changed', async () => {
    const wrapper = renderEditor(own({ languages: ['Deutsch'], birthday: '12-24' }));
    await save(wrapper);
    expect(served.updateCalls).toEqual([]);
    expect(served.celebrationCalls).toEqual([]);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('closes with Escape and gives the focus back to the button that opened it', async () => {
    const profile = own();
    const Page = defineComponent(() => {
      const open = ref(false);
      return () =>
        h('div', [
          h('button', { type: 'button', onClick: () => (open.value = true) }, 'Edit profile'),
          open.value ? h(ProfileEditor, { profile, onClose: () => (open.value = false) }) : null,
        ]);
    });
    const page = mount(Page, { global: { plugins: [createAppI18n('en')] }, attachTo: document.body });
    const opener = page.get('button');
    (opener.element as HTMLElement).focus();
    await opener.trigger('click');
    const dialog = page.get('dialog');
    expect(dialog.attributes('open')).toBeDefined();
    await dialog.trigger('cancel');
    await flushPromises();
    expect(page.find('dialog').exists()).toBe(false);
    expect(document.activeElement).toBe(opener.element);
    expect(served.updateCalls).toEqual([]);
  });
});
