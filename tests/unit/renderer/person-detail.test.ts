// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import PersonDetail from '@/features/directory/PersonDetail.vue';
import { createAppI18n } from '@/i18n/index.js';
import { installFakeHost, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

beforeEach(() => {
  host = installFakeHost(5);
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
});

function renderDetail(personId: string) {
  return mount(PersonDetail, {
    props: { personId },
    global: { plugins: [createAppI18n('en')] },
    attachTo: document.body,
  });
}

describe('person details', () => {
  it('shows the person picked last even when an earlier answer arrives after it', async () => {
    const first = makePerson(1);
    const second = makePerson(2);
    const slowAnswer = host.holdGetPerson(first.id);
    const wrapper = renderDetail(first.id);
    await wrapper.setProps({ personId: second.id });
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe(second.displayName);
    slowAnswer.release();
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe(second.displayName);
    expect(wrapper.text()).toContain(second.phone);
    expect(wrapper.text()).not.toContain(first.phone);
  });

  it('says so when the person is no longer in the directory', async () => {
    const wrapper = renderDetail('00000000-0000-4000-8000-0000000fffff');
    await flushPromises();
    expect(wrapper.text()).toContain('This person is no longer in the directory.');
  });
});
